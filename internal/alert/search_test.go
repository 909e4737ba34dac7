package alert

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// TestRuleMeansTheSearch: a rule, and a rule on a saved search, match
// exactly the events the same search finds in a real on-disk index.
func TestRuleMeansTheSearch(t *testing.T) {
	t.Parallel()
	events := []event.Event{
		sampleEvent("a1", "arms"),
		sampleEvent("a2", "treaty", func(e *event.Event) {
			e.Type, e.Title, e.Sentence = "treaty_signing", "Russia and North Korea sign a partnership treaty", "The two leaders signed a treaty."
			e.Places, e.Status = []event.Place{{Name: "Pyongyang", Lat: 39.03, Lon: 125.75}}, event.Planned
		}),
		sampleEvent("a3", "strike", func(e *event.Event) {
			e.Type, e.Title, e.Sentence, e.Actors = "military_strike", "Drones strike Kharkiv", "Drones hit Kharkiv overnight during a drill.", []string{"Russia"}
			e.Places, e.Date, e.Article.Feed = []event.Place{{Name: "Kharkiv", Lat: 49.99, Lon: 36.23}}, "2024-05", "https://kyiv.example/rss"
		}),
		sampleEvent("a4", "odesa", func(e *event.Event) {
			e.Type, e.Title, e.Sentence, e.Actors = "protest", "Residents protest in Odesa", "Hundreds protested in Odesa and Kyiv.", []string{"Ukraine"}
			e.Places, e.Date = []event.Place{{Name: "Odesa", Lat: 46.48, Lon: 30.72}}, "2023-12-31"
		}),
	}
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var sets []event.Set
	for _, e := range events {
		sets = append(sets, event.Set{Article: e.Article, Events: []event.Event{e}})
	}
	if err := ix.Apply(context.Background(), sets, 1); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]string{}
	for _, e := range events {
		byTitle[e.Title] = e.ID
	}
	dest := []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}
	searches := []string{
		"q=kyiv+odesa", "q=" + url.QueryEscape("kyiv OR odesa"), "q=" + url.QueryEscape("+russia -drill"), "q=protests", "q=" + url.QueryEscape(`"partnership treaty"`),
		"q=type:protest", "type=protest,treaty_signing", "actor=Russia", "place=Kharkiv", "status=planned",
		"feed=" + url.QueryEscape("https://kyiv.example/rss"), "from=2024-05&to=2024-05", "to=2023", "near=50,36.2,50",
		"q=shells&from=2024-10", "",
	}
	for _, s := range searches {
		t.Run(s, func(t *testing.T) {
			v, _ := url.ParseQuery(s)
			q, err := index.ParseParams(v)
			if err != nil {
				t.Fatal(err)
			}
			q.Limit = index.MaxLimit
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range res.Events {
				want = append(want, byTitle[e.Title])
			}
			slices.Sort(want)
			if len(want) == 0 || (len(want) == len(events)) != (s == "") {
				t.Fatalf("the search finds %v: the case tells no events apart", want)
			}

			saved := &savedRules{lookup: func(string) (url.Values, bool) { return v, true }}
			onSearch, err := compile(Rule{Name: "saved", Search: "s", Destinations: dest}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			rules := saved.effective([]*compiled{onSearch})
			if len(v["feed"])+len(v["from"])+len(v["to"])+len(v["near"]) == 0 {
				own, err := compile(Rule{Name: "own", Query: q.Q, Types: q.Types, Actors: q.Actors, Places: q.Places,
					Statuses: q.Statuses, Destinations: dest}, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				rules = append(rules, own)
			}
			got, err := match(context.Background(), rules, events)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rules {
				var ids []string
				for _, e := range got[r] {
					ids = append(ids, e.ID)
				}
				slices.Sort(ids)
				if !slices.Equal(ids, want) {
					t.Errorf("rule %q matches %v, the search finds %v", r.Name, ids, want)
				}
			}
		})
	}
}
