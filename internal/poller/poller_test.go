package poller

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

func TestConditionalGet304(t *testing.T) {
	t.Parallel()
	var hits, conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Mon, 01 Jan 2024 00:00:00 GMT" {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
		fmt.Fprint(w, rss("", "A|https://example.org/a|one", "B|https://example.org/b|two"))
	}))
	defer srv.Close()
	pub := newPub(t)
	opts := testOptions()
	opts.Interval = 20 * time.Millisecond
	p := New(opts, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	wait.For(t, 10*time.Second, func() error {
		if conditional.Load() < 3 {
			return fmt.Errorf("%d conditional hits", conditional.Load())
		}
		return nil
	})
	st := p.Stats()
	if st.Parsed != 1 || st.NotModified < 3 {
		t.Errorf("stats = %+v, want 1 parse and ≥3 not-modified", st)
	}
	if pub.called() != 2 || pub.count() != 2 {
		t.Errorf("publish calls = %d, published = %d; want 2 and 2", pub.called(), pub.count())
	}
	s, _ := status(p, srv.URL)
	if s.Status != StatusOK || s.Articles != 2 || s.ETag != `"v1"` {
		t.Errorf("status = %+v", s)
	}
}

func TestETagChange(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	version := 1
	var sawOld atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v := version
		mu.Unlock()
		etag := fmt.Sprintf(`"v%d"`, v)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			sawOld.Store(true)
		}
		w.Header().Set("ETag", etag)
		items := []string{"A|https://example.org/a|one"}
		if v == 2 {
			items = append(items, "B|https://example.org/b|two")
		}
		fmt.Fprint(w, rss("", items...))
	}))
	defer srv.Close()
	pub := newPub(t)
	opts := testOptions()
	opts.Interval = 20 * time.Millisecond
	p := New(opts, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.ETag == `"v1"` })
	mu.Lock()
	version = 2
	mu.Unlock()
	s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.ETag == `"v2"` })
	if !sawOld.Load() {
		t.Error("the request after the change did not send the old ETag")
	}
	if s.Articles != 2 || pub.count() != 2 || pub.called() != 2 {
		t.Errorf("articles = %d, published = %d, calls = %d; want 2, 2, 2 (unchanged item not republished)", s.Articles, pub.count(), pub.called())
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		code   int
		header func() string
		want   time.Duration
	}{
		{"429 seconds", http.StatusTooManyRequests, func() string { return "120" }, 2 * time.Minute},
		{"503 seconds", http.StatusServiceUnavailable, func() string { return "300" }, 5 * time.Minute},
		{"429 http date", http.StatusTooManyRequests, func() string { return time.Now().Add(3 * time.Minute).UTC().Format(http.TimeFormat) }, 3 * time.Minute},
		{"503 http date", http.StatusServiceUnavailable, func() string { return time.Now().Add(10 * time.Minute).UTC().Format(http.TimeFormat) }, 10 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var other atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.header())
				w.WriteHeader(tt.code)
			})
			mux.HandleFunc("/fine", func(w http.ResponseWriter, r *http.Request) {
				other.Add(1)
				fmt.Fprint(w, rss(""))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			opts := testOptions()
			opts.Interval = 20 * time.Millisecond
			p := New(opts, newPub(t), nil)
			start(t, p, []feedlist.Feed{{URL: srv.URL + "/busy"}, {URL: srv.URL + "/fine"}})
			s := waitStatus(t, p, srv.URL+"/busy", func(s FeedStatus) bool { return s.Status == StatusError })
			if d := s.NextPoll.Sub(s.LastPolled); d < tt.want-5*time.Second || d > tt.want || s.NextReason != "retry-after" {
				t.Errorf("next poll in %v (%s), want ≈%v (retry-after)", d, s.NextReason, tt.want)
			}
			if !strings.Contains(s.LastError, fmt.Sprint(tt.code)) || !strings.Contains(s.LastError, "Retry-After") {
				t.Errorf("last error %q", s.LastError)
			}
			// Only that feed waits: the other feed on the same host goes on.
			wait.For(t, 10*time.Second, func() error {
				if other.Load() < 3 {
					return fmt.Errorf("other feed polled %d times", other.Load())
				}
				return nil
			})
		})
	}
}

func TestBackoffGrowthAndCap(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer srv.Close()
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	opts.MaxBackoff = 80 * time.Millisecond
	p := New(opts, newPub(t), nil)
	p.jitter = func() float64 { return 0 }
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	var delays []time.Duration
	last := 0
	wait.For(t, 10*time.Second, func() error {
		s, _ := status(p, srv.URL)
		if s.ErrorCount != last && s.ErrorCount > 0 {
			last = s.ErrorCount
			delays = append(delays, s.NextPoll.Sub(s.LastPolled))
			if want := fmt.Sprintf("backoff after %d error", s.ErrorCount); !strings.HasPrefix(s.NextReason, want) {
				return fmt.Errorf("reason %q, want %q", s.NextReason, want)
			}
		}
		if s.ErrorCount < 6 {
			return fmt.Errorf("%d errors", s.ErrorCount)
		}
		return nil
	})
	for i := 1; i < len(delays); i++ {
		if delays[i] < delays[i-1] || delays[i] > opts.MaxBackoff {
			t.Fatalf("delays %v: want non-decreasing and capped at %v", delays, opts.MaxBackoff)
		}
	}
	if delays[len(delays)-1] != opts.MaxBackoff {
		t.Errorf("delays %v never reached the cap %v", delays, opts.MaxBackoff)
	}
}

// TestJitterSpreadsFeeds polls ten feeds at once: each is due again after
// the interval plus its own random 0–10%, so they do not stay in lockstep.
func TestJitterSpreadsFeeds(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, rss("")) }))
	defer srv.Close()
	p := New(testOptions(), newPub(t), nil) // 1h interval, default jitter
	var fs []feedlist.Feed
	for i := range 10 {
		fs = append(fs, feedlist.Feed{URL: fmt.Sprintf("%s/f%d", srv.URL, i)})
	}
	start(t, p, fs)
	delays := map[time.Duration]bool{}
	for _, f := range fs {
		s := waitStatus(t, p, f.URL, func(s FeedStatus) bool { return s.Status == StatusOK })
		d := s.NextPoll.Sub(s.LastPolled)
		if d < time.Hour || d >= time.Hour+6*time.Minute || s.NextReason != "interval" {
			t.Errorf("%s: next poll in %v (%s), want 1h plus up to 10%%", f.URL, d, s.NextReason)
		}
		delays[d] = true
	}
	if len(delays) < 5 {
		t.Errorf("%d distinct delays over 10 feeds: want them spread by jitter", len(delays))
	}
}

func TestAfterError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n      int
		ra     time.Duration
		j      float64
		want   time.Duration
		reason string
	}{
		{1, 0, 0, time.Minute, "backoff after 1 error"},
		{2, 0, 0, 2 * time.Minute, "backoff after 2 errors"},
		{4, 0, 0, 8 * time.Minute, "backoff after 4 errors"},
		{9, 0, 0, time.Hour, "backoff after 9 errors"},
		{500, 0, 0, time.Hour, "backoff after 500 errors"},
		{9, 0, 0.5, 57 * time.Minute, "backoff after 9 errors"},
		{1, 5 * time.Minute, 0, 5 * time.Minute, "retry-after"},
		{4, 5 * time.Minute, 0, 8 * time.Minute, "backoff after 4 errors"},
		{1, 1000 * time.Hour, 0, retryAfterCap, "retry-after"},
	}
	for _, tt := range tests {
		d, reason := afterError(time.Minute, time.Hour, tt.n, tt.ra, tt.j)
		if d != tt.want || reason != tt.reason {
			t.Errorf("afterError(n=%d, ra=%v, j=%v) = %v, %q; want %v, %q", tt.n, tt.ra, tt.j, d, reason, tt.want, tt.reason)
		}
	}
}

func TestAfterSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		hint, cache time.Duration
		j           float64
		want        time.Duration
		reason      string
	}{
		{"interval", 0, 0, 0, 10 * time.Minute, "interval"},
		{"jitter adds up to 10%", 0, 0, 0.5, 10*time.Minute + 30*time.Second, "interval"},
		{"shorter hints ignored", 5 * time.Minute, time.Minute, 0, 10 * time.Minute, "interval"},
		{"ttl", time.Hour, 0, 0, time.Hour, "ttl hint"},
		{"cache beats ttl", time.Hour, 2 * time.Hour, 0, 2 * time.Hour, "cache lifetime hint"},
		{"capped", 100 * time.Hour, 0, 0, 24 * time.Hour, "ttl hint (capped)"},
	}
	for _, tt := range tests {
		d, reason := afterSuccess(10*time.Minute, 24*time.Hour, tt.j, hint{tt.hint, "ttl hint"}, hint{tt.cache, "cache lifetime hint"})
		if d != tt.want || reason != tt.reason {
			t.Errorf("%s: got %v %q, want %v %q", tt.name, d, reason, tt.want, tt.reason)
		}
	}
}

func TestRhythm(t *testing.T) {
	t.Parallel()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	every := func(n int, gap time.Duration) []time.Time {
		var ds []time.Time
		for i := range n {
			ds = append(ds, base.Add(time.Duration(i)*gap))
		}
		return ds
	}
	tests := []struct {
		name  string
		dates []time.Time
		want  time.Duration
	}{
		{"too few", every(2, time.Hour), 0},
		{"daily", every(10, 24*time.Hour), 12 * time.Hour},
		{"hourly, unordered", append(every(5, time.Hour)[3:], every(5, time.Hour)[:3]...), 30 * time.Minute},
		{"median resists an outlier", append(every(6, 2*time.Hour), base.Add(-30*24*time.Hour)), time.Hour},
		{"only the newest 20", append(every(20, time.Hour), every(30, -24*time.Hour)...), 30 * time.Minute},
	}
	for _, tt := range tests {
		if got := rhythm(tt.dates); got != tt.want {
			t.Errorf("%s: rhythm = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGoneDisables(t *testing.T) {
	t.Parallel()
	var gone, other atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { gone.Add(1); w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/fine", func(w http.ResponseWriter, r *http.Request) { other.Add(1); fmt.Fprint(w, rss("")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	p := New(opts, newPub(t), nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL + "/gone"}, {URL: srv.URL + "/fine"}})
	s := waitStatus(t, p, srv.URL+"/gone", func(s FeedStatus) bool { return s.Status == StatusDisabled })
	if !strings.Contains(s.LastError, "410") || !strings.Contains(s.NextReason, "410") {
		t.Errorf("status = %+v", s)
	}
	n := other.Load()
	wait.For(t, 10*time.Second, func() error { // the other feed is the clock
		if other.Load() < n+5 {
			return fmt.Errorf("other feed polled %d times", other.Load())
		}
		return nil
	})
	if gone.Load() != 1 {
		t.Errorf("gone feed fetched %d times, want 1", gone.Load())
	}
	if !p.Enable(srv.URL + "/gone") {
		t.Fatal("Enable: feed unknown")
	}
	wait.For(t, 10*time.Second, func() error {
		if gone.Load() < 2 {
			return fmt.Errorf("not polled after Enable")
		}
		return nil
	})
}

func TestPermanentRedirectUpdatesURL(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusMovedPermanently, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var old, moved atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
				old.Add(1)
				http.Redirect(w, r, "/new", code)
			})
			mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
				moved.Add(1)
				fmt.Fprint(w, rss("", "A|/a|relative link"))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			opts := testOptions()
			opts.Interval = 10 * time.Millisecond
			pub := newPub(t)
			p := New(opts, pub, nil)
			start(t, p, []feedlist.Feed{{URL: srv.URL + "/old"}})
			s := waitStatus(t, p, srv.URL+"/old", func(s FeedStatus) bool { return s.MovedTo == srv.URL+"/new" })
			wait.For(t, 10*time.Second, func() error {
				if moved.Load() < 4 {
					return fmt.Errorf("new URL polled %d times", moved.Load())
				}
				return nil
			})
			if old.Load() != 1 || s.Status != StatusOK {
				t.Errorf("old URL fetched %d times (want 1); status %+v", old.Load(), s)
			}
			if a := pub.articles(); len(a) != 1 || a[0].URL != srv.URL+"/a" || a[0].Feed != srv.URL+"/old" {
				t.Errorf("articles = %+v", a)
			}
		})
	}
}

func TestRunStopsCleanly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rss("", "A|https://example.org/a|x"))
	}))
	defer srv.Close()
	pub := newPub(t) // the embedded NATS server's goroutines run on
	before := runtime.NumGoroutine()
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	p := New(opts, pub, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, []feedlist.Feed{{URL: srv.URL + "/a"}, {URL: srv.URL + "/b"}}) }()
	wait.For(t, 10*time.Second, func() error {
		if n := p.Stats().Polls; n < 6 {
			return fmt.Errorf("%d polls", n)
		}
		return nil
	})
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	wait.For(t, 5*time.Second, func() error {
		if n := runtime.NumGoroutine(); n > before {
			return fmt.Errorf("%d goroutines after Run, %d before", n, before)
		}
		return nil
	})
}

func TestEnableClearsBackoff(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, rss(""))
	}))
	defer srv.Close()
	p := New(testOptions(), newPub(t), nil) // 1h interval: the backoff is ≥ 54m
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.ErrorCount == 1 })
	if d := time.Until(s.NextPoll); d < 50*time.Minute {
		t.Fatalf("next poll in %v, want the backoff", d)
	}
	p.Enable(srv.URL)
	s = waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Status == StatusOK })
	if s.ErrorCount != 0 || hits.Load() != 2 {
		t.Errorf("status %+v after %d requests", s, hits.Load())
	}
}
