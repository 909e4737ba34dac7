package service_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// feedStatus is one entry of GET /api/v1/feeds.
type feedStatus struct {
	URL       string `json:"url"`
	Status    string `json:"status"`
	LastError string `json:"last_error"`
}

// feedStatuses reads GET /api/v1/feeds, by feed URL.
func feedStatuses(svc *service.Service) (map[string]feedStatus, error) {
	resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/feeds")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/feeds: %s", resp.Status)
	}
	var fs struct {
		Feeds []feedStatus `json:"feeds"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&fs); err != nil {
		return nil, err
	}
	out := map[string]feedStatus{}
	for _, f := range fs.Feeds {
		out[f.URL] = f
	}
	return out, nil
}

// waitStatus waits until feed's status in GET /api/v1/feeds is want with a
// last_error holding every string of errHas, and returns it.
func waitStatus(t *testing.T, svc *service.Service, feed, want string, errHas ...string) feedStatus {
	t.Helper()
	var got feedStatus
	wait.For(t, 30*time.Second, func() error {
		all, err := feedStatuses(svc)
		if err != nil {
			return err
		}
		got = all[feed]
		if got.Status != want {
			return fmt.Errorf("feed %s: status %q (last_error %q), want %q", feed, got.Status, got.LastError, want)
		}
		for _, s := range errHas {
			if !strings.Contains(got.LastError, s) {
				return fmt.Errorf("feed %s: last_error %q does not contain %q", feed, got.LastError, s)
			}
		}
		return nil
	})
	return got
}

// TestConfigFetchLimitsReachThePoller: fetch.max_redirects: 0 follows no
// redirect (the poller alone would read 0 as its default of 5), and the
// config's default per_host_spacing (1s) spaces requests to one host, not
// the poller's own default (500ms).
func TestConfigFetchLimitsReachThePoller(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var starts []time.Time // guarded by mu
	files := http.FileServer(http.Dir("testdata"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		if r.URL.Path == "/moved.rss" {
			http.Redirect(w, r, "/world.rss", http.StatusFound)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := testConfig(t, t.TempDir(), srv)
	cfg.Fetch.MaxRedirects = 0
	cfg.Fetch.PerHostSpacing = config.Default().Fetch.PerHostSpacing
	cfg.Feeds = []config.Feed{{URL: srv.URL + "/moved.rss"}, {URL: srv.URL + "/world.rss"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	svc := start(t, cfg)
	defer stop(t, svc)

	waitStatus(t, svc, srv.URL+"/moved.rss", "error", "redirect")
	waitStatus(t, svc, srv.URL+"/world.rss", "ok")
	mu.Lock()
	defer mu.Unlock()
	if len(starts) < 2 {
		t.Fatalf("%d requests, want at least 2", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		// Spacing counts from when a request is dispatched; allow for
		// the first one reaching the server late (a new connection on a
		// busy machine), while still telling 1s from 500ms.
		if gap := starts[i].Sub(starts[i-1]); gap < 750*time.Millisecond {
			t.Errorf("requests %d and %d to one host came %v apart, want the configured 1s", i-1, i, gap)
		}
	}
}

// TestSSRFRefusalShownInFeedStatus: with allow_private_networks false, a
// feed on 127.0.0.1 is never fetched, and GET /api/v1/feeds shows the
// refusal as that feed's error.
func TestSSRFRefusalShownInFeedStatus(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := 0 // guarded by mu
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		http.ServeFile(w, r, "testdata/world.rss")
	}))
	defer local.Close()
	cfg := testConfig(t, t.TempDir(), local)
	cfg.Fetch.AllowPrivateNetworks = false
	feed := local.URL + "/world.rss"
	cfg.Feeds = []config.Feed{{URL: feed, Name: "Loopback"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	svc := start(t, cfg)
	defer stop(t, svc)

	got := waitStatus(t, svc, feed, "error", "refusing to connect", "127.0.0.1", "allow_private_networks")
	t.Logf("last_error: %s", got.LastError)
	mu.Lock()
	defer mu.Unlock()
	if hits != 0 {
		t.Errorf("the refused feed's server was reached %d times", hits)
	}
}
