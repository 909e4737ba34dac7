package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/service"
)

// benchFeed is an RSS feed of n items, each a short article with a dated
// strike, about 600 bytes of text. Every item has a day and place of its
// own (reports of one strike on one day in one city would rightly merge into
// one timeline event, and the index would have less to do than in life),
// going back a day for every len(places) items from the publication date,
// so 3,000 items span the year before it, as a busy news feed's events do.
func benchFeed(n int) string {
	var b strings.Builder
	b.WriteString(benchFeedHead)
	for i := range n {
		writeBenchItem(&b, i)
	}
	b.WriteString(benchFeedTail)
	return b.String()
}

// The RSS around benchFeed's items.
const (
	benchFeedHead = `<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>https://bench.example/</link><description>b</description>`
	benchFeedTail = `</channel></rss>`
)

// writeBenchItem writes benchFeed's item i.
func writeBenchItem(b *strings.Builder, i int) {
	places := []string{"Kharkiv", "Odesa", "Gaza City", "Khartoum", "Aleppo", "Goma", "Sanaa", "Mosul"}
	published := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	d := published.AddDate(0, 0, -1-i/len(places))
	fmt.Fprintf(b, `<item><title>Strike %d</title><link>https://bench.example/%d</link><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><description>Officials said a missile strike hit %s on %s %d, %d, damaging buildings and killing %d people. The attack came after weeks of shelling in the region. Rescue teams searched the rubble through the night, and the regional governor called for more air defence. Analysts said the strike was part of a wider campaign against infrastructure that began in the autumn. Report number %d.</description></item>`,
		i, i, places[i%len(places)], d.Month(), d.Day(), d.Year(), 2+i%9, i)
}

// BenchmarkIngest measures articles per second from feed to searchable
// (one poll of a feed of DATELINE_BENCH_ARTICLES items, default 3000,
// through ARTICLES, the extractor, EVENTS and the index) with the embedded
// server's default fsync interval and with sync_interval: always, and the
// time from start to the first searchable event.
func BenchmarkIngest(b *testing.B) {
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	feed := benchFeed(n)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, feed) }))
	defer srv.Close()
	ex, err := extract.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, sync := range []string{"2m", "always"} {
		b.Run("sync="+sync, func(b *testing.B) {
			for b.Loop() {
				cfg := config.Default()
				cfg.DataDir, cfg.Listen, cfg.LogLevel = b.TempDir(), "127.0.0.1:0", "error"
				cfg.NATS.SyncInterval = sync
				cfg.RateLimit = 0 // the benchmark polls the API in a tight loop
				cfg.Fetch.AllowPrivateNetworks = true
				cfg.Fetch.MaxBodyBytes = 64 << 20
				cfg.Feeds = []config.Feed{{URL: srv.URL + "/feed.rss"}}
				start := time.Now()
				svc, err := service.Start(context.Background(), cfg, ex, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				// Done when the index has applied the n event sets EVENTS
				// holds, one per article (sequences 1 to n): counting
				// searchable events would not do, as an article may give
				// more than one event and events of several may merge.
				first := time.Duration(0)
				for {
					if first == 0 && searchable(b, svc) > 0 {
						first = time.Since(start)
					}
					cp := checkpoint(b, svc)
					if cp >= uint64(n) {
						break
					}
					if time.Since(start) > 8*time.Minute {
						b.Fatalf("only %d of %d articles' events indexed after 8 minutes", cp, n)
					}
					time.Sleep(10 * time.Millisecond)
				}
				elapsed := time.Since(start)
				b.ReportMetric(float64(n)/elapsed.Seconds(), "articles/s")
				b.ReportMetric(first.Seconds()*1000, "ms-to-first-event")
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				_ = svc.Stop(ctx)
				cancel()
			}
		})
	}
}

func searchable(b *testing.B, svc *service.Service) int {
	resp, err := http.Get("http://" + svc.Addr().String() + "/api/v1/events?limit=1")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	if err := jsonDecode(resp, &r); err != nil {
		return 0
	}
	return r.Total
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// checkpoint reads the last EVENTS sequence the index applied from /metrics.
func checkpoint(b *testing.B, svc *service.Service) uint64 {
	resp, err := http.Get("http://" + svc.Addr().String() + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(line, "dateline_index_checkpoint "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return uint64(f)
		}
	}
	return 0
}
