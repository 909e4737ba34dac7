package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/stage"
	"github.com/dateline/dateline/internal/wait"
)

// memStore is an in-memory index: it keeps the latest set per article and
// the checkpoint, as the Bleve index does in one batch.
type memStore struct {
	mu      sync.Mutex
	sets    map[string]event.Set
	cp      uint64
	applies int
}

func newMemStore() *memStore { return &memStore{sets: map[string]event.Set{}} }

func (m *memStore) Apply(_ context.Context, sets []event.Set, cp uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range sets {
		m.sets[s.Article.ID] = s
	}
	m.cp = cp
	m.applies++
	return nil
}

func (m *memStore) Checkpoint() (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cp, nil
}

func (m *memStore) events() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, s := range m.sets {
		n += len(s.Events)
	}
	return n
}

// oneEvent is a deterministic extractor: one event per article, dated by
// the article's publication day.
func oneEvent(a article.Article) []event.Event {
	d := a.Published.Format("2006-01-02")
	return []event.Event{{ID: event.ID(a.ID, "statement", d, "", nil), Type: "statement", Date: d, Precision: event.Day, Title: a.Title}}
}

func publishArticles(t *testing.T, b *bus.Bus, n int, feed string) {
	t.Helper()
	publishArticlesFrom(t, b, 0, n, feed)
}

func streamMsgs(t *testing.T, b *bus.Bus, name string) uint64 {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestExtractAndIndexExactlyOnce(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	publishArticles(t, b, 300, "f")
	ctx, cancel := context.WithCancel(context.Background())
	x := &stage.Extractor{JS: b.JS, Extract: oneEvent, Workers: 2, Logger: quiet()}
	store := newMemStore()
	ix := &stage.Indexer{JS: b.JS, Store: store, Node: "t", BatchSize: 50, BatchWait: 20 * time.Millisecond, Logger: quiet()}
	var wg sync.WaitGroup
	wg.Go(func() { _ = x.Run(ctx) })
	wg.Go(func() { _ = ix.Run(ctx) })
	wait.For(t, 20*time.Second, func() error {
		if n := store.events(); n != 300 {
			return fmt.Errorf("indexed %d events, want 300", n)
		}
		return nil
	})
	cancel()
	wg.Wait()
	if got := streamMsgs(t, b, bus.EventsStream); got != 300 {
		t.Errorf("EVENTS holds %d sets, want 300", got)
	}
	// Republishing the same articles (a re-poll) adds nothing.
	publishArticles(t, b, 300, "f")
	if got := streamMsgs(t, b, bus.ArticlesStream); got != 300 {
		t.Errorf("ARTICLES holds %d, want 300", got)
	}
	cp, _ := store.Checkpoint()
	if cp == 0 {
		t.Error("checkpoint not recorded")
	}
}

func TestIndexerReplaysWhenIndexIsBehind(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	publishArticles(t, b, 100, "f")
	run := func(store *memStore) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		x := &stage.Extractor{JS: b.JS, Extract: oneEvent, Logger: quiet()}
		ix := &stage.Indexer{JS: b.JS, Store: store, Node: "t", BatchSize: 30, BatchWait: 20 * time.Millisecond, Logger: quiet()}
		var wg sync.WaitGroup
		wg.Go(func() { _ = x.Run(ctx) })
		wg.Go(func() { _ = ix.Run(ctx) })
		wait.For(t, 20*time.Second, func() error {
			if n := store.events(); n != 100 {
				return fmt.Errorf("indexed %d events, want 100", n)
			}
			return nil
		})
		cancel()
		wg.Wait()
	}
	run(newMemStore())
	// The index is lost (a fresh, empty store): the consumer has acked
	// everything, but the indexer must replay from the empty checkpoint.
	run(newMemStore())
}

func TestPoisonArticleGoesToDeadLetter(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	publishArticles(t, b, 20, "f")
	poison := article.ID("guid-7", "", "", time.Time{})
	var calls sync.Map
	var fixed atomic.Bool
	extract := func(a article.Article) []event.Event {
		n, _ := calls.LoadOrStore(a.ID, new(int))
		*n.(*int)++
		if a.ID == poison && !fixed.Load() {
			panic("boom")
		}
		return oneEvent(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	x := &stage.Extractor{JS: b.JS, Extract: extract, Backoff: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}, Logger: quiet()}
	var wg sync.WaitGroup
	wg.Go(func() { _ = x.Run(ctx) })
	defer func() { cancel(); wg.Wait() }()
	wait.For(t, 20*time.Second, func() error {
		if n := streamMsgs(t, b, bus.DeadStream); n != 1 {
			return fmt.Errorf("DEADLETTER holds %d, want 1", n)
		}
		if n := streamMsgs(t, b, bus.EventsStream); n != 19 {
			return fmt.Errorf("EVENTS holds %d, want the 19 healthy articles", n)
		}
		return nil
	})
	s, _ := b.JS.Stream(context.Background(), bus.DeadStream)
	m, err := s.GetLastMsgForSubject(context.Background(), "dead.extractor."+poison)
	if err != nil {
		t.Fatalf("dead letter for %s: %v", poison, err)
	}
	if reason := m.Header.Get(bus.ErrorHeader); !slices.Contains([]bool{true}, len(reason) > 0) || !json.Valid(m.Data) {
		t.Errorf("dead letter reason %q, data valid %v", reason, json.Valid(m.Data))
	}
	n, _ := calls.Load(poison)
	if got := *n.(*int); got != 5 {
		t.Errorf("poison article tried %d times, want 5", got)
	}
	_ = jetstream.ErrMsgNotFound

	// The dead letter is listed with its reason, and replaying it (once
	// the cause is fixed) gets the article through.
	dead, err := b.DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 {
		t.Fatalf("DeadLetters = %+v, %v", dead, err)
	}
	if d := dead[0]; d.Stage != "extractor" || d.Subject != bus.ArticleSubject(poison) || !strings.Contains(d.Reason, "boom") {
		t.Errorf("dead letter = %+v", d)
	}
	fixed.Store(true)
	if err := b.Replay(context.Background(), dead[0].Seq); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	wait.For(t, 20*time.Second, func() error {
		if n := streamMsgs(t, b, bus.EventsStream); n != 20 {
			return fmt.Errorf("EVENTS holds %d, want all 20 after the replay", n)
		}
		return nil
	})
	if n := streamMsgs(t, b, bus.DeadStream); n != 0 {
		t.Errorf("DEADLETTER holds %d after the replay, want 0", n)
	}
	if err := b.Replay(context.Background(), dead[0].Seq); !errors.Is(err, bus.ErrNoDeadLetter) {
		t.Errorf("second Replay = %v, want ErrNoDeadLetter", err)
	}
}

// TestSlowExtractorsStillExactlyOnce runs two extractors whose handler is
// slower than AckWait on 10% of the articles, so those are redelivered to
// the other extractor while the first still works on them: each article
// must still end up as exactly one event set, and the index as one copy.
func TestSlowExtractorsStillExactlyOnce(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	const n = 100
	publishArticles(t, b, n, "f")
	var calls sync.Map
	slow := func(a article.Article) []event.Event {
		c, _ := calls.LoadOrStore(a.ID, new(atomicInt))
		c.(*atomicInt).add()
		if a.Title[len(a.Title)-1] == '7' { // items 7, 17, 27, …: 10%
			time.Sleep(1500 * time.Millisecond)
		}
		return oneEvent(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	store := newMemStore()
	var wg sync.WaitGroup
	for range 2 {
		x := &stage.Extractor{JS: b.JS, Extract: slow, Workers: 2, AckWait: time.Second, Logger: quiet()}
		wg.Go(func() { _ = x.Run(ctx) })
	}
	ix := &stage.Indexer{JS: b.JS, Store: store, Node: "t", BatchSize: 50, BatchWait: 20 * time.Millisecond, Logger: quiet()}
	wg.Go(func() { _ = ix.Run(ctx) })
	defer func() { cancel(); wg.Wait() }()
	wait.For(t, 30*time.Second, func() error {
		if got := store.events(); got != n {
			return fmt.Errorf("indexed %d events, want %d", got, n)
		}
		return nil
	})
	redelivered := 0
	calls.Range(func(_, v any) bool {
		if v.(*atomicInt).get() > 1 {
			redelivered++
		}
		return true
	})
	if redelivered == 0 {
		t.Error("no article was redelivered: the test did not exercise AckWait")
	}
	if got := streamMsgs(t, b, bus.EventsStream); got != n {
		t.Errorf("EVENTS holds %d sets, want %d", got, n)
	}
	// Let late acks and redeliveries settle, then check nothing doubled.
	time.Sleep(2 * time.Second)
	if got := store.events(); got != n {
		t.Errorf("after settling, %d events indexed, want %d", got, n)
	}
}

type atomicInt struct {
	mu sync.Mutex
	n  int
}

func (a *atomicInt) add() { a.mu.Lock(); a.n++; a.mu.Unlock() }
func (a *atomicInt) get() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// consumerLossWait bounds how long a stage takes to see its consumer
// deleted: at its next pull or when a pull's heartbeats stop, within a
// pull's expiry (30 s), later on a loaded machine.
const consumerLossWait = 90 * time.Second

// TestRunReturnsWhenConsumerDeleted: a stage whose consumer is deleted
// under it returns an error from Run (the supervisor's cue to restart it),
// and Run again recreates the consumer and consumes what comes next.
func TestRunReturnsWhenConsumerDeleted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stream, consumer string
		run                    func(ctx context.Context, b *bus.Bus, store *memStore) error
		// done says whether the second run has consumed the 5 articles
		// published after it.
		done func(b *bus.Bus, store *memStore) error
	}{
		{
			name: "extractor", stream: bus.ArticlesStream, consumer: stage.ExtractorConsumer,
			run: func(ctx context.Context, b *bus.Bus, _ *memStore) error {
				return (&stage.Extractor{JS: b.JS, Extract: oneEvent, Logger: quiet()}).Run(ctx)
			},
			done: func(b *bus.Bus, _ *memStore) error {
				if n := streamMsgs(t, b, bus.EventsStream); n != 10 {
					return fmt.Errorf("EVENTS holds %d, want 10", n)
				}
				return nil
			},
		},
		{
			name: "indexer", stream: bus.EventsStream, consumer: "indexer-t",
			run: func(ctx context.Context, b *bus.Bus, store *memStore) error {
				x := &stage.Extractor{JS: b.JS, Extract: oneEvent, Logger: quiet()}
				go func() { _ = x.Run(ctx) }()
				return (&stage.Indexer{JS: b.JS, Store: store, Node: "t", BatchWait: 20 * time.Millisecond, Logger: quiet()}).Run(ctx)
			},
			done: func(_ *bus.Bus, store *memStore) error {
				if n := store.events(); n != 10 {
					return fmt.Errorf("indexed %d events, want 10", n)
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bustest.New(t, "")
			store := newMemStore()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			publishArticles(t, b, 5, "f")
			done := make(chan error, 1)
			go func() { done <- tt.run(ctx, b, store) }()
			wait.For(t, time.Minute, func() error {
				_, err := b.JS.Consumer(ctx, tt.stream, tt.consumer)
				return err
			})
			if err := b.JS.DeleteConsumer(ctx, tt.stream, tt.consumer); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.name) {
					t.Fatalf("Run after its consumer was deleted = %v, want an error naming %s", err, tt.name)
				}
			case <-time.After(consumerLossWait):
				t.Fatal("Run did not return after its consumer was deleted")
			}
			cancel()
			ctx, cancel = context.WithCancel(context.Background())
			defer cancel()
			go func() { done <- tt.run(ctx, b, store) }()
			publishArticlesFrom(t, b, 5, 5, "f")
			// A minute: on a loaded machine running the suite in parallel
			// the restarted stage took over 20 s to catch up.
			wait.For(t, time.Minute, func() error { return tt.done(b, store) })
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run after cancel = %v, want nil", err)
			}
		})
	}
}

// TestUndecodableMessageGoesToDeadLetter: a message a stage cannot decode
// goes to DEADLETTER at once with the stage, the reason, its stream and
// delivery count, while the healthy messages around it go through; a
// replay re-delivers it to that stage, which gives it up again.
func TestUndecodableMessageGoesToDeadLetter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage, subject string
		run            func(ctx context.Context, b *bus.Bus, store *memStore) error
		healthy        func(b *bus.Bus, store *memStore) error
	}{
		{
			stage: stage.ExtractorStage, subject: bus.ArticleSubject("garbled"),
			run: func(ctx context.Context, b *bus.Bus, _ *memStore) error {
				return (&stage.Extractor{JS: b.JS, Extract: oneEvent, Logger: quiet()}).Run(ctx)
			},
			healthy: func(b *bus.Bus, _ *memStore) error {
				if n := streamMsgs(t, b, bus.EventsStream); n != 3 {
					return fmt.Errorf("EVENTS holds %d, want 3", n)
				}
				return nil
			},
		},
		{
			stage: stage.IndexerStage, subject: bus.EventSubject("garbled"),
			run: func(ctx context.Context, b *bus.Bus, store *memStore) error {
				x := &stage.Extractor{JS: b.JS, Extract: oneEvent, Logger: quiet()}
				go func() { _ = x.Run(ctx) }()
				return (&stage.Indexer{JS: b.JS, Store: store, Node: "t", BatchWait: 20 * time.Millisecond, Logger: quiet()}).Run(ctx)
			},
			healthy: func(_ *bus.Bus, store *memStore) error {
				if n := store.events(); n != 3 {
					return fmt.Errorf("indexed %d events, want 3", n)
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			b := bustest.New(t, "")
			store := newMemStore()
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer func() { cancel(); wg.Wait() }()
			publishArticles(t, b, 3, "f")
			if _, err := b.JS.Publish(ctx, tt.subject, []byte("{not json")); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { _ = tt.run(ctx, b, store) })
			var first bus.DeadLetter
			wait.For(t, 20*time.Second, func() error {
				dead, err := b.DeadLetters(ctx, 10)
				if err != nil || len(dead) != 1 {
					return fmt.Errorf("DeadLetters = %+v, %v; want 1", dead, err)
				}
				first = dead[0]
				return tt.healthy(b, store)
			})
			if first.Stage != tt.stage || first.Subject != tt.subject || !strings.Contains(first.Reason, "decode") || first.Delivered != 1 || first.StreamSeq == 0 {
				t.Errorf("dead letter = %+v, want stage %s, subject %s, a decoding reason, 1 delivery", first, tt.stage, tt.subject)
			}
			if err := b.Replay(ctx, first.Seq); err != nil {
				t.Fatalf("Replay: %v", err)
			}
			wait.For(t, 20*time.Second, func() error {
				dead, err := b.DeadLetters(ctx, 10)
				if err != nil || len(dead) != 1 || dead[0].Seq == first.Seq || dead[0].Stage != tt.stage {
					return fmt.Errorf("DeadLetters = %+v, %v; want the replayed message given up again", dead, err)
				}
				return nil
			})
		})
	}
}

// publishArticlesFrom publishes articles from..from+n-1.
func publishArticlesFrom(t *testing.T, b *bus.Bus, from, n int, feed string) {
	t.Helper()
	ctx := context.Background()
	pub, err := b.NewArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		a := article.Article{ID: article.ID(fmt.Sprintf("guid-%d", i), "", "", time.Time{}), Feed: feed,
			Title: fmt.Sprintf("item %d", i), Text: "text", Published: time.Date(2024, 6, 1+i%28, 0, 0, 0, 0, time.UTC)}
		if _, err := pub.Publish(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
}
