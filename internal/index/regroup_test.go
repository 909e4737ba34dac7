package index

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// report is one article's report of one event, as the extractor gives
// it, for the tests of regrouping.
func report(art, typ, cameo, date string, day int, actors []string, places []event.Place) event.Set {
	_, _, p, _ := event.ParseDate(date)
	ref := event.ArticleRef{ID: art, URL: "https://" + art + ".example/", Title: art, Feed: art,
		Published: time.Date(2024, 6, day, 12, 0, 0, 0, time.UTC)}
	e := event.Event{
		ID: event.ID(art, typ, date, "", actors), Type: typ, CAMEO: cameo, Title: art + " report",
		Sentence: "As " + art + " reported.", Date: date, Precision: p, DateText: date,
		Status: event.Occurred, Actors: actors, Places: places, Article: ref, Confidence: 0.8, Mentions: 1,
	}
	return event.Set{Article: ref, Events: []event.Event{e}}
}

// applyInOrder applies sets one per Apply, in the order of perm.
func applyInOrder(t *testing.T, ix *Index, sets []event.Set, perm []int) {
	t.Helper()
	for i, k := range perm {
		apply(t, ix, []event.Set{sets[k]}, uint64(i+1))
	}
}

// TestSanctionsMergeAnyOrder is the case of issue 13: two feeds report one
// EU sanctions decision on one day, one naming {European Union, Iran,
// Russia, Ukraine} and a place, the other {European Union, Iran, Russia}
// and none. Every arrival order, one article per Apply or both in one,
// gives one event with two sources and the same id and JSON, also after a
// restart.
func TestSanctionsMergeAnyOrder(t *testing.T) {
	sets := []event.Set{
		report("eeas", "sanction", "163", "2024-06-24", 24, []string{"European Union", "Iran", "Russia", "Ukraine"},
			[]event.Place{{Name: "Brussels", Country: "Belgium", Lat: 50.85, Lon: 4.35}}),
		report("voa", "sanction", "163", "2024-06-24", 25, []string{"European Union", "Iran", "Russia"}, nil),
	}
	var want []string
	for _, perm := range append(permutations(len(sets)), nil) {
		name := fmt.Sprint(perm)
		if perm == nil {
			name = "one batch"
		}
		t.Run(name, func(t *testing.T) {
			ix, dir := openTest(t)
			if perm == nil {
				apply(t, ix, sets, 1)
			} else {
				applyInOrder(t, ix, sets, perm)
			}
			got := dump(t, ix)
			if len(got) != 1 {
				t.Fatalf("got %d events, want 1: %v", len(got), got)
			}
			e, _, err := ix.Get(context.Background(), sets[1].Events[0].ID)
			if err != nil || e.SourceCount != 2 || len(e.Sources) != 2 {
				t.Fatalf("Get(member) = %d sources from %d feeds, %v; want 2 and 2", len(e.Sources), e.SourceCount, err)
			}
			if want == nil {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("order %s gives\n%s\nwant\n%s", name, got, want)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			again, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer again.Close()
			apply(t, again, sets, 10) // a replay after the restart
			if got := dump(t, again); !slices.Equal(got, want) {
				t.Errorf("after restart and replay:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestStrikesInTwoCitiesStayTwo: two strikes by one actor on one day in two
// cities of one country stay two events in every order, also when a third
// report tells one of them again.
func TestStrikesInTwoCitiesStayTwo(t *testing.T) {
	kharkiv := event.Place{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}
	odesa := event.Place{Name: "Odesa", Country: "Ukraine", Lat: 46.48, Lon: 30.72}
	sets := []event.Set{
		report("ukrinform", "military_strike", "190", "2024-05-25", 25, []string{"Russia"}, []event.Place{kharkiv}),
		report("kyivpost", "military_strike", "190", "2024-05-25", 26, []string{"Russia"}, []event.Place{odesa}),
		report("voa", "military_strike", "190", "2024-05-25", 26, []string{"Russia"}, []event.Place{kharkiv}),
	}
	for _, tc := range []struct {
		name string
		sets []event.Set
		want int
	}{
		{"two cities", sets[:2], 2},
		{"two cities, one reported twice", sets, 2},
	} {
		var want []string
		for _, perm := range permutations(len(tc.sets)) {
			t.Run(fmt.Sprintf("%s/%v", tc.name, perm), func(t *testing.T) {
				ix, _ := openTest(t)
				applyInOrder(t, ix, tc.sets, perm)
				got := dump(t, ix)
				if len(got) != tc.want {
					t.Fatalf("got %d events, want %d: %v", len(got), tc.want, got)
				}
				if want == nil {
					want = got
				} else if !slices.Equal(got, want) {
					t.Errorf("order %v gives\n%s\nwant\n%s", perm, got, want)
				}
			})
		}
	}
}

// TestJoinKeepsOldIDs: two reports that stand apart ({EU, Iran} and {EU,
// Russia} share one actor of three) are joined by a third naming {EU,
// Iran, Russia}. The result is one event with three sources; both ids the
// two events had resolve to it (Get and Resolve), and it lists them in
// FormerIDs. Leaving the third article out again splits them back.
func TestJoinKeepsOldIDs(t *testing.T) {
	ctx := context.Background()
	iran := report("gov-uk", "sanction", "163", "2024-06-24", 24, []string{"European Union", "Iran"}, nil)
	russia := report("un-news", "sanction", "163", "2024-06-24", 24, []string{"European Union", "Russia"}, nil)
	both := report("voa", "sanction", "163", "2024-06-24", 25, []string{"European Union", "Iran", "Russia"}, nil)

	ix, _ := openTest(t)
	apply(t, ix, []event.Set{iran, russia}, 1)
	before := find(t, ix, Query{}).Events
	if len(before) != 2 {
		t.Fatalf("before the join: %d events, want 2", len(before))
	}
	apply(t, ix, []event.Set{both}, 2)
	after := find(t, ix, Query{}).Events
	if len(after) != 1 || len(after[0].Sources) != 3 {
		t.Fatalf("after the join: %d events, want 1 with 3 sources", len(after))
	}
	joined := after[0]
	merged, err := ix.Merged(ctx, []event.Set{iran, russia, both})
	if err != nil || len(merged) != 1 || merged[0].ID != joined.ID {
		t.Errorf("Merged(all three) = %v, %v; want the joined event %s", ids(merged), err, joined.ID)
	}
	for _, old := range before {
		t.Run("old id "+old.ID, func(t *testing.T) {
			e, found, err := ix.Get(ctx, old.ID)
			if err != nil || !found || e.ID != joined.ID {
				t.Errorf("Get(%s) = %s, %v, %v; want %s", old.ID, e.ID, found, err, joined.ID)
			}
			cur, moved, found, err := ix.Resolve(ctx, old.ID)
			if err != nil || !found || cur != joined.ID || moved != (old.ID != joined.ID) {
				t.Errorf("Resolve(%s) = %s, moved %v, found %v, %v; want %s", old.ID, cur, moved, found, err, joined.ID)
			}
			if old.ID != joined.ID && !slices.Contains(joined.FormerIDs, old.ID) {
				t.Errorf("FormerIDs %v lack %s", joined.FormerIDs, old.ID)
			}
		})
	}
	if _, _, found, err := ix.Resolve(ctx, "000000000000000000000000"); found || err != nil {
		t.Errorf("Resolve(unknown) found %v, %v; want not found", found, err)
	}

	apply(t, ix, []event.Set{{Article: both.Article}}, 3) // the article loses its event
	if got := find(t, ix, Query{}).Events; len(got) != 2 {
		t.Errorf("after the bridge left: %d events, want 2", len(got))
	}
}

// TestPartitionIsAFunctionOfTheSet checks partition directly: any order of
// its input gives the same clusters.
func TestPartitionIsAFunctionOfTheSet(t *testing.T) {
	c, err := builtinClustering()
	if err != nil {
		t.Fatal(err)
	}
	var ms []event.Event
	for _, s := range []event.Set{
		report("a", "sanction", "163", "2024-06-24", 24, []string{"European Union", "Iran"}, nil),
		report("b", "sanction", "163", "2024-06-24", 24, []string{"European Union", "Russia"}, nil),
		report("c", "sanction", "163", "2024-06", 25, []string{"European Union", "Iran", "Russia"}, nil),
		report("d", "sanction", "163", "2024-06-24", 23, []string{"United States", "Iran"}, nil),
		report("e", "meeting", "040", "2024-06-24", 23, []string{"United States", "Iran"}, nil),
	} {
		ms = append(ms, s.Events...)
	}
	want := fmt.Sprint(partitionIDs(c.partition(ms)))
	for _, perm := range permutations(len(ms)) {
		in := make([]event.Event, len(ms))
		for i, k := range perm {
			in[i] = ms[k]
		}
		if got := fmt.Sprint(partitionIDs(c.partition(in))); got != want {
			t.Errorf("order %v: %s, want %s", perm, got, want)
		}
	}
}

func partitionIDs(parts [][]event.Event) [][]string {
	out := make([][]string, len(parts))
	for i, p := range parts {
		for _, m := range p {
			out[i] = append(out[i], m.Article.ID)
		}
	}
	return out
}
