package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

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
	Geometry   Point      `json:"geometry"`
	Properties Properties `json:"properties"`
}

// Point is a GeoJSON Point: Coordinates are longitude, then latitude.
type Point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// Properties are the event fields of a Feature. Place is the place the
// point marks; Places lists them all.
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

// GeoJSON writes events as a GeoJSON FeatureCollection: one Feature with a
// Point per event that has a located place (the first one with
// coordinates); events without one are left out. Links are kept only when
// they are http or https.
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

func featureOf(e event.Event) (Feature, bool) {
	at := -1
	for i, p := range e.Places {
		if (p.Lat != 0 || p.Lon != 0) && math.Abs(p.Lat) <= 90 && math.Abs(p.Lon) <= 180 {
			at = i
			break
		}
	}
	if at < 0 {
		return Feature{}, false
	}
	p := e.Places[at]
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
		Geometry: Point{Type: "Point", Coordinates: [2]float64{round6(p.Lon), round6(p.Lat)}},
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
