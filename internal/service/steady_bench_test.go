package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/service"
)

// BenchmarkSteadyIngest measures the time from the poll that fetched an
// article to its events being searchable, with articles arriving at a
// steady 100 a second on one feed polled every second, with
// sync_interval: always (the default). DATELINE_BENCH_STEADY_ARTICLES
// (default 2000, a 20-second run) sets how many articles arrive; one op is
// one run.
//
// An article's poll is the first response of the feed that carried it;
// it is searchable once the index has applied its event set
// (dateline_index_checkpoint, one EVENTS message per article). The k-th
// article fetched is matched with the k-th set applied: the articles of
// one response share their poll time and responses are applied in
// order, so the order within a response does not change the figures.
func BenchmarkSteadyIngest(b *testing.B) {
	const perSecond, window = 100, 150 // the feed carries the newest 1.5 s of articles
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_STEADY_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	ex, err := extract.Default()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var mu sync.Mutex // guards start and polled
		var start time.Time
		var polled []time.Time // poll time of the k-th article fetched
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			now := time.Now()
			if start.IsZero() {
				start = now
			}
			visible := min(n, 1+int(now.Sub(start)*perSecond/time.Second))
			for len(polled) < visible {
				polled = append(polled, now)
			}
			mu.Unlock()
			var sb strings.Builder
			sb.WriteString(benchFeedHead)
			for i := visible - 1; i >= max(0, visible-window); i-- { // newest first
				writeBenchItem(&sb, i)
			}
			sb.WriteString(benchFeedTail)
			fmt.Fprint(w, sb.String())
		}))
		cfg := config.Default()
		cfg.DataDir, cfg.Listen, cfg.LogLevel = b.TempDir(), "127.0.0.1:0", "error"
		cfg.RateLimit = 0 // the benchmark reads /metrics in a tight loop
		cfg.Fetch.AllowPrivateNetworks = true
		cfg.Fetch.PollInterval = config.Duration(time.Second)
		cfg.Feeds = []config.Feed{{URL: srv.URL + "/feed.rss"}}
		svc, err := service.Start(context.Background(), cfg, ex, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		var searchable []time.Time // when the k-th set was applied
		deadline := time.Now().Add(time.Duration(n)*time.Second/perSecond + time.Minute)
		for len(searchable) < n {
			cp := int(checkpoint(b, svc))
			now := time.Now()
			for len(searchable) < min(cp, n) {
				searchable = append(searchable, now)
			}
			if now.After(deadline) {
				b.Fatalf("only %d of %d articles' events indexed by the deadline", len(searchable), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = svc.Stop(ctx)
		cancel()
		srv.Close()

		mu.Lock()
		lat := make([]time.Duration, n)
		for k := range n {
			lat[k] = searchable[k].Sub(polled[k])
		}
		elapsed := searchable[n-1].Sub(start)
		mu.Unlock()
		slices.Sort(lat)
		pct := func(p int) float64 { return float64(lat[(n-1)*p/100]) / float64(time.Millisecond) }
		b.ReportMetric(pct(50), "p50-ms")
		b.ReportMetric(pct(95), "p95-ms")
		b.ReportMetric(pct(100), "max-ms")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "articles/s")
	}
}
