package service_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// feedServer serves the feeds in testdata.
func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	t.Cleanup(srv.Close)
	return srv
}

func testConfig(t *testing.T, dir string, feeds *httptest.Server) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Listen = "127.0.0.1:0"
	cfg.Fetch.AllowPrivateNetworks = true
	cfg.Fetch.PollInterval = config.Duration(time.Second)
	cfg.Fetch.PerHostSpacing = config.Duration(time.Millisecond)
	cfg.Index.BatchWait = config.Duration(20 * time.Millisecond)
	cfg.Feeds = []config.Feed{
		{URL: feeds.URL + "/world.rss", Name: "World"},
		{URL: feeds.URL + "/sanctions.rss", Name: "Sanctions"},
		{URL: feeds.URL + "/ceasefire.atom", Name: "Ceasefire"},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func start(t *testing.T, cfg config.Config) *service.Service {
	t.Helper()
	return startLogged(t, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()})))
}

func startLogged(t *testing.T, cfg config.Config, log *slog.Logger) *service.Service {
	t.Helper()
	ex, err := extract.Default()
	if err != nil {
		t.Fatalf("load extractor: %v", err)
	}
	svc, err := service.Start(context.Background(), cfg, ex, log)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return svc
}

func stop(t *testing.T, svc *service.Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

type searchResult struct {
	Total  int           `json:"total"`
	Events []event.Event `json:"events"`
}

func search(t *testing.T, svc *service.Service, query string) searchResult {
	t.Helper()
	resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/events?limit=200&" + query)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search %q: status %d", query, resp.StatusCode)
	}
	var r searchResult
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return r
}

// wantEvents are the events the test feeds must yield, by type and date.
var wantEvents = []struct{ typ, date string }{
	{"treaty_signing", "2024-06-19"},
	{"military_strike", "2024-01-02"},
	{"sanction", "2024-10-14"},
	{"ceasefire", "2024-11-27"},
}

func findAll(r searchResult) error {
	for _, w := range wantEvents {
		found := false
		for _, ev := range r.Events {
			if ev.Type == w.typ && ev.Date == w.date {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("no %s event on %s among %d events", w.typ, w.date, len(r.Events))
		}
	}
	return nil
}

func uniqueIDs(t *testing.T, r searchResult) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, ev := range r.Events {
		if ids[ev.ID] {
			t.Errorf("event %s listed twice", ev.ID)
		}
		ids[ev.ID] = true
	}
	if len(ids) != r.Total {
		t.Errorf("total %d but %d distinct events", r.Total, len(ids))
	}
	return ids
}

func TestEndToEndFeedsToSearch(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	dir := t.TempDir()
	cfg := testConfig(t, dir, feeds)

	svc := start(t, cfg)
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })
	// Searching by words and type finds the treaty with its date.
	r := search(t, svc, "q=treaty&type=treaty_signing")
	if len(r.Events) == 0 || r.Events[0].Date != "2024-06-19" || r.Events[0].Precision != event.Day {
		t.Fatalf("treaty search = %+v", r.Events)
	}
	// Several more poll rounds add nothing.
	first := search(t, svc, "")
	time.Sleep(2500 * time.Millisecond) // let at least two more polls run
	again := search(t, svc, "")
	if again.Total != first.Total {
		t.Errorf("re-polling changed the total from %d to %d", first.Total, again.Total)
	}
	before := uniqueIDs(t, again)
	stop(t, svc)

	// A restart on the same data directory loses nothing and doubles nothing.
	svc = start(t, cfg)
	defer stop(t, svc)
	wait.For(t, 30*time.Second, func() error {
		r := search(t, svc, "")
		if r.Total != len(before) {
			return fmt.Errorf("after restart total = %d, want %d", r.Total, len(before))
		}
		return nil
	})
	time.Sleep(2 * time.Second) // a poll round after the restart
	after := uniqueIDs(t, search(t, svc, ""))
	for id := range before {
		if !after[id] {
			t.Errorf("event %s lost across the restart", id)
		}
	}
	if len(after) != len(before) {
		t.Errorf("after restart %d events, before %d", len(after), len(before))
	}
	// Feed status shows every feed healthy.
	resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/feeds")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fs struct {
		Feeds []struct {
			URL, Status string
			Articles    int
		} `json:"feeds"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&fs); err != nil {
		t.Fatal(err)
	}
	if len(fs.Feeds) != 3 {
		t.Fatalf("feeds = %+v, want 3", fs.Feeds)
	}
	for _, f := range fs.Feeds {
		if f.Status != "ok" {
			t.Errorf("feed %s status %q, want ok", f.URL, f.Status)
		}
	}
}

// syncBuffer collects log output written from many goroutines.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBadFeedDoesNotStopOthers: an unreachable host, an HTTP error and
// malformed XML are each logged with the feed's URL and shown as that
// feed's error in /api/v1/feeds, while the good feeds' events arrive.
func TestBadFeedDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/broken.rss", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<rss><channel><item><title>unclosed")
	})
	mux.HandleFunc("/error.rss", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
	})
	bad := httptest.NewServer(mux)
	defer bad.Close()
	cfg := testConfig(t, t.TempDir(), feeds)
	good := map[string]bool{}
	for _, f := range cfg.Feeds {
		good[f.URL] = true
	}
	badURLs := []string{bad.URL + "/broken.rss", bad.URL + "/error.rss", "http://127.0.0.1:1/unreachable.rss"}
	for _, u := range badURLs {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: u})
	}
	var logs syncBuffer
	svc := startLogged(t, cfg, slog.New(slog.NewTextHandler(io.MultiWriter(&logs, os.Stderr), &slog.HandlerOptions{Level: slog.LevelWarn})))
	defer stop(t, svc)
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })
	wait.For(t, 30*time.Second, func() error {
		resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/feeds")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var fs struct {
			Feeds []struct {
				URL       string `json:"url"`
				Status    string `json:"status"`
				LastError string `json:"last_error"`
			} `json:"feeds"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&fs); err != nil {
			return err
		}
		if len(fs.Feeds) != len(cfg.Feeds) {
			return fmt.Errorf("%d feeds listed, want %d", len(fs.Feeds), len(cfg.Feeds))
		}
		for _, f := range fs.Feeds {
			switch {
			case good[f.URL] && f.Status != "ok":
				return fmt.Errorf("good feed %s: status %q (%s), want ok", f.URL, f.Status, f.LastError)
			case !good[f.URL] && (f.Status != "error" || !strings.Contains(f.LastError, f.URL)):
				return fmt.Errorf("bad feed %s: status %q, last_error %q; want error naming the URL", f.URL, f.Status, f.LastError)
			}
		}
		return nil
	})
	for _, u := range badURLs {
		if !strings.Contains(logs.String(), "feed="+u+" ") {
			t.Errorf("no log line names the failing feed %s:\n%s", u, logs.String())
		}
	}
}

// TestStopEndsLiveStreams: a client on the live stream (an open web page)
// does not hold the shutdown until its timeout.
func TestStopEndsLiveStreams(t *testing.T) {
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.Feeds = nil
	svc := start(t, cfg)
	resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil { // ": connected"
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	began := time.Now()
	if err := svc.Stop(ctx); err != nil {
		t.Fatalf("stop with a live stream open: %v", err)
	}
	if took := time.Since(began); took > 4*time.Second {
		t.Errorf("stop took %v with a live stream open, want well under the grace for other requests", took)
	}
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Logf("stream ended with %v", err)
	}
}

// logLevel is warn unless DATELINE_TEST_LOG=debug.
func logLevel() slog.Level {
	if os.Getenv("DATELINE_TEST_LOG") == "debug" {
		return slog.LevelDebug
	}
	return slog.LevelWarn
}

// TestFailedStartClosesEverything: a Start that fails part way (the
// listen address is taken) returns an error, not a panic, and leaves
// nothing open: the same data directory starts cleanly right after.
func TestFailedStartClosesEverything(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.Listen = taken.Addr().String()
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	if svc, err := service.Start(context.Background(), cfg, ex, log); err == nil {
		stop(t, svc)
		t.Fatal("Start succeeded on a taken address")
	} else if !strings.Contains(err.Error(), taken.Addr().String()) {
		t.Errorf("error %q does not name the address", err)
	}
	cfg.Listen = "127.0.0.1:0"
	svc := start(t, cfg)
	defer stop(t, svc)
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })
}

// TestBadAlertRuleStartsNothing: an alert rule that only the alerter can
// judge (here a webhook secret) is refused before anything is opened, with
// the key at fault.
func TestBadAlertRuleStartsNothing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	cfg, err := config.Parse("c.yaml", []byte(`data_dir: `+dir+`
alerts:
  - name: treaties
    query: "treaty"
    destinations:
      - kind: webhook
        url: https://hooks.example/x
        secret: not-a-secret
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Start(context.Background(), cfg, ex, slog.New(slog.DiscardHandler))
	if err == nil {
		stop(t, svc)
		t.Fatal("Start accepted a bad webhook secret")
	}
	if want := "c.yaml:8: alerts.0.destinations.0.secret"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if strings.Contains(err.Error(), "not-a-secret") {
		t.Errorf("error %q echoes the secret", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("data dir %s was created by a refused config (err %v)", dir, err)
	}
}
