package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
)

// mergedID returns the id of the merged event holding member id.
func mergedID(t testing.TB, ix *Index, member string) string {
	t.Helper()
	e, ok, err := ix.Get(context.Background(), member)
	if err != nil || !ok {
		t.Fatalf("Get(%s) = %v, %v", member, ok, err)
	}
	return e.ID
}

// correct stores c in ix, failing the test on an error.
func correct(t testing.TB, ix *Index, c corrections.Correction) []event.Event {
	t.Helper()
	if c.At.IsZero() {
		c.At = time.Date(2026, 12, 7, 21, 0, 0, 0, time.UTC)
	}
	out, err := ix.Correct(context.Background(), c.EventID, &c)
	if err != nil {
		t.Fatalf("Correct(%+v): %v", c, err)
	}
	return out
}

// found reports whether the search q finds the merged event id.
func found(t testing.TB, ix *Index, q Query, id string) bool {
	t.Helper()
	q.Limit = MaxLimit
	for _, e := range find(t, ix, q).Events {
		if e.ID == id {
			return true
		}
	}
	return false
}

// TestCorrectionsApply: a correction replaces the extracted values in
// what every query reads (filters, dates in another year, facets, the
// timeline), a hidden event is left out of all of them but still
// answered by Get, and withdrawing the correction brings the extracted
// event back.
func TestCorrectionsApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		member string // the fixture event corrected
		c      corrections.Correction
		// finds must find the corrected event, misses must not.
		finds, misses []Query
		check         func(t *testing.T, e event.Event)
	}{
		{
			name: "hidden", member: "e03", c: corrections.Correction{Hidden: true, Note: "not a strike", By: "ana"},
			misses: []Query{{}, {Types: []string{"military_strike"}}, {Q: "Kharkiv"}, {From: "2024-05-01", To: "2024-05-31"}},
			check: func(t *testing.T, e event.Event) {
				if !e.Hidden || e.Corrected == nil || !e.Corrected.Hidden || e.Corrected.Note != "not a strike" {
					t.Errorf("Get of a hidden event = hidden %v, corrected %+v; want it marked hidden with the note", e.Hidden, e.Corrected)
				}
			},
		},
		{
			name: "type", member: "e08", c: corrections.Correction{Type: "statement"},
			finds:  []Query{{Types: []string{"statement"}}, {Q: "type:statement"}},
			misses: []Query{{Types: []string{"protest"}}},
			check: func(t *testing.T, e event.Event) {
				if e.Type != "statement" || e.CAMEO == "" || e.CAMEO == "141" {
					t.Errorf("corrected type, CAMEO = %s %s, want statement with its own code", e.Type, e.CAMEO)
				}
				if e.Corrected == nil || e.Corrected.Extracted.Type != "protest" || !slices.Equal(e.Corrected.Fields, []string{"type"}) {
					t.Errorf("Corrected = %+v, want the extracted type protest and fields [type]", e.Corrected)
				}
			},
		},
		{
			name: "date into another year", member: "e06", c: corrections.Correction{Date: "2020-01-11"},
			finds:  []Query{{From: "2020-01-01", To: "2020-12-31"}, {From: "2020-01-11", To: "2020-01-11"}},
			misses: []Query{{From: "2024-01-01", To: "2024-12-31"}},
			check: func(t *testing.T, e event.Event) {
				if e.Date != "2020-01-11" || e.Precision != event.Day || e.Corrected.Extracted.Date != "2024-01-13" {
					t.Errorf("corrected date = %s (%s), extracted %s; want 2020-01-11 (day), extracted 2024-01-13", e.Date, e.Precision, e.Corrected.Extracted.Date)
				}
			},
		},
		{
			name: "actors", member: "e04", c: corrections.Correction{Actors: []string{"United Kingdom", "Russia"}},
			finds:  []Query{{Actors: []string{"United Kingdom"}}, {Actors: []string{"uk"}}},
			misses: []Query{{Actors: []string{"European Union"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ix := loaded(t)
			id := mergedID(t, ix, tt.member)
			before := find(t, ix, Query{Facets: true})
			tt.c.EventID = id
			out := correct(t, ix, tt.c)
			if len(out) != 1 || out[0].ID != id {
				t.Fatalf("Correct rewrote %v, want [%s]", ids(out), id)
			}
			for _, q := range tt.finds {
				if !found(t, ix, q, id) {
					t.Errorf("%+v does not find the corrected event", q)
				}
			}
			for _, q := range tt.misses {
				if found(t, ix, q, id) {
					t.Errorf("%+v finds the corrected event", q)
				}
			}
			e, ok, err := ix.Get(context.Background(), id)
			if err != nil || !ok {
				t.Fatalf("Get(%s) = %v, %v", id, ok, err)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
			after := find(t, ix, Query{Facets: true})
			if tt.c.Hidden {
				if after.Total != before.Total-1 || after.Facets["type"]["military_strike"] != before.Facets["type"]["military_strike"]-1 {
					t.Errorf("after hiding: total %d (was %d), military_strike facet %d (was %d); want one fewer each",
						after.Total, before.Total, after.Facets["type"]["military_strike"], before.Facets["type"]["military_strike"])
				}
				tl, err := ix.Timeline(context.Background(), Query{}, "year")
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range tl {
					if b.Key == "2024" && b.ByType["military_strike"] != 0 {
						t.Errorf("timeline 2024 counts %d military strikes, want the hidden one left out", b.ByType["military_strike"])
					}
				}
			}
			if tt.c.Type != "" && after.Facets["type"][tt.c.Type] != before.Facets["type"][tt.c.Type]+1 {
				t.Errorf("facet %s = %d, want %d", tt.c.Type, after.Facets["type"][tt.c.Type], before.Facets["type"][tt.c.Type]+1)
			}

			// Withdrawn: the event as extracted again.
			if _, err := ix.Correct(context.Background(), id, nil); err != nil {
				t.Fatal(err)
			}
			e, _, _ = ix.Get(context.Background(), id)
			if e.Hidden || e.Corrected != nil {
				t.Errorf("after withdrawal Get = hidden %v, corrected %+v; want the extracted event", e.Hidden, e.Corrected)
			}
			for _, q := range tt.finds {
				if found(t, ix, q, id) {
					t.Errorf("after withdrawal %+v still finds the event", q)
				}
			}
			if got := find(t, ix, Query{}).Total; got != before.Total {
				t.Errorf("after withdrawal total = %d, want %d", got, before.Total)
			}
		})
	}
}

// TestCorrectionSurvivesReopenApplyAndRebuild: a correction stays applied
// when the index is closed and opened again, when a new report joins the
// event (Apply recomputes its document), and in an index rebuilt from
// the event sets that was given the corrections, before or after the
// sets (SetCorrections), or by ReplaceWith.
func TestCorrectionSurvivesReopenApplyAndRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, dir := openTest(t)
	sets := setsOf(fixture())
	apply(t, ix, sets, 10)
	id := mergedID(t, ix, "e08")
	c := corrections.Correction{EventID: id, Type: "statement", At: time.Date(2026, 12, 7, 21, 0, 0, 0, time.UTC)}
	correct(t, ix, c)

	isCorrected := func(t *testing.T, ix *Index, what string) {
		t.Helper()
		if !found(t, ix, Query{Types: []string{"statement"}}, id) || found(t, ix, Query{Types: []string{"protest"}}, id) {
			t.Errorf("%s: type=statement does not find the corrected event, or type=protest does", what)
		}
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	isCorrected(t, ix, "reopened")
	if got := ix.Corrections(); len(got) != 1 || got[id].Type != "statement" {
		t.Errorf("Corrections() after reopening = %v, want the one correction", got)
	}

	// A second report of the protest, from another feed, joins it.
	more := ev("e08b", "protest", "2024-03-31", "Thousands march in Tbilisi",
		actors("Georgia"), place("Tbilisi", 41.72, 44.79), feed("AP"), article("a9"))
	more.Article.Published = more.Article.Published.Add(time.Hour)
	apply(t, ix, setsOf([]event.Event{more}), 11)
	e, _, _ := ix.Get(ctx, "e08b")
	if e.ID != id || e.SourceCount != 2 || e.Type != "statement" {
		t.Errorf("after a new source: %s type %s, %d sources; want %s corrected to statement, 2 sources", e.ID, e.Type, e.SourceCount, id)
	}
	isCorrected(t, ix, "after a new source")

	for _, order := range []string{"corrections first", "sets first"} {
		t.Run("rebuilt, "+order, func(t *testing.T) {
			fresh, _ := openTest(t)
			all := append(slices.Clone(sets), setsOf([]event.Event{more})...)
			if order == "corrections first" {
				if _, err := fresh.SetCorrections(ctx, []corrections.Correction{c}); err != nil {
					t.Fatal(err)
				}
				apply(t, fresh, all, 11)
			} else {
				apply(t, fresh, all, 11)
				out, err := fresh.SetCorrections(ctx, []corrections.Correction{c})
				if err != nil || len(out) != 1 {
					t.Fatalf("SetCorrections rewrote %d events (%v), want 1", len(out), err)
				}
			}
			isCorrected(t, fresh, "rebuilt")
		})
	}

	t.Run("ReplaceWith", func(t *testing.T) {
		next, err := Open(dir+".next", Options{})
		if err != nil {
			t.Fatal(err)
		}
		apply(t, next, append(slices.Clone(sets), setsOf([]event.Event{more})...), 11)
		if err := ix.ReplaceWith(next, nil); err != nil {
			t.Fatal(err)
		}
		isCorrected(t, ix, "replaced by a rebuild made without corrections")
	})
}

// TestCorrectionFollowsFormerID: a correction stored under the id an
// event had before a report joined it to another applies to the event it
// became.
func TestCorrectionFollowsFormerID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, _ := openTest(t)
	// A month report and, published later, a day report of the same
	// sanctions: the day report leads the cluster once it arrives.
	month := ev("m1", "sanction", "2024-03", "EU sanctions Russian banks", actors("European Union", "Russia"), article("am"), feed("F1"))
	apply(t, ix, setsOf([]event.Event{month}), 1)
	old := mergedID(t, ix, "m1")
	correct(t, ix, corrections.Correction{EventID: old, Actors: []string{"European Union", "Russia", "Belarus"}})
	day := ev("d1", "sanction", "2024-03-02", "EU sanctions Russian banks", actors("European Union", "Russia"), article("ad"), feed("F2"))
	day.Article.Published = month.Article.Published.Add(-time.Hour)
	apply(t, ix, setsOf([]event.Event{day}), 2)
	e, ok, err := ix.Get(ctx, old)
	if err != nil || !ok {
		t.Fatalf("Get(%s) = %v, %v", old, ok, err)
	}
	if e.ID == old {
		t.Skipf("the day report did not take the cluster's id (%s): no former id to follow", e.ID)
	}
	if !slices.Contains(e.FormerIDs, old) || !slices.Contains(e.Actors, "Belarus") {
		t.Errorf("event %s (former %v) actors %v; want the correction of former id %s applied", e.ID, e.FormerIDs, e.Actors, old)
	}
	if !found(t, ix, Query{Actors: []string{"Belarus"}}, e.ID) {
		t.Errorf("actor=Belarus does not find %s", e.ID)
	}
}

// BenchmarkQueryHidden measures the words-and-year search of
// BenchmarkQuery while one event of the corpus is hidden, so every query
// leaves hidden events out (without any, queries run as before).
func BenchmarkQueryHidden(b *testing.B) {
	c := getCorpus(b)
	ctx := context.Background()
	res, err := c.own.Search(ctx, Query{Limit: 1})
	if err != nil || len(res.Events) == 0 {
		b.Fatalf("an event to hide: %v", err)
	}
	id := res.Events[0].ID
	if _, err := c.own.Correct(ctx, id, &corrections.Correction{EventID: id, Hidden: true}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = c.own.Correct(ctx, id, nil) })
	qs := benchQueries()
	b.Run(fmt.Sprintf("words+range/dateline/n=%d", c.n), func(b *testing.B) {
		measure(b, qs, func(q benchQuery) (uint64, error) {
			y := strconv.Itoa(q.year)
			c.own.gen.Add(1)
			res, err := c.own.Search(ctx, Query{Q: q.words, From: y, To: y, Limit: 20})
			return res.Total, err
		})
	})
}

// TestMatcherLeavesOutHidden: the live stream's and alerts' Matcher
// selects no hidden event, whatever the search, and selects the same
// event when it is not hidden.
func TestMatcherLeavesOutHidden(t *testing.T) {
	t.Parallel()
	e := ev("h1", "protest", "2024-03-31", "Protesters march in Tbilisi", actors("Georgia"), place("Tbilisi", 41.72, 44.79))
	hidden := e
	hidden.Hidden = true
	for _, q := range []Query{{}, {Types: []string{"protest"}}, {Q: "Tbilisi"}, {From: "2024-03-01", To: "2024-03-31"}} {
		m, err := NewMatcher(q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewProbe()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Add(ProbeDoc{Key: "shown", Event: e}, ProbeDoc{Key: "hidden", Event: hidden}); err != nil {
			t.Fatal(err)
		}
		got, err := p.Select(context.Background(), m, []string{"shown", "hidden"})
		_ = p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !got[0] || got[1] {
			t.Errorf("%+v selects shown %v, hidden %v; want true, false", q, got[0], got[1])
		}
	}
}

// TestMergeAndSplitCorrections: an analyst merges two events into one
// (the merged one's id then finds the target, with both sources) and
// splits a report out of an event (it stands alone under its own event
// id); both hold when the reports are applied again and after the index
// is reopened, and withdrawing them brings back what the reports say.
func TestMergeAndSplitCorrections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, dir := openTest(t)
	a := ev("ma", "sanction", "2024-03-02", "EU sanctions Russian banks", actors("European Union", "Russia"), article("art-a"), feed("F1"))
	b := ev("mb", "sanction", "2024-03-02", "UK sanctions Russian banks", actors("United Kingdom"), article("art-b"), feed("F2"))
	p1 := ev("p1", "protest", "2024-03-31", "Protesters march in Tbilisi", actors("Georgia"), place("Tbilisi", 41.72, 44.79), article("art-p1"), feed("F1"))
	p2 := ev("p2", "protest", "2024-03-31", "Thousands march in Tbilisi", actors("Georgia"), place("Tbilisi", 41.72, 44.79), article("art-p2"), feed("F2"))
	p2.Article.Published = p2.Article.Published.Add(time.Hour)
	sets := setsOf([]event.Event{a, b, p1, p2})
	apply(t, ix, sets, 1)
	idA, idB, idP := mergedID(t, ix, "ma"), mergedID(t, ix, "mb"), mergedID(t, ix, "p1")
	if idA == idB || mergedID(t, ix, "p2") != idP {
		t.Fatalf("fixture: the sanctions merged (%s %s) or the protests did not", idA, idB)
	}
	total := find(t, ix, Query{}).Total

	correct(t, ix, corrections.Correction{EventID: idB, MergeInto: idA})
	correct(t, ix, corrections.Correction{EventID: "p2", Split: true})
	check := func(t *testing.T, ix *Index, what string) {
		t.Helper()
		e, ok, err := ix.Get(ctx, idB)
		if err != nil || !ok || e.ID != idA || e.SourceCount != 2 || !slices.Contains(e.FormerIDs, idB) {
			t.Errorf("%s: Get(merged id) = %s with %d sources, former %v (%v, %v); want %s with 2 sources, %s among its former ids",
				what, e.ID, e.SourceCount, e.FormerIDs, ok, err, idA, idB)
		}
		s, ok, err := ix.Get(ctx, "p2")
		if err != nil || !ok || s.ID != "p2" || len(s.Sources) != 0 {
			t.Errorf("%s: Get(split report) = %s with %d sources (%v, %v); want the report alone as p2", what, s.ID, len(s.Sources), ok, err)
		}
		if p, _, _ := ix.Get(ctx, idP); p.ID != idP || len(p.Sources) != 0 {
			t.Errorf("%s: the event the report left = %s with %d sources, want %s alone", what, p.ID, len(p.Sources), idP)
		}
		if got := find(t, ix, Query{}).Total; got != total {
			t.Errorf("%s: %d events, want %d (one merged away, one split out)", what, got, total)
		}
	}
	check(t, ix, "corrected")
	apply(t, ix, sets, 2) // the same reports again
	check(t, ix, "reports applied again")
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	check(t, ix, "reopened")

	for _, id := range []string{idB, "p2"} {
		if _, err := ix.Correct(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if e, _, _ := ix.Get(ctx, "mb"); e.ID != idB {
		t.Errorf("merge withdrawn: the report's event is %s, want %s again", e.ID, idB)
	}
	if e, _, _ := ix.Get(ctx, "p2"); e.ID != idP || e.SourceCount != 2 {
		t.Errorf("split withdrawn: the report's event is %s with %d sources, want %s with 2", e.ID, e.SourceCount, idP)
	}
	if got := find(t, ix, Query{}).Total; got != total {
		t.Errorf("withdrawn: %d events, want %d", got, total)
	}
}

// TestMergedFollowsSplits: what the live stream is told after an Apply
// (Merged) is the event a report is in after the analysts' splits: the
// split report alone, not the event it left.
func TestMergedFollowsSplits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, _ := openTest(t)
	p1 := ev("q1", "protest", "2024-03-31", "Protesters march in Tbilisi", actors("Georgia"), place("Tbilisi", 41.72, 44.79), article("art-q1"), feed("F1"))
	p2 := ev("q2", "protest", "2024-03-31", "Thousands march in Tbilisi", actors("Georgia"), place("Tbilisi", 41.72, 44.79), article("art-q2"), feed("F2"))
	p2.Article.Published = p2.Article.Published.Add(time.Hour)
	apply(t, ix, setsOf([]event.Event{p1, p2}), 1)
	correct(t, ix, corrections.Correction{EventID: "q2", Split: true})
	sets := setsOf([]event.Event{p2})
	apply(t, ix, sets, 2)
	got, err := ix.Merged(ctx, sets)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "q2" || len(got[0].Sources) != 0 {
		t.Errorf("Merged = %v, want the split report q2 alone", ids(got))
	}
}
