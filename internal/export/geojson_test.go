package export

import (
	"bytes"
	"encoding/json"
	"testing"
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
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
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
		id       string
		lon, lat float64
		place    string
		url      string
		title    string
	}{
		{"e01", 125.7625, 39.0392, "Pyongyang", "https://example.org/news/nk-russia?x=1&y=2", fixture()[0].Title},
		{"e03", 44.8271, 41.7151, "Tbilisi", "", xssTitle},
		{"e04", 36.23, 49.99, "Kharkiv", "", fixture()[3].Title},
	}
	if len(fc.Features) != len(tests) {
		t.Fatalf("features: got %d, want %d (events without a place are left out)", len(fc.Features), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			f := fc.Features[i]
			if f.Type != "Feature" || f.ID != tt.id || f.Geometry.Type != "Point" {
				t.Errorf("got %s %s %s, want Feature %s Point", f.Type, f.ID, f.Geometry.Type, tt.id)
			}
			if c := f.Geometry.Coordinates; len(c) != 2 || c[0] != tt.lon || c[1] != tt.lat {
				t.Errorf("coordinates: got %v, want [%v %v] (lon, lat)", c, tt.lon, tt.lat)
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
