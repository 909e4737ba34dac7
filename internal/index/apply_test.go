package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

func count(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.Count()
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

func TestApplyReplacesSet(t *testing.T) {
	ix := loaded(t)
	f := fixture()
	e01 := f[0]
	e01.Title = "Russia and North Korea ratify the treaty"
	e01.Sentence = "Both parliaments voted."
	e01.Article.Title = "Ratification"
	remember(e01)
	newer := event.Set{Article: e01.Article, Events: []event.Event{
		e01,
		ev("e11", "statement", "2024-06-20", "Kim praises the new alliance", article("a1")),
	}}
	apply(t, ix, []event.Set{newer}, 11)

	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"vanished events are gone", Query{Q: "kim OR artillery"}, []string{"e11"}},
		{"updated event reindexed", Query{Q: "ratify"}, []string{"e01"}},
		{"old text no longer matches", Query{Q: "partnership"}, []string{}},
		{"other articles untouched", Query{Actors: []string{"Russia"}}, []string{"e01", "e03", "e04", "e10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sortedIDs(find(t, ix, tt.q).Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("count", func(t *testing.T) {
		if got, want := count(t, ix), uint64(9); got != want {
			t.Errorf("Count: got %d, want %d", got, want)
		}
	})
	t.Run("get vanished", func(t *testing.T) {
		if _, ok, err := ix.Get(context.Background(), "e02"); ok || err != nil {
			t.Errorf("Get(e02): ok=%v err=%v, want not found", ok, err)
		}
	})
}

func TestApplyIdempotent(t *testing.T) {
	ix := loaded(t)
	before := find(t, ix, Query{Q: "russia", Limit: 50})
	for i := range 3 {
		apply(t, ix, setsOf(fixture()), uint64(11+i))
	}
	if got := count(t, ix); got != 10 {
		t.Errorf("Count after re-applying: got %d, want 10", got)
	}
	after := find(t, ix, Query{Q: "russia", Limit: 50})
	if !slices.Equal(ids(after.Events), ids(before.Events)) || after.Total != before.Total {
		t.Errorf("results changed: got %v (%d), want %v (%d)", ids(after.Events), after.Total, ids(before.Events), before.Total)
	}
}

func TestApplyLaterSetWins(t *testing.T) {
	ix, _ := openTest(t)
	f := fixture()
	first := event.Set{Article: f[0].Article, Events: []event.Event{f[0], f[1]}}
	second := event.Set{Article: f[0].Article, Events: []event.Event{f[6]}}
	apply(t, ix, []event.Set{first, second}, 1)
	if got := sortedIDs(find(t, ix, Query{}).Events); !slices.Equal(got, []string{"e07"}) {
		t.Errorf("got %v, want [e07]", got)
	}
}

func TestApplyEmptySetRemovesArticle(t *testing.T) {
	ix := loaded(t)
	apply(t, ix, []event.Set{{Article: event.ArticleRef{ID: "a1"}}}, 11)
	if got := find(t, ix, Query{Places: []string{"Pyongyang"}}); got.Total != 0 {
		t.Errorf("events of a1 left: %v", ids(got.Events))
	}
	if got := count(t, ix); got != 7 {
		t.Errorf("Count: got %d, want 7", got)
	}
}

func TestApplySkipsBadEvents(t *testing.T) {
	ix, _ := openTest(t)
	sets := []event.Set{{Article: event.ArticleRef{ID: "z"}, Events: []event.Event{
		{Type: "aid", Date: "2024-01-01"},                 // no id: skipped
		{ID: "undated", Type: "aid", Date: "soon"},        // indexed, undated
		{ID: "ancient", Type: "aid", Date: "0300"},        // before Bleve datetimes
		{ID: "inherits", Type: "aid", Date: "2024-01-02"}, // article taken from the set
	}}}
	for _, e := range sets[0].Events[1:] {
		remember(e)
	}
	apply(t, ix, sets, 1)
	if got := sortedIDs(find(t, ix, Query{}).Events); !slices.Equal(got, []string{"ancient", "inherits", "undated"}) {
		t.Errorf("got %v, want [ancient inherits undated]", got)
	}
	if got := find(t, ix, Query{From: "2000"}); got.Total != 1 {
		t.Errorf("dated from 2000: got %v, want [inherits]", ids(got.Events))
	}
	e, _, _ := ix.Get(context.Background(), "inherits")
	if e.Article.ID != "z" {
		t.Errorf("article of inherits: got %q, want z", e.Article.ID)
	}
}

func TestCheckpoint(t *testing.T) {
	ix, dir := openTest(t)
	if cp, err := ix.Checkpoint(); err != nil || cp != 0 {
		t.Fatalf("new index: Checkpoint() = %d, %v; want 0, nil", cp, err)
	}
	apply(t, ix, setsOf(fixture()), 42)
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := ix.Search(context.Background(), Query{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: got %v, want ErrClosed", err)
	}

	ix2, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix2.Close()
	t.Run("persists across Close and Open", func(t *testing.T) {
		if cp, err := ix2.Checkpoint(); err != nil || cp != 42 {
			t.Errorf("Checkpoint() = %d, %v; want 42", cp, err)
		}
	})
	t.Run("documents persist", func(t *testing.T) {
		if got := count(t, ix2); got != 10 {
			t.Errorf("Count: got %d, want 10", got)
		}
	})
	t.Run("checkpoint never in results", func(t *testing.T) {
		res := find(t, ix2, Query{Limit: 200})
		if res.Total != 10 || len(res.Events) != 10 {
			t.Errorf("match all: Total %d, %d events; want 10", res.Total, len(res.Events))
		}
		for _, q := range []string{"checkpoint", "dateline", "42"} {
			if res := find(t, ix2, Query{Q: q}); res.Total != 0 {
				t.Errorf("Q=%q: got %v, want none", q, ids(res.Events))
			}
		}
		if _, ok, _ := ix2.Get(context.Background(), string(keyCheckpoint)); ok {
			t.Errorf("Get(%s) found a document", keyCheckpoint)
		}
	})
	t.Run("advances with later batches", func(t *testing.T) {
		apply(t, ix2, nil, 43)
		if cp, _ := ix2.Checkpoint(); cp != 43 {
			t.Errorf("Checkpoint() = %d, want 43", cp)
		}
	})
}

func TestOpenUnusable(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"not an index", func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "notes.txt"), "hello")
		}},
		{"corrupt metadata", func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "index_meta.json"), "{")
		}},
		{"corrupt root", func(t *testing.T, dir string) {
			makeIndex(t, dir)
			mustWrite(t, filepath.Join(dir, "store", "root.bolt"), strings.Repeat("garbage!", 1024))
		}},
		{"other mapping version", func(t *testing.T, dir string) {
			ix := makeIndex(t, dir)
			_ = ix // closed by makeIndex; rewrite the version through a raw open
			b, err := openBleve(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.SetInternal(keyMapping, []byte("dateline-index-0")); err != nil {
				t.Fatal(err)
			}
			_ = b.Close()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, dir)
			if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open: got %v, want ErrCorrupt", err)
			}
			ix, rebuilt, err := OpenFresh(dir, Options{})
			if err != nil || !rebuilt {
				t.Fatalf("OpenFresh: rebuilt=%v err=%v; want rebuilt", rebuilt, err)
			}
			defer ix.Close()
			if n := count(t, ix); n != 0 {
				t.Errorf("fresh index has %d events", n)
			}
			aside, _ := filepath.Glob(dir + ".broken-*")
			if len(aside) != 1 {
				t.Errorf("moved-aside dirs: %v, want one", aside)
			}
		})
	}
	t.Run("OpenFresh keeps a good index", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "index")
		makeIndex(t, dir)
		ix, rebuilt, err := OpenFresh(dir, Options{})
		if err != nil || rebuilt {
			t.Fatalf("OpenFresh: rebuilt=%v err=%v; want kept", rebuilt, err)
		}
		defer ix.Close()
		if n := count(t, ix); n != 10 {
			t.Errorf("Count: got %d, want 10", n)
		}
	})
}

// makeIndex writes the fixture into a new index in dir and closes it.
func makeIndex(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	apply(t, ix, setsOf(fixture()), 10)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return ix
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestApplyCanceled(t *testing.T) {
	ix, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Apply(ctx, setsOf(fixture()), 5); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply with canceled ctx: got %v, want context.Canceled", err)
	}
	if n := count(t, ix); n != 0 {
		t.Errorf("Count: got %d, want 0", n)
	}
	if cp, _ := ix.Checkpoint(); cp != 0 {
		t.Errorf("Checkpoint: got %d, want 0", cp)
	}
}

// TestConcurrentUse runs searches while batches are applied, then closes
// the index under them; run with -race.
func TestConcurrentUse(t *testing.T) {
	ix, _ := openTest(t)
	events := genCorpus(600, 2)
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				_, err := ix.Search(context.Background(), Query{Q: "talks", Facets: true, From: "2020"})
				if err != nil && !errors.Is(err, ErrClosed) {
					errs <- err
					return
				}
			}
		}()
	}
	sets := setsOf(events)
	for i := 0; i < len(sets); i += 20 {
		apply(t, ix, sets[i:min(i+20, len(sets))], uint64(i+1))
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent search: %v", err)
		}
	}
	if err := ix.Apply(context.Background(), sets[:1], 9999); !errors.Is(err, ErrClosed) {
		t.Errorf("Apply after Close: got %v, want ErrClosed", err)
	}
}

func TestOpenLocked(t *testing.T) {
	_, dir := openTest(t)
	_, err := Open(dir, Options{LockWait: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || errors.Is(err, ErrCorrupt) {
		t.Fatalf("second Open: got %v, want ErrLocked (not ErrCorrupt)", err)
	}
	_, rebuilt, err := OpenFresh(dir, Options{LockWait: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || rebuilt {
		t.Errorf("OpenFresh of a held index: rebuilt=%v err=%v; want ErrLocked, untouched", rebuilt, err)
	}
}
