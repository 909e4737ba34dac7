package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// treatyReports are three articles from three feeds reporting one treaty
// signing, each in its own words: actors in another order or case, places
// and confidences that differ.
func treatyReports() []event.Set {
	report := func(art, feed string, day int, conf float64, mentions int, actors []string, places []event.Place, title, sent string) event.Set {
		ref := event.ArticleRef{ID: art, URL: "https://" + art + ".example/treaty", Title: feed + ": " + title,
			Feed: feed, Published: time.Date(2024, 6, day, 12, 0, 0, 0, time.UTC)}
		e := event.Event{
			ID: event.ID(art, "treaty_signing", "2024-06-19", "", actors), Type: "treaty_signing", CAMEO: "057",
			Title: title, Sentence: sent, Date: "2024-06-19", Precision: event.Day, DateText: "June 19, 2024",
			Status: event.Occurred, Actors: actors, Places: places, Article: ref, Confidence: conf, Mentions: mentions,
		}
		return event.Set{Article: ref, Events: []event.Event{e}}
	}
	pyongyang := event.Place{Name: "Pyongyang", Country: "North Korea", Lat: 39.03, Lon: 125.75}
	return []event.Set{
		report("tass", "TASS", 20, 0.8, 2, []string{"Russia", "North Korea"}, []event.Place{pyongyang},
			"Russia and North Korea sign a partnership treaty", "Putin and Kim signed the treaty in Pyongyang on June 19."),
		report("yonhap", "Yonhap", 19, 0.9, 1, []string{"North Korea", "Russia"}, nil,
			"North Korea and Russia sign a mutual defence pact", "The two leaders signed a mutual defence pact on June 19, 2024."),
		report("reuters", "Reuters", 21, 0.9, 3, []string{"north korea", "RUSSIA"},
			[]event.Place{{Name: "Moscow", Country: "Russia"}, pyongyang},
			"Kremlin hails treaty with Pyongyang", "The treaty signed on June 19 commits both to mutual aid."),
	}
}

// permutations returns every order of n items.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := slices.Insert(slices.Clone(p), i, n-1)
			out = append(out, q)
		}
	}
	return out
}

// dump returns every event in the index as JSON, in date then id order.
func dump(t *testing.T, ix *Index) []string {
	t.Helper()
	var out []string
	q := Query{Sort: SortDate, Limit: MaxLimit}
	for {
		res := find(t, ix, q)
		for _, e := range res.Events {
			raw, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(raw))
		}
		if res.Next == "" {
			return out
		}
		q.Cursor = res.Next
	}
}

func TestClusterTreatyAnyOrder(t *testing.T) {
	sets := treatyReports()
	var wantJSON string
	for _, perm := range permutations(len(sets)) {
		ordered := make([]event.Set, len(perm))
		for i, k := range perm {
			ordered[i] = sets[k]
		}
		for _, mode := range []string{"separate batches", "one batch"} {
			t.Run(fmt.Sprintf("%v/%s", perm, mode), func(t *testing.T) {
				ix, _ := openTest(t)
				if mode == "one batch" {
					apply(t, ix, ordered, 1)
				} else {
					for i, s := range ordered {
						apply(t, ix, []event.Set{s}, uint64(i+1))
					}
				}
				got := dump(t, ix)
				if len(got) != 1 {
					t.Fatalf("got %d events, want 1: %v", len(got), got)
				}
				if wantJSON == "" {
					wantJSON = got[0]
					checkTreaty(t, got[0])
				} else if got[0] != wantJSON {
					t.Errorf("order %v gives\n%s\nwant (first order)\n%s", perm, got[0], wantJSON)
				}
			})
		}
	}
}

// checkTreaty checks the merge rules on the merged treaty.
func checkTreaty(t *testing.T, raw string) {
	t.Helper()
	var e event.Event
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		t.Fatal(err)
	}
	sets := treatyReports()
	wantID := ClusterID(sets[0].Events[0])
	var sources []string
	for _, s := range e.Sources {
		sources = append(sources, s.Feed+"/"+s.EventID)
	}
	tests := []struct {
		field     string
		got, want any
	}{
		{"id", e.ID, wantID},
		{"source_count", e.SourceCount, 3},
		{"sources in publication order", sources, []string{
			"Yonhap/" + sets[1].Events[0].ID, "TASS/" + sets[0].Events[0].ID, "Reuters/" + sets[2].Events[0].ID}},
		{"mentions summed", e.Mentions, 6},
		{"article is the earliest", e.Article.ID, "yonhap"},
		{"title of the most confident, earliest", e.Title, "North Korea and Russia sign a mutual defence pact"},
		{"sentence with it", e.Sentence, "The two leaders signed a mutual defence pact on June 19, 2024."},
		{"actors united", e.Actors, []string{"North Korea", "Russia"}},
		{"places united", fmt.Sprint(e.Places), fmt.Sprint([]event.Place{
			{Name: "Pyongyang", Country: "North Korea", Lat: 39.03, Lon: 125.75}, {Name: "Moscow", Country: "Russia"}})},
		{"confidence raised by two more feeds", e.Confidence, 0.919},
	}
	for _, tt := range tests {
		if fmt.Sprint(tt.got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.field, tt.got, tt.want)
		}
	}
	if s := e.Sources[0]; s.Sentence != sets[1].Events[0].Sentence || s.URL != sets[1].Article.URL || s.Title != sets[1].Article.Title {
		t.Errorf("first source: got %+v, want Yonhap's article and sentence", s)
	}
}

func TestClusterKeepsApart(t *testing.T) {
	strike := func(art, source, city string, actors ...string) event.Set {
		e := ev("strike-"+art, "military_strike", "2024-05-25", "Strike on "+city,
			article(art), feed(source), place(city, 1, 1), func(e *event.Event) { e.Actors = actors })
		return event.Set{Article: e.Article, Events: []event.Event{e}}
	}
	treaty := func(art string, typ string, status event.Status, date string, actors ...string) event.Set {
		e := ev(art+"-"+typ, typ, date, "Treaty", article(art), func(e *event.Event) { e.Actors, e.Status = actors, status })
		return event.Set{Article: e.Article, Events: []event.Event{e}}
	}
	tests := []struct {
		name string
		sets []event.Set
		want int
	}{
		{"strikes on one day in two cities", []event.Set{
			strike("s1", "Kyiv Post", "Kharkiv", "Russia"), strike("s2", "Reuters", "Odesa", "Russia")}, 2},
		{"strikes in one city named with other actors", []event.Set{
			strike("s1", "Kyiv Post", "Kharkiv", "Russia"), strike("s2", "Reuters", "Kharkiv", "Russian Armed Forces")}, 1},
		{"same actors, other type", []event.Set{
			treaty("t1", "treaty_signing", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			treaty("t2", "meeting", event.Occurred, "2024-06-19", "Russia", "North Korea")}, 2},
		{"a day outside the month report", []event.Set{
			treaty("t1", "treaty_signing", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			treaty("t2", "treaty_signing", event.Occurred, "2024-07", "Russia", "North Korea")}, 2},
		{"a day and a year-only report", []event.Set{
			treaty("t1", "treaty_signing", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			treaty("t2", "treaty_signing", event.Occurred, "2024", "Russia", "North Korea")}, 2},
		{"denied is not occurred", []event.Set{
			treaty("t1", "treaty_signing", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			treaty("t2", "treaty_signing", event.Denied, "2024-06-19", "Russia", "North Korea")}, 2},
		{"one actor of three in common", []event.Set{
			treaty("t1", "sanction", event.Occurred, "2024-06-19", "European Union", "Iran"),
			treaty("t2", "sanction", event.Occurred, "2024-06-19", "European Union", "Belarus")}, 2},
		{"another day", []event.Set{
			treaty("t1", "treaty_signing", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			treaty("t2", "treaty_signing", event.Occurred, "2024-06-20", "Russia", "North Korea")}, 2},
		{"strikes in two cities of one country", []event.Set{
			strikeIn("s1", "Kharkiv", "Ukraine"), strikeIn("s2", "Odesa", "Ukraine")}, 2},
		{"neither actors nor places", []event.Set{
			treaty("t1", "aid", event.Occurred, "2024-06-19"), treaty("t2", "aid", event.Occurred, "2024-06-19")}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, _ := openTest(t)
			apply(t, ix, tt.sets, 1)
			if got := count(t, ix); got != uint64(tt.want) {
				t.Errorf("got %d events, want %d: %v", got, tt.want, ids(find(t, ix, Query{}).Events))
			}
		})
	}
}

// strikeIn is a report of a Russian strike in city of country on May 25,
// 2024.
func strikeIn(art, city, country string) event.Set {
	e := ev("strike-"+art, "military_strike", "2024-05-25", "Strike on "+city, article(art), feed(art),
		actors("Russia"), func(e *event.Event) { e.Places = []event.Place{{Name: city, Country: country}} })
	return event.Set{Article: e.Article, Events: []event.Event{e}}
}

// TestClusterMergesCompatible checks that reports of one happening merge
// when they are compatible, not identical, in every arrival order.
func TestClusterMergesCompatible(t *testing.T) {
	report := func(art, typ, cameo string, status event.Status, date string, actors ...string) event.Set {
		e := ev(art+"-"+typ, typ, date, "Report", article(art), feed(art),
			func(e *event.Event) { e.Actors, e.Status, e.CAMEO = actors, status, cameo })
		if len(date) == 7 {
			e.Precision = event.Month
		}
		return event.Set{Article: e.Article, Events: []event.Event{e}}
	}
	noPlace := func(s event.Set) event.Set { s.Events[0].Places = nil; return s }
	tests := []struct {
		name string
		sets []event.Set
	}{
		{"a day inside the month report", []event.Set{
			report("t1", "treaty_signing", "057", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			report("t2", "treaty_signing", "057", event.Occurred, "2024-06", "Russia", "North Korea")}},
		{"planned, then occurred", []event.Set{
			report("t1", "treaty_signing", "057", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			report("t2", "treaty_signing", "057", event.Planned, "2024-06-19", "Russia", "North Korea")}},
		{"one actor set inside the other", []event.Set{
			report("t1", "treaty_signing", "057", event.Occurred, "2024-06-19", "Russia", "North Korea"),
			report("t2", "treaty_signing", "057", event.Occurred, "2024-06-19", "Russia", "North Korea", "China")}},
		{"a large share of actors in common", []event.Set{
			report("t1", "sanction", "163", event.Occurred, "2024-06-19", "European Union", "Iran", "Russia"),
			report("t2", "sanction", "163", event.Occurred, "2024-06-19", "European Union", "Iran", "Russia", "Belarus", "China")}},
		{"a meeting and a negotiation (CAMEO 040 and 046)", []event.Set{
			report("t1", "meeting", "040", event.Occurred, "2024-06-19", "United States", "China"),
			report("t2", "negotiation", "046", event.Occurred, "2024-06-19", "China", "United States")}},
		{"a city inside its country", []event.Set{
			strikeIn("s1", "Kharkiv", "Ukraine"), strikeIn("s2", "Ukraine", "")}},
		{"a report with no place", []event.Set{
			strikeIn("s1", "Kharkiv", "Ukraine"), noPlace(strikeIn("s2", "Kharkiv", "Ukraine"))}},
		{"overlapping spans", []event.Set{
			report("a1", "arms_transfer", "072", event.Occurred, "2023-09", "North Korea", "Russia"),
			func() event.Set {
				s := report("a2", "arms_transfer", "072", event.Occurred, "2023-11", "Russia", "North Korea")
				s.Events[0].DateEnd = "2024-03"
				return s
			}()},
		},
	}
	// The spans case: the first report is a span too.
	tests[len(tests)-1].sets[0].Events[0].DateEnd = "2024-09"
	for _, tt := range tests {
		for _, perm := range permutations(len(tt.sets)) {
			t.Run(fmt.Sprintf("%s/%v", tt.name, perm), func(t *testing.T) {
				ix, _ := openTest(t)
				for i, k := range perm {
					apply(t, ix, []event.Set{tt.sets[k]}, uint64(i+1))
				}
				res := find(t, ix, Query{})
				if len(res.Events) != 1 || len(res.Events[0].Sources) != len(tt.sets) {
					t.Fatalf("got %d events (%v), want 1 with %d sources", len(res.Events), ids(res.Events), len(tt.sets))
				}
			})
		}
	}
}

func TestClusterUpdatedArticle(t *testing.T) {
	ix, _ := openTest(t)
	sets := treatyReports()
	strike := ev("k1", "military_strike", "2024-05-25", "Strike on Kharkiv", article("kp"), place("Kharkiv", 49.99, 36.23))
	apply(t, ix, append(slices.Clone(sets), event.Set{Article: strike.Article, Events: []event.Event{strike}}), 1)
	treatyID := ClusterID(sets[0].Events[0])
	strikeID := ClusterID(strike)

	// TASS corrects its date: its report leaves the treaty for a cluster
	// of its own. Kyiv Post drops its strike: that event goes.
	moved := sets[0]
	moved.Events = slices.Clone(moved.Events)
	moved.Events[0].Date, moved.Events[0].ID = "2024-06-18", "tass-corrected"
	apply(t, ix, []event.Set{moved, {Article: strike.Article}}, 2)

	if got := count(t, ix); got != 2 {
		t.Errorf("Count: got %d, want 2 (the treaty, TASS's own)", got)
	}
	treaty, ok, err := ix.Get(context.Background(), treatyID)
	if err != nil || !ok {
		t.Fatalf("Get(treaty): ok=%v err=%v", ok, err)
	}
	if treaty.SourceCount != 2 || len(treaty.Sources) != 2 || treaty.Mentions != 4 {
		t.Errorf("treaty: %d sources (%d feeds), %d mentions; want 2, 2, 4", len(treaty.Sources), treaty.SourceCount, treaty.Mentions)
	}
	for id, want := range map[string]bool{
		strikeID: false, "k1": false, sets[0].Events[0].ID: false,
		"tass-corrected": true, sets[1].Events[0].ID: true,
	} {
		if _, ok, err := ix.Get(context.Background(), id); ok != want || err != nil {
			t.Errorf("Get(%s): found=%v err=%v, want found=%v", id, ok, err, want)
		}
	}
	own, _, _ := ix.Get(context.Background(), "tass-corrected")
	if own.Date != "2024-06-18" || own.Sources != nil || own.SourceCount != 0 || own.Article.ID != "tass" {
		t.Errorf("TASS's own event: %+v, want dated 2024-06-18, one article, no sources", own)
	}

	// TASS corrects back: the treaty is whole again, as before.
	apply(t, ix, []event.Set{sets[0]}, 3)
	fresh, _ := openTest(t)
	apply(t, fresh, sets, 1)
	if got, want := dump(t, ix), dump(t, fresh); !slices.Equal(got, want) {
		t.Errorf("after moving back:\n got %v\nwant %v", got, want)
	}
}

func TestClusterUpdateInOneBatch(t *testing.T) {
	sets := treatyReports()
	gone := event.Set{Article: sets[2].Article} // Reuters withdraws its report, later in the same batch
	ix, _ := openTest(t)
	apply(t, ix, []event.Set{sets[0], sets[2], sets[1], gone}, 1)
	want, _ := openTest(t)
	apply(t, want, sets[:2], 1)
	if got, want := dump(t, ix), dump(t, want); !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestClusterRestartAndReplay(t *testing.T) {
	sets := setsOf(genEchoes(genCorpus(300, 5), 100, 9))
	ix, dir := openTest(t)
	for i := 0; i < len(sets); i += 7 {
		apply(t, ix, sets[i:min(i+7, len(sets))], uint64(i+1))
	}
	before := dump(t, ix)
	merged := 0
	for _, raw := range before {
		var e event.Event
		_ = json.Unmarshal([]byte(raw), &e)
		if e.SourceCount > 0 {
			merged++
		}
	}
	if merged < 10 || len(before) > 300 {
		t.Fatalf("corpus: %d events, %d merged; want at most 300 and at least 10 merged", len(before), merged)
	}

	t.Run("restart", func(t *testing.T) {
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		reopened, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer reopened.Close()
		if got := dump(t, reopened); !slices.Equal(got, before) {
			t.Errorf("after reopening: %d events differ from the %d before", len(got), len(before))
		}
		// Replaying the stream on the reopened index changes nothing.
		apply(t, reopened, sets, 999)
		if got := dump(t, reopened); !slices.Equal(got, before) {
			t.Errorf("after replaying: %d events differ from the %d before", len(got), len(before))
		}
	})
	t.Run("rebuild in another order", func(t *testing.T) {
		shuffled := slices.Clone(sets)
		rand.New(rand.NewSource(3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		rebuilt, err := Open(filepath.Join(t.TempDir(), "rebuilt"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer rebuilt.Close()
		for i := 0; i < len(shuffled); i += 50 {
			apply(t, rebuilt, shuffled[i:min(i+50, len(shuffled))], uint64(i+1))
		}
		if got := dump(t, rebuilt); !slices.Equal(got, before) {
			t.Errorf("rebuilt: %d events, before %d; they differ", len(got), len(before))
		}
	})
}

func TestClusterSearch(t *testing.T) {
	ix := loaded(t)
	sets := treatyReports()
	apply(t, ix, sets, 11)
	treatyID := ClusterID(sets[0].Events[0])

	t.Run("get by member id", func(t *testing.T) {
		for _, s := range sets {
			got, ok, err := ix.Get(context.Background(), s.Events[0].ID)
			if err != nil || !ok || got.ID != treatyID {
				t.Errorf("Get(%s): id %q ok=%v err=%v, want %s", s.Events[0].ID, got.ID, ok, err, treatyID)
			}
		}
	})
	// The fixture's e01 (feed World) reports the same signing: four feeds.
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"min_sources 2", Query{MinSources: 2}, []string{treatyID}},
		{"min_sources 4", Query{MinSources: 4}, []string{treatyID}},
		{"min_sources 5", Query{MinSources: 5}, []string{}},
		{"source_count in the query string", Query{Q: "source_count:>=3"}, []string{treatyID}},
		{"words of one source's sentence", Query{Q: `"mutual aid"`}, []string{treatyID}},
		{"words of one source's article title", Query{Q: "kremlin"}, []string{treatyID}},
		{"any member feed", Query{Feeds: []string{"TASS"}}, []string{treatyID}},
		{"the fixture's feed too", Query{Feeds: []string{"World"}, Types: []string{"treaty_signing"}}, []string{treatyID}},
		{"any member article", Query{Q: "article:reuters"}, []string{treatyID}},
		{"a place from one source", Query{Places: []string{"Moscow"}}, []string{treatyID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := find(t, ix, tt.q)
			got := []string{}
			for _, e := range res.Events {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", ids(res.Events), tt.want)
			}
		})
	}
	t.Run("merged with the fixture", func(t *testing.T) {
		e, _, _ := ix.Get(context.Background(), "e01")
		if e.ID != treatyID || e.SourceCount != 4 || len(e.Sources) != 4 {
			t.Errorf("Get(e01): id %s, %d sources, %d feeds; want %s, 4, 4", e.ID, len(e.Sources), e.SourceCount, treatyID)
		}
	})
	t.Run("min_sources 1 and 0 select all", func(t *testing.T) {
		for _, n := range []int{0, 1} {
			if res := find(t, ix, Query{MinSources: n}); res.Total != 10 {
				t.Errorf("MinSources %d: Total %d, want 10", n, res.Total)
			}
		}
	})
	t.Run("negative min_sources refused", func(t *testing.T) {
		_, err := ix.Search(context.Background(), Query{MinSources: -1})
		if qe, ok := err.(*QueryError); !ok || qe.Param != "min_sources" {
			t.Errorf("got %v, want a QueryError on min_sources", err)
		}
	})
	t.Run("facets count events", func(t *testing.T) {
		res := find(t, ix, Query{Facets: true, Types: []string{"treaty_signing"}})
		for _, f := range []struct{ facet, term string }{
			{"type", "treaty_signing"}, {"feed", "TASS"}, {"feed", "Yonhap"}, {"feed", "Reuters"}, {"feed", "World"},
			{"actor", "North Korea"}, {"actor", "Russia"}, {"place", "Pyongyang"}, {"place", "Moscow"},
		} {
			if got := res.Facets[f.facet][f.term]; got != 1 {
				t.Errorf("facet %s[%s]: got %d, want 1", f.facet, f.term, got)
			}
		}
	})
	t.Run("timeline counts events", func(t *testing.T) {
		b, err := ix.Timeline(context.Background(), Query{}, "day")
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range b {
			if x.Key == "2024-06-19" && x.ByType["treaty_signing"] != 1 {
				t.Errorf("treaty signings on 2024-06-19: got %d, want 1", x.ByType["treaty_signing"])
			}
		}
	})
}

func TestMerge(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }
	member := func(id, art, feed string, day int, conf float64) event.Event {
		return event.Event{ID: id, Type: "aid", Title: id, Confidence: conf, Mentions: 1,
			Article: event.ArticleRef{ID: art, Feed: feed, Published: at(day)}}
	}
	tests := []struct {
		name       string
		members    []event.Event
		conf       float64
		sources    int
		feeds      int
		title, art string
	}{
		{"one member", []event.Event{member("m1", "a1", "F", 1, 0.7)}, 0.7, 0, 0, "m1", "a1"},
		{"two events of one article", []event.Event{member("m1", "a1", "F", 1, 0.7), member("m2", "a1", "F", 1, 0.8)},
			0.8, 0, 0, "m2", "a1"},
		{"two articles of one feed", []event.Event{member("m1", "a1", "F", 2, 0.7), member("m2", "a2", "F", 1, 0.7)},
			0.7, 2, 1, "m2", "a2"},
		{"two feeds", []event.Event{member("m1", "a1", "F", 1, 0.7), member("m2", "a2", "G", 1, 0.6)},
			0.73, 2, 2, "m1", "a1"},
		{"articles without a feed are independent", []event.Event{member("m1", "a1", "", 1, 0.5), member("m2", "a2", "", 1, 0.5), member("m3", "a3", "", 1, 0.5)},
			0.595, 3, 3, "m1", "a1"},
		{"near certainty stays within 1", []event.Event{member("m1", "a1", "F", 1, 0.9999), member("m2", "a2", "G", 1, 0.9999)},
			1, 2, 2, "m1", "a1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := merge("c", sortMembers(slices.Clone(tt.members)))
			if e.Confidence != tt.conf || len(e.Sources) != tt.sources || e.SourceCount != tt.feeds ||
				e.Title != tt.title || e.Article.ID != tt.art || e.Mentions != len(tt.members) {
				t.Errorf("got confidence %v, %d sources, %d feeds, title %q, article %q, %d mentions; want %v, %d, %d, %q, %q, %d",
					e.Confidence, len(e.Sources), e.SourceCount, e.Title, e.Article.ID, e.Mentions,
					tt.conf, tt.sources, tt.feeds, tt.title, tt.art, len(tt.members))
			}
			slices.Reverse(tt.members)
			if again := merge("c", sortMembers(tt.members)); fmt.Sprint(again) != fmt.Sprint(e) {
				t.Errorf("reversed members give %+v, want %+v", again, e)
			}
		})
	}
}

func TestClusterRedeliveryRewritesNothing(t *testing.T) {
	var logs bytes.Buffer
	ix, err := Open(filepath.Join(t.TempDir(), "index"), Options{
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sets := treatyReports()
	apply(t, ix, sets, 1)
	before := dump(t, ix)
	logs.Reset()
	slices.Reverse(sets)
	apply(t, ix, sets, 2)
	var entry struct {
		Written *int `json:"clusters_written"`
	}
	if err := json.Unmarshal(logs.Bytes(), &entry); err != nil || entry.Written == nil {
		t.Fatalf("batch log %q: %v", logs.String(), err)
	}
	if *entry.Written != 0 {
		t.Errorf("redelivery rewrote %d events, want 0", *entry.Written)
	}
	if got := dump(t, ix); !slices.Equal(got, before) {
		t.Errorf("redelivery changed the index:\n got %v\nwant %v", got, before)
	}
}

func TestMerged(t *testing.T) {
	ix := loaded(t)
	sets := treatyReports()
	apply(t, ix, sets[:1], 11)
	later := append(slices.Clone(sets[1:]), event.Set{Article: event.ArticleRef{ID: "a4"}}) // a4 (e06) withdrawn
	apply(t, ix, later, 12)
	got, err := ix.Merged(context.Background(), append(later, setsOf(fixture()[5:6])...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != ClusterID(sets[0].Events[0]) || got[0].SourceCount != 4 {
		t.Errorf("got %v, want the one treaty with 4 sources", ids(got))
	}
}
