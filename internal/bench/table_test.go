package bench

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// session is a finished session at 1,000,000 events with the given step
// results (unit by unit) and failed steps.
func session(results map[string]map[string]map[string]float64, failed ...string) *Session {
	s := &Session{opts: Options{Events: 1_000_000, Raw: true, Command: "go run ./cmd/bench -events 1000000"},
		runs: map[string]*stepRun{}, started: time.Unix(0, 0)}
	for _, st := range steps(s.opts, "/tmp/corpus") {
		r := &stepRun{step: st, results: map[string]Result{}}
		for name, m := range results[st.name] {
			r.results[name] = Result{Name: name, N: 1, Metrics: m}
		}
		s.runs[st.name], s.order = r, append(s.order, st.name)
	}
	for _, name := range failed {
		s.runs[name].err = errors.New("exit status 1")
	}
	s.serverErr = errors.New("not started")
	return s
}

func findRow(t *testing.T, rows []row, prefix string) row {
	t.Helper()
	for _, r := range rows {
		if strings.HasPrefix(r.what, prefix) {
			return r
		}
	}
	t.Fatalf("no row %q", prefix)
	return row{}
}

func TestRowsTargetsAndCeilings(t *testing.T) {
	s := session(map[string]map[string]map[string]float64{
		"query": {
			"BenchmarkQuery/words+range/dateline/n=1000000":        {"p50-ms": 10.2, "p95-ms": 33.6},
			"BenchmarkQuery/words+range/raw-bleve/n=1000000":       {"p50-ms": 36.4, "p95-ms": 72},
			"BenchmarkQuery/words+range+facets/dateline/n=1000000": {"p50-ms": 90, "p95-ms": 151},
		},
		"index": {"BenchmarkIndex/dateline": {"events/s": 4542, "disk-MiB": 1587}},
		"alert": {"BenchmarkAlertLatency": {"p50-ms": 4, "p99-ms": 9, "max-ms": 38}},
	}, "extract")
	rows := s.rows()

	words := findRow(t, rows, "two words + one-year range")
	if words.met != "yes at 1,000,000" || words.ratio != "×0.47" || !strings.Contains(words.ceiling, "p95 72.0 ms") {
		t.Errorf("words row = %+v", words)
	}
	facets := findRow(t, rows, "the same with facets")
	if facets.met != "**no** at 1,000,000" || facets.target != "p95 ≤ 150 ms" {
		t.Errorf("facets row: met %q target %q, want a miss against 150 ms", facets.met, facets.target)
	}
	if !strings.Contains(facets.ceiling, "not measured") {
		t.Errorf("facets ceiling %q, want it to say the raw figure is missing", facets.ceiling)
	}
	disk := findRow(t, rows, "disk per 1,000,000 events")
	if !strings.Contains(disk.figure, "1.55 GiB") || disk.met != "**no** at 1,000,000" {
		t.Errorf("disk row = %+v, want 1.55 GiB, missing 1.5", disk)
	}
	ext := findRow(t, rows, "wire story")
	if ext.figure != "not measured: the extract step failed" || ext.met != "not measured" {
		t.Errorf("extract row = %+v", ext)
	}
	alert := findRow(t, rows, "event set on EVENTS")
	if alert.met != "yes" || !strings.Contains(alert.figure, "p99 9.00 ms") {
		t.Errorf("alert row = %+v", alert)
	}
	api := findRow(t, rows, "`GET /api/v1/events`")
	if !strings.Contains(api.figure, "not started") || api.met != "not measured" {
		t.Errorf("API row = %+v", api)
	}
	md := s.Markdown()
	for _, want := range []string{"`go run ./cmd/bench -events 1000000`", "| extract |", "failed: exit status 1", "| search | two words"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}
