package export

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

func TestGeoJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := GeoJSON(&buf, fixture()); err != nil {
		t.Fatalf("GeoJSON: %v", err)
	}
	// Parse back into plain maps, as a map client would.
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			ID       string `json:"id"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatalf("GeoJSON does not parse: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		t.Errorf("type: got %q, want FeatureCollection", fc.Type)
	}
	tests := []struct {
		id     string
		geom   string
		coords string
		place  string
		url    string
		title  string
	}{
		{"e01", "Point", "[125.7625,39.0392]", "Pyongyang", "https://example.org/news/nk-russia?x=1&y=2", fixture()[0].Title},
		{"e03", "MultiPoint", "[[44.8271,41.7151],[41.63,41.64]]", "Tbilisi", "", xssTitle},
		{"e04", "Point", "[36.23,49.99]", "Kharkiv", "", fixture()[3].Title},
	}
	if len(fc.Features) != len(tests) {
		t.Fatalf("features: got %d, want %d (events without a place are left out)", len(fc.Features), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			f := fc.Features[i]
			if f.Type != "Feature" || f.ID != tt.id || f.Geometry.Type != tt.geom {
				t.Errorf("got %s %s %s, want Feature %s %s", f.Type, f.ID, f.Geometry.Type, tt.id, tt.geom)
			}
			if c := string(f.Geometry.Coordinates); c != tt.coords {
				t.Errorf("coordinates: got %s, want %s (lon, lat)", c, tt.coords)
			}
			p := f.Properties
			if p["place"] != tt.place || p["title"] != tt.title || p["id"] != tt.id {
				t.Errorf("properties: got place %v title %v id %v", p["place"], p["title"], p["id"])
			}
			if got, _ := p["url"].(string); got != tt.url {
				t.Errorf("url: got %q, want %q", got, tt.url)
			}
			if n, _ := p["source_count"].(float64); n != 1 {
				t.Errorf("source_count: got %v, want 1", p["source_count"])
			}
		})
	}
}

func TestGeoJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := GeoJSON(&buf, nil); err != nil {
		t.Fatalf("GeoJSON: %v", err)
	}
	if got, want := buf.String(), `{"type":"FeatureCollection","features":[]}`+"\n"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestGeoJSONPlaces checks that every located place of an event is marked:
// one Point, or one MultiPoint with each distinct place once; unlocated
// places are skipped and an event with none is left out.
func TestGeoJSONPlaces(t *testing.T) {
	kyiv := event.Place{Name: "Kyiv", Country: "Ukraine", Lat: 50.45, Lon: 30.52}
	kharkiv := event.Place{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}
	odesa := event.Place{Name: "Odesa", Country: "Ukraine", Lat: 46.48, Lon: 30.72}
	unlocated := event.Place{Name: "somewhere", Country: "Ukraine"}
	tests := []struct {
		name   string
		places []event.Place
		want   string // the geometry's JSON; "" when the event is left out
	}{
		{"one place", []event.Place{kyiv}, `{"type":"Point","coordinates":[30.52,50.45]}`},
		{"three places", []event.Place{kyiv, kharkiv, odesa},
			`{"type":"MultiPoint","coordinates":[[30.52,50.45],[36.23,49.99],[30.72,46.48]]}`},
		{"unlocated first, a place twice", []event.Place{unlocated, kharkiv, {Name: "Kharkov", Lat: 49.99, Lon: 36.23}, kyiv},
			`{"type":"MultiPoint","coordinates":[[36.23,49.99],[30.52,50.45]]}`},
		{"one place twice", []event.Place{kyiv, kyiv}, `{"type":"Point","coordinates":[30.52,50.45]}`},
		{"no located place", []event.Place{unlocated}, ""},
		{"no place", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := fixture()[0]
			e.Places = tc.places
			var buf bytes.Buffer
			if err := GeoJSON(&buf, []event.Event{e}); err != nil {
				t.Fatal(err)
			}
			var fc struct {
				Features []struct {
					Geometry   json.RawMessage `json:"geometry"`
					Properties struct {
						Place  string        `json:"place"`
						Places []event.Place `json:"places"`
					} `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(fc.Features) != 0 {
					t.Errorf("got %d features, want the event left out", len(fc.Features))
				}
				return
			}
			if len(fc.Features) != 1 {
				t.Fatalf("got %d features, want 1", len(fc.Features))
			}
			f := fc.Features[0]
			if got := string(f.Geometry); got != tc.want {
				t.Errorf("geometry = %s, want %s", got, tc.want)
			}
			if len(f.Properties.Places) != len(tc.places) {
				t.Errorf("properties.places has %d places, want all %d", len(f.Properties.Places), len(tc.places))
			}
		})
	}
}
