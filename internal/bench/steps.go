package bench

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// step is one run of one package's benchmarks.
type step struct {
	name      string // key of its results, e.g. "query"
	pkg       string // package path relative to the module root
	bench     string // -bench pattern
	benchtime string // -benchtime of a measured session
	quick     string // -benchtime with Options.Quick
	cpu       int    // -cpu; 0 leaves GOMAXPROCS as it is
	env       []string
	sample    bool // read the child's resident memory while it runs
}

// steps is the session's plan for o, with the index corpus kept in
// corpus (so the query runs and the start-up measurement share one
// index on disk).
func steps(o Options, corpus string) []step {
	events := "DATELINE_BENCH_EVENTS=" + strconv.Itoa(o.Events)
	dir := "DATELINE_BENCH_DIR=" + corpus
	raw, indexBench := "DATELINE_BENCH_RAW=1", "^BenchmarkIndex$"
	if !o.Raw {
		raw, indexBench = "DATELINE_BENCH_RAW=0", "^BenchmarkIndex$/^dateline$"
	}
	articles, steady := "DATELINE_BENCH_ARTICLES=3000", "DATELINE_BENCH_STEADY_ARTICLES=2000"
	if o.Quick {
		articles, steady = "DATELINE_BENCH_ARTICLES=300", "DATELINE_BENCH_STEADY_ARTICLES=300"
	}
	return []step{
		{name: "extract", pkg: "./internal/extract", bench: "^(BenchmarkExtract|BenchmarkExtractWrapped|BenchmarkRegexpDates)$",
			benchtime: "3000x", quick: "50x", cpu: 1},
		{name: "publish", pkg: "./internal/bus", bench: "^(BenchmarkPublishArticle|BenchmarkPublishArticleParallel|BenchmarkRawAsyncPublish)$",
			benchtime: "3000x", quick: "100x"},
		{name: "poll", pkg: "./internal/poller", bench: "^(BenchmarkPoll304|BenchmarkNewArticles)$",
			benchtime: "3x", quick: "1x"},
		{name: "index", pkg: "./internal/index", bench: indexBench,
			benchtime: "1x", quick: "1x", env: []string{events}},
		// Builds the corpus in dir (both indexes), then queries both.
		{name: "query", pkg: "./internal/index", bench: "^BenchmarkQuery$",
			benchtime: "300x", quick: "20x", env: []string{events, dir, raw}},
		// Opens only Dateline's index, as a server does, and serves the
		// four kinds of query while its memory is read.
		{name: "serve", pkg: "./internal/index", bench: "^(BenchmarkQuery|BenchmarkTimeline)$",
			benchtime: "300x", quick: "20x", env: []string{events, dir, "DATELINE_BENCH_RAW=0"}, sample: true},
		{name: "ingest", pkg: "./internal/service", bench: "^(BenchmarkIngest|BenchmarkSteadyIngest)$",
			benchtime: "1x", quick: "1x", env: []string{articles, steady}},
		{name: "alert", pkg: "./internal/alert", bench: "^BenchmarkAlertLatency$",
			benchtime: "1000x", quick: "50x"},
	}
}

// procs is the GOMAXPROCS the step's benchmarks run with.
func (s step) procs() int {
	if s.cpu > 0 {
		return s.cpu
	}
	return runtime.GOMAXPROCS(0)
}

// args are the test binary's arguments.
func (s step) args(quick bool) []string {
	a := []string{"-test.run", "^$", "-test.bench", s.bench, "-test.benchtime", s.time(quick), "-test.timeout", "0"}
	if s.cpu > 0 {
		a = append(a, "-test.cpu", strconv.Itoa(s.cpu))
	}
	return a
}

func (s step) time(quick bool) string {
	if quick {
		return s.quick
	}
	return s.benchtime
}

// command is the `go test` command that runs the same benchmarks, for
// the table: what a reader types to repeat one step.
func (s step) command(quick bool, root string) string {
	var b strings.Builder
	for _, e := range s.env {
		k, v, _ := strings.Cut(e, "=")
		if rel, err := filepath.Rel(root, v); k == "DATELINE_BENCH_DIR" && err == nil && !strings.HasPrefix(rel, "..") {
			v = rel
		}
		fmt.Fprintf(&b, "%s=%s ", k, v)
	}
	fmt.Fprintf(&b, "go test %s -run '^$' -bench '%s' -benchtime %s", s.pkg, s.bench, s.time(quick))
	if s.cpu > 0 {
		fmt.Fprintf(&b, " -cpu %d", s.cpu)
	}
	return b.String()
}
