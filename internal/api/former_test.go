package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// sanctions is one article's report of an EU sanctions decision on 24 June
// 2024 naming actors, published on day of June 2024.
func sanctions(art string, day int, actors ...string) event.Set {
	ref := event.ArticleRef{ID: art, URL: "https://" + art + ".example/", Title: art, Feed: art,
		Published: time.Date(2024, 6, day, 12, 0, 0, 0, time.UTC)}
	e := event.Event{
		ID: event.ID(art, "sanction", "2024-06-24", "", actors), Type: "sanction", CAMEO: "163",
		Title: art + " report", Sentence: "As " + art + " reported.", Date: "2024-06-24", Precision: event.Day,
		DateText: "24 June 2024", Status: event.Occurred, Actors: actors, Article: ref, Confidence: 0.8, Mentions: 1,
	}
	return event.Set{Article: ref, Events: []event.Event{e}}
}

// TestOldIDsRedirect: two reports that stand apart ({EU, Iran} and {EU,
// Russia}) make two events; a third naming {EU, Iran, Russia}, published
// earlier, joins them, so the joined event takes an id of its own (that
// of its earliest report). GET /api/v1/events/{old} then answers 308 with
// a Location leading to the joined event, for both old ids, and the
// joined event lists both in former_ids.
func TestOldIDsRedirect(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix}))
	t.Cleanup(srv.Close)

	if err := ix.Apply(ctx, []event.Set{sanctions("gov-uk", 24, "European Union", "Iran"), sanctions("un-news", 24, "European Union", "Russia")}, 1); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, srv.URL+"/api/v1/events")
	if code != 200 || body["total"] != float64(2) {
		t.Fatalf("before the join: %d %v, want 2 events", code, body["total"])
	}
	var before []string
	for _, e := range body["events"].([]any) {
		before = append(before, e.(map[string]any)["id"].(string))
	}
	if err := ix.Apply(ctx, []event.Set{sanctions("voa", 23, "European Union", "Iran", "Russia")}, 2); err != nil {
		t.Fatal(err)
	}
	code, body = get(t, srv.URL+"/api/v1/events")
	if code != 200 || body["total"] != float64(1) {
		t.Fatalf("after the join: %d %v, want 1 event", code, body["total"])
	}
	joined := body["events"].([]any)[0].(map[string]any)["id"].(string)

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, old := range before {
		t.Run(old, func(t *testing.T) {
			resp, err := noFollow.Get(srv.URL + "/api/v1/events/" + old)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if resp.StatusCode != http.StatusPermanentRedirect || err != nil || loc.Path != "/api/v1/events/"+joined {
				t.Fatalf("GET old id = %d Location %v (%v), want 308 to /api/v1/events/%s", resp.StatusCode, loc, err, joined)
			}
			// Followed, the redirect ends at the joined event, which
			// lists the old id among its former ids.
			resp, err = http.Get(srv.URL + "/api/v1/events/" + old)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e event.Event
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 200 {
				t.Fatalf("following the redirect: %d, %v", resp.StatusCode, err)
			}
			if e.ID != joined || len(e.Sources) != 3 || !slices.Contains(e.FormerIDs, old) {
				t.Errorf("followed to %s with %d sources and former_ids %v; want %s with 3 sources listing %s", e.ID, len(e.Sources), e.FormerIDs, joined, old)
			}
		})
	}
	if slices.Contains(before, joined) {
		t.Errorf("the joined event kept the id %s of one it joined, want the id of its earliest report", joined)
	}
	if code, body := get(t, srv.URL+"/api/v1/events/"+joined); code != 200 || body["id"] != joined {
		t.Errorf("GET the joined event's own id = %d %v, want 200", code, body["id"])
	}
	if code, _ := get(t, srv.URL+"/api/v1/events/000000000000000000000000"); code != 404 {
		t.Errorf("GET an id no event had = %d, want 404", code)
	}
}
