package alert

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

// TestSavedSearchRule: a rule on a saved search matches what the search
// selects, every filter of GET /api/v1/events included, and follows the
// search when it changes or goes away.
func TestSavedSearchRule(t *testing.T) {
	t.Parallel()
	events := []event.Event{
		sampleEvent("a1", "rason", func(e *event.Event) { e.Places[0].Lat, e.Places[0].Lon = 42.25, 130.3 }),
		sampleEvent("a2", "kharkiv", func(e *event.Event) {
			e.Type, e.Title, e.Sentence, e.Date = "military_strike", "Drones strike Kharkiv", "Drones hit Kharkiv.", "2024-05-10"
			e.Places = []event.Place{{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}}
			e.Article.Feed = "https://kyiv.example/rss"
		}),
	}
	sources := map[string]int{"rason": 1, "kharkiv": 3}
	searches := map[string]string{}
	s := &savedRules{lookup: func(name string) (url.Values, bool) {
		q, ok := searches[name]
		v, _ := url.ParseQuery(q)
		return v, ok
	}}
	cases := []struct{ name, query string }{
		{"words and type", "q=shells&type=arms_transfer"},
		{"min_sources", "min_sources=2"},
		{"feed", "feed=https://kyiv.example/rss"},
		{"from and to", "from=2024-10&to=2024-12"},
		{"to alone", "to=2024-06"},
		{"near Kharkiv", "near=50,36.2,50"},
		{"status", "status=planned"},
	}
	want := map[string][]string{
		"words and type": {"rason"}, "min_sources": {"kharkiv"}, "feed": {"kharkiv"},
		"from and to": {"rason"}, "to alone": {"kharkiv"}, "near Kharkiv": {"kharkiv"}, "status": nil,
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := compile(Rule{Name: "r", Search: "s", Destinations: []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			searches["s"] = c.query
			got, err := matchSources(context.Background(), s.effective([]*compiled{r}), events, func(id string) int { return sources[id] })
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, rs := range got {
				for _, e := range rs {
					ids = append(ids, e.ID)
				}
			}
			if !slices.Equal(ids, want[c.name]) {
				t.Errorf("search %q matched %v, want %v", c.query, ids, want[c.name])
			}
		})
	}
	var logs syncBuffer
	s.log = slog.New(slog.NewTextHandler(&logs, nil))
	r, _ := compile(Rule{Name: "r", Search: "gone", Destinations: []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}}, nil, nil)
	for range 3 {
		if got := s.effective([]*compiled{r}); len(got) != 0 {
			t.Errorf("a rule on a missing search is effective: %v", got)
		}
	}
	searches["gone"] = "q=treaty"
	if got := s.effective([]*compiled{r}); len(got) != 1 {
		t.Errorf("the search is back, the rule is not effective")
	}
	if n, back := strings.Count(logs.String(), "missing"), strings.Count(logs.String(), "found again"); n != 1 || back != 1 {
		t.Errorf("logged 'missing' %d and 'found again' %d times, want once each:\n%s", n, back, logs.String())
	}
	// A search the API would refuse matches nothing: the same ranges
	// hold everywhere (index.ParseParams).
	for _, bad := range []string{"near=north", "near=91,0,10", "near=0,0,30000", "min_sources=0", "min_sources=1001",
		"status=maybe", "from=yesterday", "q=" + url.QueryEscape("/.*/")} {
		searches["bad"] = bad
		r, _ = compile(Rule{Name: "r2", Search: "bad", Destinations: []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}}, nil, nil)
		if got := s.effective([]*compiled{r}); len(got) != 0 {
			t.Errorf("a rule on the malformed search %q is effective", bad)
		}
	}
}
