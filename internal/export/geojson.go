package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/dateline/dateline/internal/event"
)

// FeatureCollection is the GeoJSON (RFC 7946) document GeoJSON writes.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is one event on the map.
type Feature struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Geometry   Geometry   `json:"geometry"`
	Properties Properties `json:"properties"`
}

// Position is a GeoJSON position: longitude, then latitude.
type Position [2]float64

// Geometry is a GeoJSON Point (Coordinates a Position) or MultiPoint
// (Coordinates a []Position).
type Geometry struct {
	// Type is "Point" or "MultiPoint".
	Type string `json:"type"`
	// Coordinates is a Position for a Point, a []Position for a
	// MultiPoint.
	Coordinates any `json:"coordinates"`
}

// Properties are the event fields of a Feature. Place and Country are
// those of the first located place; Places lists every place, located or
// not, in the event's order.
type Properties struct {
	ID          string        `json:"id"`
	Type        string        `json:"type"`
	CAMEO       string        `json:"cameo,omitempty"`
	Title       string        `json:"title"`
	Sentence    string        `json:"sentence"`
	Date        string        `json:"date"`
	DateEnd     string        `json:"date_end,omitempty"`
	Precision   string        `json:"precision"`
	DateText    string        `json:"date_text"`
	Status      string        `json:"status"`
	Actors      []string      `json:"actors"`
	Place       string        `json:"place"`
	Country     string        `json:"country,omitempty"`
	Places      []event.Place `json:"places"`
	URL         string        `json:"url,omitempty"`
	SourceCount int           `json:"source_count"`
	Sources     []Source      `json:"sources"`
	Confidence  float64       `json:"confidence"`
	Mentions    int           `json:"mentions"`
}

// GeoJSON writes events as a GeoJSON FeatureCollection: one Feature per
// event that has a located place (a place with coordinates). Its geometry
// marks every located place: a Point for one, a MultiPoint for several
// (one position per distinct place, in the event's order). Events without
// a located place are left out. Links are kept only when they are http or
// https.
func GeoJSON(w io.Writer, events []event.Event) error {
	fc := FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	for _, e := range events {
		if f, ok := featureOf(e); ok {
			fc.Features = append(fc.Features, f)
		}
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(fc); err != nil {
		return fmt.Errorf("geojson: %w", err)
	}
	return nil
}

// featureOf is the Feature of e; ok is false when no place of e is
// located.
func featureOf(e event.Event) (Feature, bool) {
	var at []Position
	first := -1
	for i, p := range e.Places {
		if (p.Lat == 0 && p.Lon == 0) || math.Abs(p.Lat) > 90 || math.Abs(p.Lon) > 180 {
			continue
		}
		pos := Position{round6(p.Lon), round6(p.Lat)}
		if slices.Contains(at, pos) {
			continue
		}
		if first < 0 {
			first = i
		}
		at = append(at, pos)
	}
	if first < 0 {
		return Feature{}, false
	}
	geom := Geometry{Type: "Point", Coordinates: at[0]}
	if len(at) > 1 {
		geom = Geometry{Type: "MultiPoint", Coordinates: at}
	}
	p := e.Places[first]
	srcs := Sources(e)
	if srcs == nil {
		srcs = []Source{}
	}
	for i := range srcs {
		srcs[i].URL = SafeURL(srcs[i].URL)
	}
	actors := e.Actors
	if actors == nil {
		actors = []string{}
	}
	return Feature{
		Type:     "Feature",
		ID:       e.ID,
		Geometry: geom,
		Properties: Properties{
			ID: e.ID, Type: e.Type, CAMEO: e.CAMEO, Title: e.Title, Sentence: e.Sentence,
			Date: e.Date, DateEnd: e.DateEnd, Precision: string(e.Precision), DateText: e.DateText,
			Status: string(e.Status), Actors: actors, Place: p.Name, Country: p.Country,
			Places: e.Places, URL: SafeURL(e.Article.URL), SourceCount: len(srcs), Sources: srcs,
			Confidence: e.Confidence, Mentions: e.Mentions,
		},
	}, true
}

// round6 keeps six decimals (about 10 cm), as RFC 7946 section 11.2 advises.
func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }
