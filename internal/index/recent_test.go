package index

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// readBack returns what Merged gives for sets when it reads every merged
// event from the index, as it does for sets older than the last Apply.
func readBack(t *testing.T, ix *Index, sets []event.Set) []event.Event {
	t.Helper()
	recent := ix.recent.Swap(nil)
	defer ix.recent.Store(recent)
	got, err := ix.Merged(context.Background(), sets)
	if err != nil {
		t.Fatalf("Merged, read back: %v", err)
	}
	return got
}

// checkMerged checks that Merged answers sets as it would reading the
// index back, and that it answers every event of applied from memory.
func checkMerged(t *testing.T, ix *Index, applied, sets []event.Set) []event.Event {
	t.Helper()
	recent := ix.recent.Load()
	if recent == nil {
		t.Fatal("no merged events kept after Apply")
	}
	for _, s := range applied {
		for _, m := range s.Events {
			if _, ok := recent.lookup(ClusterID(m), eventShard(m)); !ok {
				t.Errorf("merged event of %s (%s) not kept", m.ID, m.Title)
			}
		}
	}
	got, err := ix.Merged(context.Background(), sets)
	if err != nil {
		t.Fatalf("Merged: %v", err)
	}
	if want := readBack(t, ix, sets); !reflect.DeepEqual(got, want) {
		t.Errorf("Merged from memory differs from the index:\n got %+v\nwant %+v", got, want)
	}
	return got
}

// TestMergedAnswersAsStored: after each Apply, Merged gives exactly what
// reading the index back gives (times as JSON keeps them, invalid UTF-8
// replaced), through new sources, an event moving to another cluster and
// a withdrawn article, and for older sets too.
func TestMergedAnswersAsStored(t *testing.T) {
	ix := loaded(t)
	first := treatyReports() // join e01 (a1) in one cluster
	kst := time.FixedZone("KST", 9*3600)
	first[0].Article.Published = first[0].Article.Published.In(kst)
	first[0].Events[0].Article.Published = first[0].Article.Published
	first[1].Events[0].Article.Published = time.Now() // a monotonic reading
	first[2].Events[0].Title = "Kremlin hails \xff treaty"
	apply(t, ix, first, 11)
	got := checkMerged(t, ix, first, first)
	treaty := ClusterID(first[0].Events[0])
	if len(got) != 1 || got[0].ID != treaty || len(got[0].Sources) != 4 {
		t.Fatalf("got %v, want the treaty with 4 sources", ids(got))
	}
	for _, src := range got[0].Sources {
		if loc := src.Published.Location(); loc == kst {
			t.Errorf("source %s published in %v, want the zone JSON gives", src.ID, loc)
		}
	}

	// tass now dates the treaty a year earlier (another cluster, another
	// year's index); a4 (e06) withdraws everything.
	moved := first[0].Events[0]
	moved.Date, moved.DateText = "2023-06-19", "June 19, 2023"
	moved.ID = event.ID("tass", moved.Type, moved.Date, "", moved.Actors)
	second := []event.Set{
		{Article: first[0].Article, Events: []event.Event{moved}},
		{Article: event.ArticleRef{ID: "a4"}},
	}
	apply(t, ix, second, 12)
	all := append(slices.Clone(second), first...)
	all = append(all, setsOf(fixture()[5:6])...) // e06, gone
	got = checkMerged(t, ix, second[:1], all)
	if len(got) != 2 || got[0].ID != ClusterID(moved) || got[1].ID != treaty || len(got[1].Sources) != 3 {
		t.Errorf("got %v, want the moved event then the treaty with 3 sources", ids(got))
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Merged(context.Background(), second); !errors.Is(err, ErrClosed) {
		t.Errorf("Merged after Close: %v, want ErrClosed", err)
	}
}
