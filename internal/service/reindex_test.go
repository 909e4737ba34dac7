package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// reindexService runs the indexer and api roles on an outside NATS (so
// the test can publish event sets), with admin token "tok".
func reindexService(t *testing.T) (config.Config, *bus.Bus) {
	t.Helper()
	url, b := natsOutside(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.NATS.URL = url
	cfg.NATS.Node = "t"
	cfg.AdminToken = "tok"
	cfg.Roles = []string{"indexer", "api"}
	cfg.RateLimit = 0 // the test searches without pause
	cfg.Feeds = nil
	cfg.Index.BatchWait = config.Duration(20 * time.Millisecond)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg, b
}

// reindexSet is article i's event set: one statement, dated by i, with
// its own actor, so that no two merge.
func reindexSet(i int) event.Set {
	a := event.ArticleRef{ID: fmt.Sprintf("art-%06d", i), URL: fmt.Sprintf("https://example.org/%d", i), Feed: "f",
		Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%4000).Format("2006-01-02")
	e := event.Event{ID: event.ID(a.ID, "statement", d, "", nil), Type: "statement", Date: d, Precision: event.Day,
		Title: fmt.Sprintf("Minister %d speaks about the harbour", i), Actors: []string{fmt.Sprintf("Actor %d", i)}, Article: a}
	return event.Set{Article: a, Events: []event.Event{e}}
}

// publishSets publishes the event sets of articles from..to-1 on EVENTS.
func publishSets(t *testing.T, b *bus.Bus, from, to int) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < to; i++ {
		s := reindexSet(i)
		data, err := json.Marshal(s)
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := b.JS.Publish(ctx, bus.EventSubject(s.Article.ID), data); err != nil {
			t.Errorf("publish set %d: %v", i, err)
			return
		}
	}
}

// wantIDs are the merged ids the sets of articles 0..n-1 index as.
func wantIDs(t *testing.T, n int) map[string]bool {
	t.Helper()
	types, err := service.LoadTypes("")
	if err != nil {
		t.Fatal(err)
	}
	c := index.NewClustering(types)
	ids := map[string]bool{}
	for i := range n {
		ids[c.ID(reindexSet(i).Events[0])] = true
	}
	return ids
}

// allIDs pages through every event the api at base serves and fails on
// an id listed twice.
func allIDs(t *testing.T, base string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	cursor := ""
	for {
		resp, err := http.Get(base + "/api/v1/events?sort=date&limit=200&cursor=" + url.QueryEscape(cursor))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Events []event.Event `json:"events"`
			Next   string        `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("page after %q: %s, %v", cursor, resp.Status, err)
		}
		for _, e := range r.Events {
			if ids[e.ID] {
				t.Errorf("event %s listed twice", e.ID)
			}
			ids[e.ID] = true
		}
		if r.Next == "" || len(r.Events) == 0 {
			return ids
		}
		cursor = r.Next
	}
}

// total is the number of events the api at base serves.
func total(base string) (int, error) {
	resp, err := http.Get(base + "/api/v1/events?limit=1")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("search: %s", resp.Status)
	}
	var r struct {
		Total int `json:"total"`
	}
	return r.Total, json.NewDecoder(resp.Body).Decode(&r)
}

func waitTotal(t *testing.T, base string, want int) {
	t.Helper()
	wait.For(t, 60*time.Second, func() error {
		n, err := total(base)
		if err == nil && n != want {
			err = fmt.Errorf("%d events, want %d", n, want)
		}
		return err
	})
}

// adminReindex calls the reindex endpoint (POST starts, GET reports).
func adminReindex(t *testing.T, method, base string) (api.ReindexStatus, int) {
	t.Helper()
	req, _ := http.NewRequest(method, base+"/api/v1/admin/reindex", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st api.ReindexStatus
	if resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
			t.Fatal(err)
		}
	}
	return st, resp.StatusCode
}

func sameIDs(t *testing.T, got, want map[string]bool) {
	t.Helper()
	missing, extra := 0, 0
	for id := range want {
		if !got[id] {
			missing++
		}
	}
	for id := range got {
		if !want[id] {
			extra++
		}
	}
	if missing+extra > 0 || len(got) != len(want) {
		t.Errorf("%d ids, want %d: %d missing, %d unexpected", len(got), len(want), missing, extra)
	}
}

// TestReindexWhileServing: POST /api/v1/admin/reindex rebuilds the
// replica's index from EVENTS beside the serving one. Searches keep
// answering, never with fewer events than were indexed, while more event
// sets arrive during the rebuild; after the swap the replica serves
// exactly the expected ids, each once, goes on indexing what arrives,
// and holds the same after a restart (its consumer resumes; nothing is
// doubled).
func TestReindexWhileServing(t *testing.T) {
	t.Parallel()
	cfg, b := reindexService(t)
	svc := start(t, cfg)
	base := "http://" + svc.Addr().String()
	const n, during, after = 6000, 600, 100
	publishSets(t, b, 0, n)
	waitTotal(t, base, n)

	if _, code := adminReindex(t, http.MethodGet, base); code != http.StatusOK {
		t.Fatalf("GET reindex before any: %d", code)
	}
	// Searches all through the rebuild and the swap.
	var answered, whileRunning atomic.Int64
	var searchErr atomic.Value
	stopSearching := make(chan struct{})
	var rebuilding atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stopSearching:
				return
			default:
			}
			got, err := total(base)
			if err == nil && got < n {
				err = fmt.Errorf("a search found %d events, fewer than the %d indexed", got, n)
			}
			if err != nil {
				searchErr.Store(err)
				return
			}
			answered.Add(1)
			if rebuilding.Load() {
				whileRunning.Add(1)
			}
		}
	})

	rebuilding.Store(true)
	st, code := adminReindex(t, http.MethodPost, base)
	if code != http.StatusAccepted || st.State != api.ReindexRunning {
		t.Fatalf("POST reindex: %d %+v, want 202 running", code, st)
	}
	if _, code := adminReindex(t, http.MethodPost, base); code != http.StatusConflict {
		t.Errorf("a second POST while running: %d, want 409", code)
	}
	var publishedDuring atomic.Int64
	var publisher sync.WaitGroup
	publisher.Go(func() {
		for i := n; i < n+during; i++ {
			publishSets(t, b, i, i+1)
			if svc.ReindexStatus().State == api.ReindexRunning {
				publishedDuring.Add(1)
			}
		}
	})
	var running int
	wait.For(t, 2*time.Minute, func() error {
		st, _ = adminReindex(t, http.MethodGet, base)
		if st.State == api.ReindexRunning {
			running++
			return errors.New("still running")
		}
		return nil
	})
	rebuilding.Store(false)
	if st.State != api.ReindexDone {
		t.Fatalf("reindex ended %+v", st)
	}
	t.Logf("rebuilt %d events (%d sets) up to seq %d in %v, %.0f events/s; %d event sets published while it ran, %d searches answered while it ran, %d status polls",
		st.Events, st.Sets, st.Seq, st.Finished.Sub(st.Started).Round(time.Millisecond), st.EventsPerSecond, publishedDuring.Load(), whileRunning.Load(), running)
	if st.Events < n {
		t.Errorf("rebuild wrote %d events, want at least %d", st.Events, n)
	}
	publishSets(t, b, n+during, n+during+after)
	publisher.Wait()
	waitTotal(t, base, n+during+after)
	close(stopSearching)
	wg.Wait()
	if err := searchErr.Load(); err != nil {
		t.Fatalf("searches during the rebuild: %v", err)
	}
	if whileRunning.Load() == 0 {
		t.Error("no search was answered while the rebuild ran")
	}
	want := wantIDs(t, n+during+after)
	sameIDs(t, allIDs(t, base), want)
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "index.rebuild")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("index.rebuild left behind: %v", err)
	}

	stop(t, svc)
	svc = start(t, cfg)
	defer stop(t, svc)
	base = "http://" + svc.Addr().String()
	waitTotal(t, base, n+during+after)
	sameIDs(t, allIDs(t, base), want)
}

// TestReindexOffline: with no process serving the replica, Reindex
// rebuilds its index from EVENTS and swaps it in; while one serves it,
// Reindex refuses, saying so.
func TestReindexOffline(t *testing.T) {
	t.Parallel()
	cfg, b := reindexService(t)
	svc := start(t, cfg)
	base := "http://" + svc.Addr().String()
	const n = 500
	publishSets(t, b, 0, n)
	waitTotal(t, base, n)

	_, err := service.Reindex(context.Background(), cfg, quietLog(), nil)
	if !errors.Is(err, index.ErrLocked) {
		t.Errorf("Reindex while serving: %v, want ErrLocked", err)
	}
	stop(t, svc)

	publishSets(t, b, n, n+50) // arrive while the replica is down
	var reports int
	st, err := service.Reindex(context.Background(), cfg, quietLog(), func(api.ReindexStatus) { reports++ })
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if st.State != api.ReindexDone || st.Events != n+50 || reports == 0 {
		t.Errorf("Reindex: %+v after %d reports, want done with %d events", st, reports, n+50)
	}
	svc = start(t, cfg)
	defer stop(t, svc)
	base = "http://" + svc.Addr().String()
	waitTotal(t, base, n+50)
	sameIDs(t, allIDs(t, base), wantIDs(t, n+50))
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
