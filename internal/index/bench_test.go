package index

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// Benchmarks of issue 5. The corpus size comes from DATELINE_BENCH_EVENTS
// (default 20000). DATELINE_BENCH_DIR, when set, keeps the query corpus
// (both indexes) between runs so a 1,000,000-event index is built once;
// DATELINE_BENCH_RAW=0 skips raw Bleve (a quick look, not the table):
//
//	DATELINE_BENCH_EVENTS=1000000 DATELINE_BENCH_DIR=/tmp/dl-bench \
//	  go test -run '^$' -bench . -benchtime 1x ./internal/index/      (indexing)
//	  go test -run '^$' -bench Query -benchtime 400x ./internal/index/ (queries)

// benchBatch is the number of events per Apply or raw Bleve batch.
const benchBatch = 1000

func benchEvents(tb testing.TB) int {
	s := os.Getenv("DATELINE_BENCH_EVENTS")
	if s == "" {
		return 20000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("DATELINE_BENCH_EVENTS=%q: want a positive integer", s)
	}
	return n
}

// buildOwn indexes events into a new index in dir, in Apply batches of
// about benchBatch events (whole articles).
func buildOwn(ctx context.Context, dir string, events []event.Event) (*Index, error) {
	return buildOwnBatches(ctx, dir, events, benchBatch)
}

// buildOwnBatches indexes events in Apply batches of about per events.
func buildOwnBatches(ctx context.Context, dir string, events []event.Event, per int) (*Index, error) {
	ix, err := Open(dir, Options{})
	if err != nil {
		return nil, err
	}
	sets := setsOf(events)
	var batch []event.Set
	size, seq := 0, uint64(0)
	for i, s := range sets {
		batch = append(batch, s)
		size += len(s.Events)
		if size >= per || i == len(sets)-1 {
			seq++
			if err := ix.Apply(ctx, batch, seq); err != nil {
				_ = ix.Close()
				return nil, err
			}
			batch, size = batch[:0], 0
		}
	}
	return ix, nil
}

// buildRaw indexes the same events with Bleve's default mapping.
func buildRaw(dir string, events []event.Event) (bleve.Index, error) {
	b, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		return nil, err
	}
	for lo := 0; lo < len(events); lo += benchBatch {
		batch := b.NewBatch()
		for _, e := range events[lo:min(lo+benchBatch, len(events))] {
			if err := batch.Index(e.ID, e); err != nil {
				_ = b.Close()
				return nil, err
			}
		}
		if err := b.Batch(batch); err != nil {
			_ = b.Close()
			return nil, err
		}
	}
	return b, nil
}

func dirMiB(dir string) float64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

// BenchmarkIndex measures indexing rate, size on disk and heap: this
// package's mapping beside raw Bleve with the default mapping, same events.
func BenchmarkIndex(b *testing.B) {
	events := genCorpus(benchEvents(b), 1)
	for _, kind := range []string{"dateline", "raw-default-mapping"} {
		b.Run(kind, func(b *testing.B) {
			var dir string
			var heap float64
			var docs uint64
			for b.Loop() {
				dir = filepath.Join(b.TempDir(), "index")
				if kind == "dateline" {
					ix, err := buildOwn(context.Background(), dir, events)
					if err != nil {
						b.Fatal(err)
					}
					heap = heapMiB()
					docs, _ = ix.Count()
					_ = ix.Close()
				} else {
					raw, err := buildRaw(dir, events)
					if err != nil {
						b.Fatal(err)
					}
					heap = heapMiB()
					_ = raw.Close()
				}
			}
			b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(dirMiB(dir), "disk-MiB")
			b.ReportMetric(heap, "heap-MiB")
			if docs > 0 {
				b.ReportMetric(float64(docs), "merged-events")
			}
		})
	}
}

// BenchmarkIndexMerging measures Apply when events merge: the corpus
// plus re-reports of 30% of its events from later articles (appended
// after the corpus, as news arrives), then a replay of every set, as
// after a lost checkpoint (nothing changes, nothing is rewritten).
func BenchmarkIndexMerging(b *testing.B) {
	n := benchEvents(b)
	events := genEchoes(genCorpus(n, 1), n*3/10, 2)
	b.Run("build", func(b *testing.B) {
		var dir string
		var docs uint64
		for b.Loop() {
			dir = filepath.Join(b.TempDir(), "index")
			ix, err := buildOwn(context.Background(), dir, events)
			if err != nil {
				b.Fatal(err)
			}
			docs, _ = ix.Count()
			_ = ix.Close()
		}
		b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(docs), "merged-events")
		b.ReportMetric(dirMiB(dir), "disk-MiB")
	})
	b.Run("replay", func(b *testing.B) {
		ix, err := buildOwn(context.Background(), filepath.Join(b.TempDir(), "index"), events)
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		sets := setsOf(events)
		b.ResetTimer()
		for b.Loop() {
			for lo := 0; lo < len(sets); lo += benchBatch / 4 { // ~1,000 events
				if err := ix.Apply(context.Background(), sets[lo:min(lo+benchBatch/4, len(sets))], 1); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkQueryCostly measures the costliest queries the guard lets
// through (two-letter prefixes, fuzziness 1, facets over everything) on
// the query corpus: each must stay far below the default timeout.
func BenchmarkQueryCostly(b *testing.B) {
	c := getCorpus(b)
	for _, q := range []Query{
		{Q: "co*"}, {Q: "re* pr* st*", Facets: true}, {Q: "goverment~1 ministr~1"},
		{Facets: true}, {From: "2015", To: "2026", Sort: SortDate, Facets: true},
	} {
		b.Run(fmt.Sprintf("%q/facets=%v/n=%d", q.Q, q.Facets, c.n), func(b *testing.B) {
			measure(b, []benchQuery{{}}, func(benchQuery) (uint64, error) {
				c.own.gen.Add(1) // no facet cache
				res, err := c.own.Search(context.Background(), q)
				return res.Total, err
			})
		})
	}
}

// BenchmarkApplyBatchSize shows why the consumer should batch: every
// Apply waits for its batch to reach the disk.
func BenchmarkApplyBatchSize(b *testing.B) {
	events := genCorpus(2000, 3)
	for _, per := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("min-events-per-apply=%d", per), func(b *testing.B) {
			for b.Loop() {
				ix, err := buildOwnBatches(context.Background(), filepath.Join(b.TempDir(), "index"), events, per)
				if err != nil {
					b.Fatal(err)
				}
				_ = ix.Close()
			}
			b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// benchCorpus is the pair of indexes the query benchmarks share.
type benchCorpus struct {
	own *Index
	raw bleve.Index
	n   int
}

var (
	corpusOnce sync.Once
	corpus     *benchCorpus
	corpusErr  error
	corpusTmp  string
)

func getCorpus(b *testing.B) *benchCorpus {
	b.Helper()
	corpusOnce.Do(func() { corpus, corpusErr = loadCorpus(benchEvents(b)) })
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpus
}

// loadCorpus opens the indexes kept in DATELINE_BENCH_DIR when they hold n
// events, else builds them there (or in a temporary directory).
func loadCorpus(n int) (*benchCorpus, error) {
	dir := os.Getenv("DATELINE_BENCH_DIR")
	if dir == "" {
		tmp, err := os.MkdirTemp("", "dateline-bench-")
		if err != nil {
			return nil, err
		}
		corpusTmp, dir = tmp, tmp
	}
	withRaw := os.Getenv("DATELINE_BENCH_RAW") != "0"
	// Each index is kept while its marker matches: the raw one depends on
	// the corpus size only, this package's also on its mapping version.
	ownDir, rawDir := filepath.Join(dir, "dateline"), filepath.Join(dir, "raw")
	ownMarker, rawMarker := filepath.Join(dir, "dateline.events"), filepath.Join(dir, "raw.events")
	ownWant, rawWant := strconv.Itoa(n)+"\n"+mappingVersion, strconv.Itoa(n)
	fresh := func(marker, want string) bool {
		m, err := os.ReadFile(marker)
		return err == nil && string(m) == want
	}
	var events []event.Event
	gen := func() []event.Event {
		if events == nil {
			events = genCorpus(n, 1)
		}
		return events
	}
	c := &benchCorpus{n: n}
	var err error
	if fresh(ownMarker, ownWant) {
		c.own, err = Open(ownDir, Options{})
	} else {
		if err = os.RemoveAll(ownDir); err == nil {
			if c.own, err = buildOwn(context.Background(), ownDir, gen()); err == nil {
				err = os.WriteFile(ownMarker, []byte(ownWant), 0o644)
			}
		}
	}
	if err != nil || !withRaw {
		return c, err
	}
	if fresh(rawMarker, rawWant) {
		c.raw, err = bleve.Open(rawDir)
		return c, err
	}
	if err = os.RemoveAll(rawDir); err != nil {
		return c, err
	}
	if c.raw, err = buildRaw(rawDir, gen()); err != nil {
		return c, err
	}
	return c, os.WriteFile(rawMarker, []byte(rawWant), 0o644)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpus != nil {
		_ = corpus.own.Close()
		if corpus.raw != nil {
			_ = corpus.raw.Close()
		}
	}
	if corpusTmp != "" {
		_ = os.RemoveAll(corpusTmp)
	}
	os.Exit(code)
}

// benchQuery is one generated query: two words and a one-year range.
type benchQuery struct {
	words string
	year  int
}

func benchQueries() []benchQuery {
	r := rand.New(rand.NewSource(7))
	qs := make([]benchQuery, 256)
	for i := range qs {
		w1 := genWords[10+r.Intn(190)]
		w2 := genWords[10+r.Intn(190)]
		qs[i] = benchQuery{words: w1 + " " + w2, year: 2015 + r.Intn(12)}
	}
	return qs
}

// rawRequest is the raw Bleve equivalent of a dateline query on the
// default mapping: query string on _all with every word required (as
// Dateline's q requires every plain word), a date range on "date",
// stored fields loaded for the page.
func rawRequest(q benchQuery, facets bool, sortDate bool) *bleve.SearchRequest {
	from := time.Date(q.year, 1, 1, 0, 0, 0, 0, time.UTC)
	dr := query.NewDateRangeQuery(from, from.AddDate(1, 0, 0))
	dr.SetField("date")
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{
		query.NewQueryStringQuery("+" + strings.ReplaceAll(q.words, " ", " +")), dr}), 20, 0, false)
	req.Fields = []string{"*"}
	if facets {
		for name, field := range map[string]string{"type": "type", "actor": "actors", "place": "places.name", "feed": "article.feed"} {
			req.AddFacet(name, bleve.NewFacetRequest(field, facetSize))
		}
	}
	if sortDate {
		req.SortBy([]string{"-date"})
	}
	return req
}

// BenchmarkQuery measures query latency (p50, p95) for issue 5's three
// queries, each beside raw Bleve with the default mapping on the same
// events and the equivalent query.
func BenchmarkQuery(b *testing.B) {
	c := getCorpus(b)
	qs := benchQueries()
	cases := []struct {
		name           string
		facets, byDate bool
	}{
		{"words+range", false, false},
		{"words+range+facets", true, false},
		{"words+range+sort-date", false, true},
	}
	for _, tc := range cases {
		b.Run(fmt.Sprintf("%s/dateline/n=%d", tc.name, c.n), func(b *testing.B) {
			measure(b, qs, func(q benchQuery) (uint64, error) {
				y := strconv.Itoa(q.year)
				dq := Query{Q: q.words, From: y, To: y, Limit: 20, Facets: tc.facets}
				if tc.byDate {
					dq.Sort = SortDateDesc
				}
				c.own.gen.Add(1) // measure the search, not the facet cache
				res, err := c.own.Search(context.Background(), dq)
				return res.Total, err
			})
		})
		if c.raw == nil {
			continue
		}
		b.Run(fmt.Sprintf("%s/raw-bleve/n=%d", tc.name, c.n), func(b *testing.B) {
			measure(b, qs, func(q benchQuery) (uint64, error) {
				res, err := c.raw.SearchInContext(context.Background(), rawRequest(q, tc.facets, tc.byDate))
				if err != nil {
					return 0, err
				}
				return res.Total, nil
			})
		})
	}
}

// BenchmarkTimeline measures Timeline by month over the whole corpus and
// for two words, computed each time (uncached), and the cached path.
func BenchmarkTimeline(b *testing.B) {
	c := getCorpus(b)
	qs := benchQueries()
	for _, tc := range []struct {
		name          string
		words, cached bool
	}{{"all", false, false}, {"words", true, false}, {"all-cached", false, true}} {
		b.Run(fmt.Sprintf("%s/month/n=%d", tc.name, c.n), func(b *testing.B) {
			measure(b, qs, func(q benchQuery) (uint64, error) {
				tq := Query{}
				if tc.words {
					tq.Q = q.words
				}
				get := c.own.timeline
				if tc.cached {
					get = c.own.Timeline
				}
				buckets, err := get(context.Background(), tq, "month")
				var n uint64
				for _, bk := range buckets {
					n += uint64(bk.Count)
				}
				return n, err
			})
		})
	}
}

// measure runs one query per iteration, cycling through qs, and reports
// p50 and p95 wall latency, the mean process CPU time and the mean number
// of hits.
func measure(b *testing.B, qs []benchQuery, run func(benchQuery) (uint64, error)) {
	var lat []time.Duration
	var hits uint64
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		start := time.Now()
		n, err := run(qs[i%len(qs)])
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		hits += n
		i++
	}
	cpu := cpuTime() - cpu0
	slices.Sort(lat)
	pct := func(p int) float64 { return float64(lat[(len(lat)-1)*p/100]) / float64(time.Millisecond) }
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(95), "p95-ms")
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(len(lat)), "cpu-ms/op")
}

// cpuTime is the CPU time used by the process so far (user and system),
// a steadier figure than wall time on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
