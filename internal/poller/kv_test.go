package poller

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

// newKV starts an in-process JetStream server on a random port with its
// store in a temp dir and returns a fresh KV bucket on it.
func newKV(t *testing.T) jetstream.KeyValue {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.CreateKeyValue(context.Background(), jetstream.KeyValueConfig{Bucket: "poller"})
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

func TestKVStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	kv := newKV(t)
	var full, conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, rss("", "A|https://example.org/a|x", "B|https://example.org/b|y"))
	}))
	defer srv.Close()
	opts := testOptions()
	opts.Interval = 200 * time.Millisecond

	pub1 := newPub(t)
	p1 := New(opts, pub1, NewKVState(kv))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p1.Run(ctx, []feedlist.Feed{{URL: srv.URL}}) }()
	waitStatus(t, p1, srv.URL, func(s FeedStatus) bool { return s.Articles == 2 })
	cancel()
	<-done

	pub2 := newPubOn(t, pub1.bus) // a new publisher, as after a restart
	p2 := New(opts, pub2, NewKVState(kv))
	start(t, p2, []feedlist.Feed{{URL: srv.URL}})
	s := waitStatus(t, p2, srv.URL, func(s FeedStatus) bool { return s.Status == StatusOK && s.Articles == 2 })
	if s.ETag != `"v1"` || s.LastPolled.IsZero() {
		t.Errorf("restored status %+v", s)
	}
	n := conditional.Load()
	wait.For(t, 10*time.Second, func() error {
		if conditional.Load() < n+2 {
			return fmt.Errorf("%d conditional requests", conditional.Load())
		}
		return nil
	})
	if full.Load() != 1 || pub2.called() != 0 {
		t.Errorf("after restart: %d full fetches (want 1), %d publish calls (want 0)", full.Load(), pub2.called())
	}
}

func TestTwoPollersNeverPollAFeedTwiceInARound(t *testing.T) {
	t.Parallel()
	kv := newKV(t)
	const feeds, interval = 12, 300 * time.Millisecond
	var mu sync.Mutex
	polls := map[string][]time.Time{}
	by := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		polls[r.URL.Path] = append(polls[r.URL.Path], time.Now())
		by[r.Header.Get("User-Agent")]++
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		fmt.Fprint(w, rss(""))
	}))
	defer srv.Close()
	var fs []feedlist.Feed
	for i := range feeds {
		fs = append(fs, feedlist.Feed{URL: fmt.Sprintf("%s/f%d", srv.URL, i)})
	}
	for _, owner := range []string{"a", "b"} {
		opts := testOptions()
		opts.Interval = interval
		opts.UserAgent = "Dateline/" + owner
		opts.Leaser = NewKVLeaser(kv, owner)
		p := New(opts, newPub(t), NewKVState(kv))
		start(t, p, fs)
	}
	wait.For(t, 20*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range fs {
			if n := len(polls[strings.TrimPrefix(f.URL, srv.URL)]); n < 5 {
				return fmt.Errorf("%s polled %d times", f.URL, n)
			}
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	for path, ts := range polls {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < interval/2 {
				t.Errorf("%s polled twice %v apart (round is %v)", path, gap, interval)
			}
		}
	}
	if by["Dateline/a"] == 0 || by["Dateline/b"] == 0 {
		t.Errorf("polls by poller: %v, want both to take part", by)
	}
}

func TestKVLeaser(t *testing.T) {
	t.Parallel()
	kv := newKV(t)
	ctx := context.Background()
	a, b := NewKVLeaser(kv, "a"), NewKVLeaser(kv, "b")
	clock := time.Now()
	a.now = func() time.Time { return clock }
	b.now = a.now
	steps := []struct {
		name string
		do   func() (bool, error)
		want bool
	}{
		{"a takes a free lease", func() (bool, error) { return a.Acquire(ctx, "u", time.Minute) }, true},
		{"b cannot take it", func() (bool, error) { return b.Acquire(ctx, "u", time.Minute) }, false},
		{"a renews", func() (bool, error) { return a.Acquire(ctx, "u", time.Minute) }, true},
		{"b takes it once expired", func() (bool, error) { clock = clock.Add(2 * time.Minute); return b.Acquire(ctx, "u", time.Minute) }, true},
		{"a's release of b's lease is a no-op", func() (bool, error) { return true, a.Release(ctx, "u") }, true},
		{"a still cannot take it", func() (bool, error) { return a.Acquire(ctx, "u", time.Minute) }, false},
		{"b releases", func() (bool, error) { return true, b.Release(ctx, "u") }, true},
		{"a takes it after release", func() (bool, error) { return a.Acquire(ctx, "u", time.Minute) }, true},
		{"other feeds are independent", func() (bool, error) { return b.Acquire(ctx, "v", time.Minute) }, true},
	}
	for _, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("%s: got %v, %v; want %v", s.name, got, err, s.want)
		}
	}
}

func TestLeaseRenewedDuringLongPoll(t *testing.T) {
	t.Parallel()
	inPoll, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inPoll)
		<-release
		fmt.Fprint(w, rss(""))
	}))
	defer srv.Close()
	defer once.Do(func() { close(release) }) // before srv.Close: a failed test must not leave the handler blocked
	a := NewMemoryLeaser("a", nil)
	b := a.Holder("b")
	opts := testOptions()
	// The TTL leaves room for a renewal delayed by a loaded machine running
	// the suite in parallel; the poll below lasts several TTLs.
	opts.Leaser, opts.LeaseTTL = a, 200*time.Millisecond
	p := New(opts, newPub(t), nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	<-inPoll
	ctx := context.Background()
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok, _ := b.Acquire(ctx, srv.URL, time.Minute); ok {
			t.Fatal("another holder took the lease during a poll longer than its TTL")
		}
	}
	once.Do(func() { close(release) })
	wait.For(t, 5*time.Second, func() error {
		if ok, _ := b.Acquire(ctx, srv.URL, time.Minute); !ok {
			return fmt.Errorf("lease not released after the poll")
		}
		return nil
	})
}
