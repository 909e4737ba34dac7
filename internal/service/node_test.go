package service_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

func TestNodeID(t *testing.T) {
	t.Parallel()
	kept := t.TempDir()
	if err := os.WriteFile(filepath.Join(kept, service.NodeIDFile), []byte("kept-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, service.NodeIDFile), []byte("a.b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url, node, dir string
		want, wantErr        string
	}{
		{name: "configured wins", url: "nats://127.0.0.1:4222", node: "api-2", dir: kept, want: "api-2"},
		{name: "embedded", dir: t.TempDir(), want: "embedded"},
		{name: "kept in the data directory", url: "nats://127.0.0.1:4222", dir: kept, want: "kept-1"},
		{name: "unusable file", url: "nats://127.0.0.1:4222", dir: broken, wantErr: "node-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.DataDir, cfg.NATS.URL, cfg.NATS.Node = tc.dir, tc.url, tc.node
			got, err := service.NodeID(cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("NodeID = %q, %v; want an error naming %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NodeID = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	t.Run("generated once", func(t *testing.T) {
		cfg := config.Default()
		cfg.DataDir, cfg.NATS.URL = t.TempDir(), "nats://127.0.0.1:4222"
		first, err := service.NodeID(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := config.CheckNode(first); err != nil {
			t.Fatalf("generated id: %v", err)
		}
		again, err := service.NodeID(cfg)
		if err != nil || again != first {
			t.Fatalf("second NodeID = %q, %v; want the kept %q", again, err, first)
		}
		cfg.DataDir = t.TempDir()
		other, err := service.NodeID(cfg)
		if err != nil || other == first {
			t.Fatalf("NodeID of another data directory = %q, %v; want one of its own, not %q", other, err, first)
		}
	})
}

// TestReplicasOnOneHostHaveTheirOwnConsumers runs two api replicas on one
// host and one NATS, with separate data directories and no nats.node:
// each gets an id of its own, kept in its data directory, so each has its
// own durable indexer consumer and indexes every event (one consumer
// named after the host split EVENTS between them). A restarted replica
// takes its own consumer back.
func TestReplicasOnOneHostHaveTheirOwnConsumers(t *testing.T) {
	t.Parallel()
	url, b := natsOutside(t)
	replica := func(dir string) *service.Service {
		cfg := config.Default()
		cfg.DataDir, cfg.Listen, cfg.NATS.URL = dir, "127.0.0.1:0", url
		cfg.Roles = []string{"indexer", "api"}
		cfg.Feeds = nil
		cfg.Index.BatchWait = config.Duration(20 * time.Millisecond)
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		return start(t, cfg)
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	a, c := replica(dirs[0]), replica(dirs[1])
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			stop(t, a)
		}
		stop(t, c)
	})
	const n = 60
	for i := range n {
		publishSet(t, b, fmt.Sprintf("node-%03d", i), fmt.Sprintf("Statement number %d", i))
	}
	for _, svc := range []*service.Service{a, c} {
		wait.For(t, 60*time.Second, func() error {
			if got := search(t, svc, "q=statement").Total; got != n {
				return fmt.Errorf("replica %s has %d events, want %d", svc.Addr(), got, n)
			}
			return nil
		})
	}
	ids := make([]string, len(dirs))
	for i, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, service.NodeIDFile))
		if err != nil {
			t.Fatalf("node id not kept: %v", err)
		}
		ids[i] = strings.TrimSpace(string(raw))
	}
	if ids[0] == ids[1] {
		t.Fatalf("both replicas have node id %q", ids[0])
	}
	ctx := context.Background()
	for _, id := range ids {
		cons, err := b.JS.Consumer(ctx, bus.EventsStream, "indexer-"+id)
		if err != nil {
			t.Fatalf("consumer of node %s: %v", id, err)
		}
		// The indexer acks after its commit: the acks may trail the search.
		wait.For(t, 30*time.Second, func() error {
			info, err := cons.Info(ctx)
			if err != nil {
				return err
			}
			if info.AckFloor.Stream != n {
				return fmt.Errorf("consumer indexer-%s acked up to %d, want %d", id, info.AckFloor.Stream, n)
			}
			return nil
		})
	}
	stop(t, a)
	stopped = true
	a = replica(dirs[0])
	t.Cleanup(func() { stop(t, a) })
	publishSet(t, b, "node-late", "Statement number late")
	wait.For(t, 60*time.Second, func() error {
		if got := search(t, a, "q=statement").Total; got != n+1 {
			return fmt.Errorf("restarted replica has %d events, want %d", got, n+1)
		}
		return nil
	})
	stream, err := b.JS.Stream(ctx, bus.EventsStream)
	if err != nil {
		t.Fatal(err)
	}
	names := 0
	for name := range stream.ConsumerNames(ctx).Name() {
		if strings.HasPrefix(name, "indexer-") {
			names++
		}
	}
	if names != 2 {
		t.Errorf("EVENTS has %d indexer consumers after a restart, want 2 (one per replica)", names)
	}
}

// TestPollersOnOneHostShareFeeds runs two pollers on one host and one NATS
// (separate data directories, no nats.node) against a feed server that
// records who polled which feed when: every feed is polled by both in
// turn, never by two in one round, and no feed shows an error (a copy of
// an article another poller is storing is a duplicate, not a failure).
func TestPollersOnOneHostShareFeeds(t *testing.T) {
	t.Parallel()
	url, _ := natsOutside(t)
	const feeds, interval, rounds = 8, time.Second, 4
	type hit struct {
		at time.Time
		by string
	}
	var mu sync.Mutex
	hits := map[string][]hit{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path] = append(hits[r.URL.Path], hit{time.Now(), r.Header.Get("User-Agent")})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>`)
		for i := range 3 { // the same three articles in every feed
			fmt.Fprintf(w, `<item><title>Shared %d</title><link>https://news.example/shared/%d</link><guid>shared-%d</guid><description>Ministers met on June %d, 2024.</description></item>`, i, i, i, i+1)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	var cfgFeeds []config.Feed
	for i := range feeds {
		cfgFeeds = append(cfgFeeds, config.Feed{URL: fmt.Sprintf("%s/f%d.rss", srv.URL, i), Name: fmt.Sprintf("F%d", i)})
	}
	var svcs []*service.Service
	for _, name := range []string{"a", "b"} {
		cfg := config.Default()
		cfg.DataDir, cfg.Listen, cfg.NATS.URL = t.TempDir(), "127.0.0.1:0", url
		cfg.Roles = []string{"poller", "api"}
		cfg.Feeds = cfgFeeds
		cfg.Fetch.AllowPrivateNetworks = true
		cfg.Fetch.PollInterval = config.Duration(interval)
		cfg.Fetch.PerHostSpacing = 0
		cfg.Fetch.UserAgent = "poller-" + name
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		svc := start(t, cfg)
		t.Cleanup(func() { stop(t, svc) })
		svcs = append(svcs, svc)
	}
	// Both pollers take part (the second may start seconds after the
	// first under a loaded suite) and every feed sees several rounds.
	wait.For(t, 120*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		by := map[string]int{}
		for _, hs := range hits {
			for _, h := range hs {
				by[h.by]++
			}
		}
		if by["poller-a"] == 0 || by["poller-b"] == 0 {
			return fmt.Errorf("polls by poller: %v; want both to take part", by)
		}
		for i := range feeds {
			if n := len(hits[fmt.Sprintf("/f%d.rss", i)]); n < rounds {
				return fmt.Errorf("feed %d polled %d times, want %d", i, n, rounds)
			}
		}
		return nil
	})
	mu.Lock()
	for path, hs := range hits {
		for i := 1; i < len(hs); i++ {
			if gap := hs[i].at.Sub(hs[i-1].at); gap < interval/2 {
				t.Errorf("%s polled by %s and %s %v apart (the round is %v)", path, hs[i-1].by, hs[i].by, gap, interval)
			}
		}
	}
	mu.Unlock()
	for _, svc := range svcs {
		wait.For(t, 60*time.Second, func() error {
			sts, err := feedStatuses(svc)
			if err != nil {
				return err
			}
			for u, st := range sts {
				if st.Status == "pending" {
					return fmt.Errorf("feed %s still pending", u)
				}
				if st.Status != "ok" {
					t.Fatalf("feed %s is %q: %s", u, st.Status, st.LastError)
				}
			}
			return nil
		})
	}
}
