package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/event"
)

// TestReindexCommand runs "dateline reindex" against a running replica
// (it asks the admin API and prints plain progress lines, not being on a
// terminal), with a wrong token (refused, saying why), offline while the
// replica runs (refused: the index is in use), and with the replica
// stopped, where nothing answers at the config's listen address: it
// rebuilds the data directory's index itself.
func TestReindexCommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: t.TempDir(), Listen: "127.0.0.1:-1"}) // -1: a free port
	if err != nil {
		t.Fatal(err)
	}
	b, err := bus.Connect(ctx, ns.ClientURL(), nil, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(); ns.Shutdown(); ns.WaitForShutdown() })

	cfg := apiConfig(t)
	cfg.Roles = []string{"indexer", "api"}
	cfg.NATS.URL = ns.ClientURL()
	cfg.NATS.Node = "r1"
	base, stop := startService(t, cfg)
	const n = 300
	for i := range n {
		a := event.ArticleRef{ID: fmt.Sprintf("a%04d", i), Feed: "f"}
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
		set := event.Set{Article: a, Events: []event.Event{{ID: event.ID(a.ID, "statement", d, "", nil), Type: "statement",
			Date: d, Precision: event.Day, Title: "statement " + a.ID, Actors: []string{"Actor " + a.ID}, Article: a}}}
		data, _ := json.Marshal(set)
		if _, err := b.JS.Publish(ctx, bus.EventSubject(a.ID), data); err != nil {
			t.Fatal(err)
		}
	}

	code, stdout, stderr := runCLI(t, "", "reindex", "--server", base, "--token", "t0ken")
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("reindexed the Dateline at %s: %d events", base, n)) ||
		!strings.Contains(stderr, "reindex: done 100%") {
		t.Errorf("reindex --server: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	code, _, stderr = runCLI(t, "", "reindex", "--server", base, "--token", "wrong")
	if code != 1 || !strings.Contains(stderr, "401") {
		t.Errorf("reindex with a wrong token: exit %d, stderr %q; want 1 and the 401", code, stderr)
	}

	code, _, stderr = runCLI(t, "", "reindex", "--offline", "--data", cfg.DataDir, "--nats", cfg.NATS.URL)
	if code != 1 || !strings.Contains(stderr, "index in use by another process: a running dateline serves it") {
		t.Errorf("reindex --offline while serving: exit %d, stderr %q", code, stderr)
	}
	stop()

	// Nothing listens at the config's address any more: rebuilt here.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	file := filepath.Join(t.TempDir(), "dateline.yaml")
	yaml := fmt.Sprintf("listen: %q\ndata_dir: %q\nnats:\n  url: %q\n  node: r1\n", closed, cfg.DataDir, cfg.NATS.URL)
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATELINE_URL", "")
	code, stdout, stderr = runCLI(t, "", "reindex", "--config", file)
	if code != 0 || !strings.Contains(stderr, "no Dateline answers at http://"+closed) ||
		!strings.Contains(stdout, fmt.Sprintf("reindexed %s: %d events", filepath.Join(cfg.DataDir, "index"), n)) {
		t.Errorf("reindex offline: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestProgressLines: the bar and the plain line say how far a rebuild
// is, with thousands separated on the terminal.
func TestProgressLines(t *testing.T) {
	st := api.ReindexStatus{State: api.ReindexRunning, Started: time.Now().Add(-10 * time.Second),
		Seq: 250000, FirstSeq: 1, LastSeq: 1000000, Events: 600000, EventsPerSecond: 60000}
	bar := barLine(st)
	for _, want := range []string{"[#######-----------------------]", " 25%", "seq 250,000/1,000,000", "60,000 events/s", "ETA 30s"} {
		if !strings.Contains(bar, want) {
			t.Errorf("barLine = %q, want it to contain %q", bar, want)
		}
	}
	if got, want := plainLine(st), "reindex: running 25% (seq 250000 of 1000000), 600000 events, 60000 events/s  ETA 30s"; got != want {
		t.Errorf("plainLine = %q, want %q", got, want)
	}
	var w strings.Builder
	p := newProgress(&w)
	p.update(st)
	st.State, st.Seq = api.ReindexDone, st.LastSeq
	p.update(st) // within plainEvery: not written now…
	p.end()      // …but at the end
	if lines := strings.Split(strings.TrimSpace(w.String()), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "reindex: done 100%") {
		t.Errorf("plain output %q, want a running line then the done line", w.String())
	}
}
