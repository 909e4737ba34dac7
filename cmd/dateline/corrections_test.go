package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
	"github.com/dateline/dateline/internal/index"
)

// TestCorrectionsExport: "dateline corrections export DIR" against the
// API (real index, corrections in a real embedded JetStream) writes the
// correction as a labelled article and its text, which the gold package
// reads, and says what it wrote; a wrong token fails with the API's
// reason.
func TestCorrectionsExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	store, err := corrections.Open(ctx, bustest.New(t, "").JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix, Corrections: store, AdminToken: "t0ken"}))
	t.Cleanup(srv.Close)

	ref := event.ArticleRef{ID: "a1", URL: "https://news.example/a1", Title: "Strike on Kharkiv", Feed: "Test",
		Published: time.Date(2024, 1, 3, 9, 0, 0, 0, time.UTC)}
	e := event.Event{ID: "s1", Type: "military_strike", Title: "Strike", Sentence: "A missile struck Kharkiv on January 2, 2024.",
		Date: "2024-01-02", Precision: event.Day, Status: event.Occurred, Actors: []string{"Russia"},
		Places: []event.Place{{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}}, Article: ref, Confidence: 0.8, Mentions: 1}
	if err := ix.Apply(ctx, []event.Set{{Article: ref, Events: []event.Event{e}}}, 1); err != nil {
		t.Fatal(err)
	}
	merged, _, err := ix.Get(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("PUT", srv.URL+"/api/v1/events/"+merged.ID+"/correction", strings.NewReader(`{"date":"2024-01-01","note":"the night before","by":"ana"}`))
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT correction = %d", resp.StatusCode)
	}

	dir := filepath.Join(t.TempDir(), "gold")
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"corrections", "export", "--server", srv.URL, "--token", "t0ken", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "1 labelled articles written to "+dir) {
		t.Errorf("stdout = %q", stdout.String())
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(paths) != 1 {
		t.Fatalf("gold files %v, want one", paths)
	}
	a, err := gold.Read(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	fixed := e
	fixed.Date = "2024-01-01"
	if g := gold.Score(a, []event.Event{fixed}); len(g.Credited) != 1 {
		t.Errorf("the corrected event is not credited by %+v", a)
	}
	if g := gold.Score(a, []event.Event{e}); len(g.Credited) != 0 {
		t.Errorf("the uncorrected event is credited by %+v", a)
	}

	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, []string{"corrections", "export", "--server", srv.URL, "--token", "wrong", dir}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "401") {
		t.Errorf("wrong token: exit %d, stderr %q; want 1 naming the 401", code, stderr.String())
	}
}
