package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestReplaceWith: a rebuilt index takes the serving one's place while
// searches go on; the serving value stays usable (Apply, Get, reopen),
// the rebuild is caught up to the serving checkpoint first, and the old
// directory is gone.
func TestReplaceWith(t *testing.T) {
	t.Parallel()
	ix, dir := openTest(t)
	events := fixture()
	sets := setsOf(events) // five articles
	apply(t, ix, sets[:4], 4)

	next, err := Open(dir+".rebuild", Options{})
	if err != nil {
		t.Fatal(err)
	}
	apply(t, next, sets[:2], 2)

	// Searches run all through the swap and never fail.
	var searches atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failed atomic.Value
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := ix.Search(context.Background(), Query{Q: "Russia"}); err != nil {
				failed.Store(err)
				return
			}
			searches.Add(1)
		}
	})
	var caught []uint64
	err = ix.ReplaceWith(next, func(have, want uint64) error {
		caught = append(caught, have, want)
		return next.Apply(context.Background(), sets[2:4], want)
	})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("ReplaceWith: %v", err)
	}
	if e := failed.Load(); e != nil {
		t.Fatalf("a search during the swap failed: %v", e)
	}
	if !slices.Equal(caught, []uint64{2, 4}) {
		t.Errorf("catch-up called with %v, want [2 4]", caught)
	}
	if _, err := os.Stat(dir + ".rebuild"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the replaced index is left at %s.rebuild: %v", dir, err)
	}
	if n, _ := ix.Count(); n != 8 {
		t.Errorf("Count after the swap = %d, want 8 (the events of four articles)", n)
	}
	apply(t, ix, sets[4:], 10)
	if got := sortedIDs(find(t, ix, Query{Limit: 100}).Events); len(got) != len(events) {
		t.Errorf("after Apply on the new index: %v, want %d events", got, len(events))
	}
	if _, ok, err := ix.Get(context.Background(), "e07"); !ok || err != nil {
		t.Errorf("Get(e07) = %v, %v after the swap", ok, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen the swapped index: %v", err)
	}
	defer again.Close()
	if cp, _ := again.Checkpoint(); cp != 10 {
		t.Errorf("reopened checkpoint = %d, want 10", cp)
	}
	if n, _ := again.Count(); n != uint64(len(events)) {
		t.Errorf("reopened Count = %d, want %d", n, len(events))
	}
	t.Logf("%d searches answered during the swap", searches.Load())
}

// TestReplaceWithRefusesAnIndexBehind: without a catch-up, a rebuild
// behind the serving index is refused (ErrBehind), and the serving index
// keeps its documents.
func TestReplaceWithRefusesAnIndexBehind(t *testing.T) {
	t.Parallel()
	ix, dir := openTest(t)
	apply(t, ix, setsOf(fixture()), 10)
	next, err := Open(filepath.Join(filepath.Dir(dir), "next"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	apply(t, next, setsOf(fixture()[:2]), 4)
	err = ix.ReplaceWith(next, nil)
	if !errors.Is(err, ErrBehind) {
		t.Fatalf("ReplaceWith = %v, want ErrBehind", err)
	}
	if n, _ := ix.Count(); n != 10 {
		t.Errorf("Count after the refused swap = %d, want 10", n)
	}
}
