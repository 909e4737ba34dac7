package poller

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

func TestFeedFaultsAreIsolated(t *testing.T) {
	t.Parallel()
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte("<item></item>"), 32<<10))
	zw.Close()
	release := make(chan struct{})
	defer close(release)
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rss("", "Good|https://example.org/good|fine"))
	})
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><item><title>broken</ti`)
	})
	mux.HandleFunc("/notfeed", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html><body>hello</body></html>") })
	mux.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, rss("", strings.Repeat("x", 64<<10))) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	opts := testOptions()
	opts.MaxBodyBytes = 32 << 10
	opts.Timeout = 300 * time.Millisecond
	pub := newPub(t)
	p := New(opts, pub, nil)
	paths := []string{"/good", "/malformed", "/notfeed", "/large", "/bomb", "/slow", "/error", "/unreachable"}
	var feeds []feedlist.Feed
	for _, path := range paths {
		feeds = append(feeds, feedlist.Feed{URL: srv.URL + path})
	}
	// A closed port: connection refused.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/feed"
	dead.Close()
	feeds[len(feeds)-1].URL = deadURL
	start(t, p, feeds)

	tests := []struct{ url, want string }{
		{srv.URL + "/malformed", "parse feed"},
		{srv.URL + "/notfeed", "parse feed"},
		{srv.URL + "/large", "too large"},
		{srv.URL + "/bomb", "too large"},
		{srv.URL + "/slow", "Timeout"},
		{srv.URL + "/error", "HTTP 500"},
		{deadURL, "refused"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.url, srv.URL), func(t *testing.T) {
			s := waitStatus(t, p, tt.url, func(s FeedStatus) bool { return s.Status == StatusError })
			if !strings.Contains(s.LastError, tt.want) || !strings.Contains(s.LastError, "poll "+tt.url) {
				t.Errorf("last error %q, want it to name the feed and contain %q", s.LastError, tt.want)
			}
			if s.ErrorCount != 1 || s.NextReason != "backoff after 1 error" {
				t.Errorf("status = %+v", s)
			}
		})
	}
	s := waitStatus(t, p, srv.URL+"/good", func(s FeedStatus) bool { return s.Status == StatusOK })
	if s.Articles != 1 || pub.count() != 1 {
		t.Errorf("good feed: %d articles, %d published; want 1", s.Articles, pub.count())
	}
}

func TestSSRFRefusedInStatus(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("guarded poller reached the server: %s", r.URL)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	opts := testOptions()
	opts.AllowPrivateNetworks = false
	opts.ConnectTimeout = time.Second
	p := New(opts, newPub(t), nil)
	urls := []string{
		srv.URL + "/feed",
		"http://10.0.0.1/feed",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::1]:" + port + "/feed",
		"http://localhost:" + port + "/feed",
	}
	var feeds []feedlist.Feed
	for _, u := range urls {
		feeds = append(feeds, feedlist.Feed{URL: u})
	}
	start(t, p, feeds)
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			s := waitStatus(t, p, u, func(s FeedStatus) bool { return s.Status == StatusError })
			if !strings.Contains(s.LastError, "refusing to connect") || !strings.Contains(s.LastError, "allow_private_networks") || !strings.Contains(s.LastError, "for "+u) {
				t.Errorf("last error %q", s.LastError)
			}
		})
	}
}

func TestPerHostBudget(t *testing.T) {
	t.Parallel()
	const feeds, spacing = 12, 20 * time.Millisecond
	var mu = make(chan struct{}, 1)
	inflight, peak := 0, 0
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu <- struct{}{}
		inflight++
		peak = max(peak, inflight)
		starts = append(starts, time.Now())
		<-mu
		time.Sleep(60 * time.Millisecond) // hold the slot, so concurrency shows
		mu <- struct{}{}
		inflight--
		<-mu
		fmt.Fprint(w, rss(""))
	}))
	defer srv.Close()
	opts := testOptions()
	opts.Workers = 8
	opts.PerHostConcurrency = 2
	opts.PerHostSpacing = spacing
	p := New(opts, newPub(t), nil)
	var fs []feedlist.Feed
	for i := range feeds {
		fs = append(fs, feedlist.Feed{URL: fmt.Sprintf("%s/f%d", srv.URL, i)})
	}
	start(t, p, fs)
	wait.For(t, 10*time.Second, func() error {
		if n := p.Stats().Polls; n < feeds {
			return fmt.Errorf("%d polls", n)
		}
		return nil
	})
	mu <- struct{}{}
	defer func() { <-mu }()
	if peak > 2 {
		t.Errorf("peak in flight on one host = %d, want ≤ 2", peak)
	}
	if peak < 2 {
		t.Errorf("peak in flight = %d: the budget never allowed 2", peak)
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < spacing/2 {
			t.Errorf("request %d started %v after the previous, want ≥ %v", i, gap, spacing)
		}
	}
}

func TestSetFeedsAddsAndRemoves(t *testing.T) {
	t.Parallel()
	hits := map[string]int{}
	var mu = make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu <- struct{}{}
		hits[r.URL.Path]++
		<-mu
		fmt.Fprint(w, rss(""))
	}))
	defer srv.Close()
	count := func(path string) int { mu <- struct{}{}; defer func() { <-mu }(); return hits[path] }
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	p := New(opts, newPub(t), nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL + "/a"}})
	wait.For(t, 10*time.Second, func() error {
		if count("/a") < 2 {
			return fmt.Errorf("a polled %d times", count("/a"))
		}
		return nil
	})
	p.SetFeeds([]feedlist.Feed{{URL: srv.URL + "/b"}})
	wait.For(t, 10*time.Second, func() error {
		if count("/b") < 2 {
			return fmt.Errorf("b polled %d times", count("/b"))
		}
		return nil
	})
	a := count("/a")
	wait.For(t, 10*time.Second, func() error {
		if count("/b") < 10 {
			return fmt.Errorf("b polled %d times", count("/b"))
		}
		return nil
	})
	if got := count("/a"); got > a+1 {
		t.Errorf("removed feed polled %d more times", got-a)
	}
	if st := p.Status(); len(st) != 1 || st[0].URL != srv.URL+"/b" {
		t.Errorf("Status = %+v, want only b", st)
	}
}

// TestPublishErrorRetriesWithoutValidators takes the ARTICLES stream away
// (a real JetStream failure): the poll fails, the feed keeps no validators
// so the next poll fetches the whole feed again, and once the stream is back
// every item is published.
func TestPublishErrorRetriesWithoutValidators(t *testing.T) {
	t.Parallel()
	var conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") != "" {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		fmt.Fprint(w, rss("", "A|https://example.org/a|x", "B|https://example.org/b|y"))
	}))
	defer srv.Close()
	pub := newPub(t)
	ctx := context.Background()
	if err := pub.bus.JS.DeleteStream(ctx, bus.ArticlesStream); err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.Interval, opts.MaxBackoff = 10*time.Millisecond, 20*time.Millisecond
	p := New(opts, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.ErrorCount >= 2 })
	if !strings.Contains(s.LastError, "publish article") || s.ETag != "" || conditional.Load() != 0 || pub.count() != 0 {
		t.Errorf("status %+v, %d conditional requests, %d published: want the publish error, no validators kept", s, conditional.Load(), pub.count())
	}
	if err := pub.bus.Setup(ctx, 1); err != nil {
		t.Fatal(err)
	}
	s = waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Status == StatusOK && s.ETag != "" })
	if msgs, _, _ := pub.stored(t, ""); s.Articles != 2 || pub.count() != 2 || msgs != 2 {
		t.Errorf("after recovery: %d articles, %d published, %d stored; want 2", s.Articles, pub.count(), msgs)
	}
}

func TestUndatedItemKeepsFirstSeen(t *testing.T) {
	t.Parallel()
	var version atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The text changes on every fetch: each poll publishes an update.
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>T</title><item><title>No date</title><link>https://example.org/nodate</link><description>v%d</description></item></channel></rss>`, version.Add(1))
	}))
	defer srv.Close()
	pub := newPub(t)
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	p := New(opts, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	wait.For(t, 10*time.Second, func() error {
		if n := p.Stats().Polls; n < 5 {
			return fmt.Errorf("%d polls", n)
		}
		return nil
	})
	arts := pub.articles()
	if len(arts) < 5 {
		t.Fatalf("%d versions published, want ≥ 5", len(arts))
	}
	for _, a := range arts[1:] {
		if a.ID != arts[0].ID || !a.Published.Equal(arts[0].Published) || !a.Fetched.After(a.Published) {
			t.Errorf("version %q: id %s published %v fetched %v; want id %s published %v (first seen)", a.Text, a.ID, a.Published, a.Fetched, arts[0].ID, arts[0].Published)
		}
	}
}
