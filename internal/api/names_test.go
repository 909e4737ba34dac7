package api_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// TestFiltersThroughNames: the actor and place filters of the API are
// case-insensitive and go through the gazetteer (aliases, and a place's
// country), and the facets count canonical names, on a real index on
// disk behind the real handler.
func TestFiltersThroughNames(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix}))
	t.Cleanup(srv.Close)

	ref := event.ArticleRef{ID: "names", URL: "https://names.example/", Title: "Roundup", Feed: "Test",
		Published: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)}
	ev := func(id, typ, date string, actors []string, places ...event.Place) event.Event {
		return event.Event{ID: id, Type: typ, Title: id, Sentence: id + ".", Date: date, Precision: event.Day,
			Status: event.Occurred, Actors: actors, Places: places, Article: ref, Confidence: 0.8, Mentions: 1}
	}
	set := event.Set{Article: ref, Events: []event.Event{
		ev("tbilisi", "protest", "2024-05-01", []string{"Georgian Dream"}, event.Place{Name: "Tbilisi", Country: "Georgia", Lat: 41.72, Lon: 44.79}),
		// No country written: the gazetteer knows Batumi is in Georgia.
		ev("batumi", "military_strike", "2024-05-02", []string{"Russia"}, event.Place{Name: "Batumi", Lat: 41.62, Lon: 41.64}),
		// Names as a report may write them: lower case, an alias.
		ev("paris", "meeting", "2024-05-03", []string{"france", "UK"}, event.Place{Name: "Paris", Country: "France", Lat: 48.86, Lon: 2.35}),
		ev("kiev", "military_strike", "2024-05-04", []string{"Russia"}, event.Place{Name: "Kiev", Country: "Ukraine", Lat: 50.45, Lon: 30.52}),
		// The US state, placed in the United States.
		ev("atlanta", "election", "2024-05-05", []string{"United States"}, event.Place{Name: "Georgia", Country: "United States", Lat: 32.17, Lon: -82.9}),
	}}
	if err := ix.Apply(ctx, []event.Set{set}, 1); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"actor=france", []string{"paris"}},
		{"actor=FRANCE", []string{"paris"}},
		{"actor=France", []string{"paris"}},
		{"actor=Britain", []string{"paris"}},
		{"actor=united+kingdom", []string{"paris"}},
		{"actor=uk", []string{"paris"}},
		{"actor=russia", []string{"batumi", "kiev"}},
		{"actor=georgian+dream", []string{"tbilisi"}},
		{"place=Georgia", []string{"atlanta", "batumi", "tbilisi"}},
		{"place=georgia&actor=russia", []string{"batumi"}},
		{"place=TBILISI", []string{"tbilisi"}},
		{"place=Kyiv", []string{"kiev"}},
		{"place=kiev", []string{"kiev"}},
		{"place=Ukraine", []string{"kiev"}},
		{"place=france", []string{"paris"}},
		{"place=United+States", []string{"atlanta"}},
		{"place=Narnia", nil},
		{"actor=Spain,uk", []string{"paris"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			code, body := get(t, srv.URL+"/api/v1/events?"+tt.query)
			if code != 200 {
				t.Fatalf("GET ?%s = %d %v", tt.query, code, body)
			}
			var got []string
			for _, e := range body["events"].([]any) {
				got = append(got, e.(map[string]any)["title"].(string))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("GET ?%s found %v, want %v", tt.query, got, tt.want)
			}
		})
	}

	code, body := get(t, srv.URL+"/api/v1/events?"+url.Values{"limit": {"1"}}.Encode())
	if code != 200 {
		t.Fatalf("facets: %d %v", code, body)
	}
	facets := body["facets"].(map[string]any)
	for _, f := range []struct {
		facet     string
		want, not []string
	}{
		{"actor", []string{"France", "United Kingdom", "Russia"}, []string{"france", "UK"}},
		{"place", []string{"Kyiv", "Tbilisi", "Batumi", "Paris"}, []string{"Kiev"}},
	} {
		counts, _ := facets[f.facet].(map[string]any)
		for _, name := range f.want {
			if _, ok := counts[name]; !ok {
				t.Errorf("facet %s = %v: no %q", f.facet, counts, name)
			}
		}
		for _, name := range f.not {
			if _, ok := counts[name]; ok {
				t.Errorf("facet %s = %v: %q is not a canonical name", f.facet, counts, name)
			}
		}
	}
	// A facet's name filters the search back to what it counted.
	if code, body := get(t, srv.URL+"/api/v1/events?actor="+url.QueryEscape("United Kingdom")); code != 200 || body["total"] != float64(1) {
		t.Errorf("actor=United Kingdom (the facet's name) = %d total %v, want 1", code, body["total"])
	}
}
