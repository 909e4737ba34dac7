package index

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/dateline/dateline/internal/event"
)

func TestPeriodOf(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		start, end string
		want       string
	}{
		{"2024-06-19", "2024-06-20", "2024"},
		{"2024-01-01", "2025-01-01", "2024"}, // the whole year
		{"2024-12-31", "2025-01-02", ""},     // crosses into 2025
		{"1994-04-07", "1994-07-15", "1990s"},
		{"1990-01-01", "2000-01-01", "1990s"},
		{"1999-12-01", "2000-02-01", ""},
		{"1871-03-18", "1871-05-28", "early"},
		{"1899-06-01", "1901-06-01", ""},
	}
	for _, tt := range tests {
		if got := periodOf(d(tt.start), d(tt.end)); got != tt.want {
			t.Errorf("periodOf(%s, %s) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
		if tt.want == "" {
			continue
		}
		lo, hi, ok := periodSpan(tt.want)
		if !ok || d(tt.start).Before(lo) || d(tt.end).After(hi) {
			t.Errorf("periodSpan(%q) = %v, %v, %v: does not hold [%s, %s)", tt.want, lo, hi, ok, tt.start, tt.end)
		}
	}
	for _, bad := range []string{"", "main", "1995s", "1890s", "199", "abcd", "2024s", "12345"} {
		if _, _, ok := periodSpan(bad); ok {
			t.Errorf("periodSpan(%q) accepted", bad)
		}
	}
}

// TestPeriodsMatchBruteForce indexes random events of every precision,
// spans across period boundaries and undated ones, then checks random date
// ranges against a brute-force overlap test, and that the events landed
// in several period indexes.
func TestPeriodsMatchBruteForce(t *testing.T) {
	ix, dir := openTest(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var events []event.Event
	for i := range 400 {
		y := 1880 + rng.IntN(150)
		start := time.Date(y, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		date := start.Format(time.DateOnly)
		var opts []evOpt
		switch rng.IntN(6) {
		case 0:
			date = start.Format("2006-01")
		case 1:
			date = start.Format("2006")
		case 2:
			opts = append(opts, span(start.AddDate(0, 1+rng.IntN(30), 0).Format("2006-01")))
			date = start.Format("2006-01")
		case 3:
			if rng.IntN(4) == 0 {
				date = "" // undated: main, and no range matches it
			}
		}
		e := ev(fmt.Sprintf("r%03d", i), "military_strike", date, fmt.Sprintf("strike number %d", i), opts...)
		events = append(events, e)
	}
	apply(t, ix, setsOf(events), 1)

	entries, err := os.ReadDir(filepath.Join(dir, shardsDir))
	if err != nil || len(entries) < 10 {
		t.Fatalf("period indexes: %d (%v), want many", len(entries), err)
	}
	for i := range 60 {
		y := 1870 + rng.IntN(170)
		from := fmt.Sprintf("%04d-%02d", y, 1+rng.IntN(12))
		to := fmt.Sprintf("%04d", y+rng.IntN(4))
		if i%3 == 0 {
			from = fmt.Sprintf("%04d", y)
		}
		lo, hi, ranged, err := dateRange(from, to)
		if err != nil || !ranged {
			continue
		}
		var want []string
		for _, e := range events {
			s, end, ok := e.Span()
			if ok && s.Before(hi) && end.After(lo) {
				want = append(want, e.ID)
			}
		}
		slices.Sort(want)
		res := find(t, ix, Query{From: from, To: to, Limit: MaxLimit})
		got := sortedIDs(res.Events)
		if !slices.Equal(got, want) || int(res.Total) != len(want) {
			t.Errorf("from %s to %s: got %d %v, want %d %v", from, to, res.Total, got, len(want), want)
		}
	}
	if n := count(t, ix); n != uint64(len(events)) {
		t.Errorf("Count %d, want %d", n, len(events))
	}
}

// TestPeriodMove: an article update that moves its event to another year
// takes it out of the old year's index.
func TestPeriodMove(t *testing.T) {
	ix, _ := openTest(t)
	old := ev("m1", "treaty_signing", "2023-05-01", "treaty signed", article("am"))
	apply(t, ix, []event.Set{{Article: old.Article, Events: []event.Event{old}}}, 1)
	moved := ev("m1", "treaty_signing", "2024-05-01", "treaty signed", article("am"))
	apply(t, ix, []event.Set{{Article: moved.Article, Events: []event.Event{moved}}}, 2)
	if res := find(t, ix, Query{From: "2023", To: "2023"}); res.Total != 0 {
		t.Errorf("2023 still holds %v", ids(res.Events))
	}
	if res := find(t, ix, Query{From: "2024", To: "2024"}); res.Total != 1 {
		t.Errorf("2024 holds %v, want the moved event", ids(res.Events))
	}
	if n := count(t, ix); n != 1 {
		t.Errorf("Count %d, want 1", n)
	}
}

// TestPeriodRolledBack: a period index that reopens holding less than the
// main index says was written to it makes the whole index unusable, so it
// is rebuilt rather than served short.
func TestPeriodRolledBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := ev("p1", "protest", "2024-03-01", "a protest")
	apply(t, ix, []event.Set{{Article: e.Article, Events: []event.Event{e}}}, 7)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// What Bleve falling back to an older snapshot looks like: the
	// period's checkpoint is behind main's record of it.
	b, err := bleve.Open(filepath.Join(dir, shardsDir, "2024"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetInternal(keyCheckpoint, encodeCheckpoint(6)); err != nil {
		t.Fatal(err)
	}
	_ = b.Close()
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open: %v, want ErrCorrupt", err)
	}
	ix2, rebuilt, err := OpenFresh(dir, Options{})
	if err != nil || !rebuilt {
		t.Fatalf("OpenFresh: rebuilt=%v err=%v", rebuilt, err)
	}
	defer ix2.Close()
	if cp, _ := ix2.Checkpoint(); cp != 0 {
		t.Errorf("rebuilt index checkpoint %d, want 0", cp)
	}
}

// TestPeriodUnrecorded: a period index main never recorded (a crash
// between the two writes) is dropped when unreadable and kept when
// readable; a recorded one that is missing makes the index unusable.
func TestPeriodUnrecorded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := ev("u1", "protest", "2024-03-01", "a protest")
	apply(t, ix, []event.Set{{Article: e.Article, Events: []event.Event{e}}}, 3)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, shardsDir, "2031")
	if err := os.MkdirAll(junk, 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(junk, "index_meta.json"), "{")
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open with an unrecorded broken period: %v", err)
	}
	if _, err := os.Stat(junk); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("unrecorded broken period kept: %v", err)
	}
	if n := count(t, ix); n != 1 {
		t.Errorf("Count %d, want 1", n)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, shardsDir, "2024")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open with a recorded period missing: %v, want ErrCorrupt", err)
	}
}

// TestSearchAcrossPeriods: paging, sorting and facets over several period
// indexes give what one index would, however many are read at once.
func TestSearchAcrossPeriods(t *testing.T) {
	ix, _ := openTest(t)
	var events []event.Event
	for i := range 90 {
		y := 2015 + i%9
		e := ev(fmt.Sprintf("s%02d", i), []string{"protest", "election", "aid"}[i%3],
			fmt.Sprintf("%d-%02d-%02d", y, 1+i%12, 1+i%28), "ceasefire talks", actors(fmt.Sprintf("Actor%d", i%4)))
		events = append(events, e)
	}
	apply(t, ix, setsOf(events), 1)
	for _, tc := range []struct {
		sort     string
		parallel int
	}{{SortDate, 0}, {SortDateDesc, 0}, {SortRelevance, 0}, {SortDate, 1}, {SortRelevance, 1}, {SortDateDesc, 3}} {
		sort := tc.sort
		var got []string
		cursor := ""
		for page := 0; ; page++ {
			ix.gen.Add(1) // count facets afresh
			res := find(t, ix, Query{Q: "ceasefire", Sort: sort, Limit: 7, Cursor: cursor, Facets: page == 0, Parallel: tc.parallel})
			if page == 0 {
				if res.Total != 90 || res.Facets["type"]["protest"] != 30 || res.Facets["actor"]["Actor1"] != 23 {
					t.Errorf("sort %s: total %d, facets %v", sort, res.Total, res.Facets)
				}
			}
			for i, e := range res.Events {
				if sort != SortRelevance && len(got) > 0 && i > 0 {
					prev := res.Events[i-1].Date
					if sort == SortDate && prev > e.Date || sort == SortDateDesc && prev < e.Date {
						t.Errorf("sort %s: %s after %s", sort, e.Date, prev)
					}
				}
				got = append(got, e.ID)
			}
			if res.Next == "" {
				break
			}
			cursor = res.Next
		}
		if len(got) != 90 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 90 {
			t.Errorf("sort %s: paged through %d events (%d distinct), want 90", sort, len(got), len(slices.Compact(slices.Sorted(slices.Values(got)))))
		}
	}
	tl, err := ix.Timeline(context.Background(), Query{}, "year")
	if err != nil || len(tl) != 9 || tl[0].Count != 10 {
		t.Errorf("timeline by year: %v, %v", tl, err)
	}
}
