package poller

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/feedlist"
)

// benchServers starts n httptest servers sharing h; each is its own host
// (host:port) for the per-host budget.
func benchServers(b *testing.B, n int, h http.Handler) []string {
	urls := make([]string, n)
	for i := range urls {
		srv := httptest.NewServer(h)
		b.Cleanup(srv.Close)
		urls[i] = srv.URL
	}
	return urls
}

// runRound runs a fresh Poller over feeds until want polls are done.
func runRound(b *testing.B, opts Options, pub Publisher, store StateStore, feeds []feedlist.Feed, want int64) {
	p := New(opts, pub, store)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, feeds) }()
	waitPolls(p, want)
	cancel()
	<-done
	if s := p.Stats(); s.Errors > 0 {
		b.Fatalf("%d errors: %+v", s.Errors, p.Status()[0])
	}
}

// BenchmarkPoll304 measures one poller in steady state polling 5,000 feeds
// that all answer 304 Not Modified and are always due (1ms interval), spread
// over 1 host (budget lifted) or 500 hosts (default budget: 2 in flight and
// 500ms apart per host, so at most 1,000 polls/s by design). With
// state=kv the poller is wired as internal/service wires it: feed state and
// leases in the KV buckets of an embedded JetStream server with the
// project's default sync_interval "always", so each poll also costs a
// lease taken and released and a state saved; state=memory keeps state in
// a MemoryState and takes no lease, to show that cost. One op is 5,000
// polls.
func BenchmarkPoll304(b *testing.B) {
	const feeds = 5000
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		fmt.Fprint(w, rss(""))
	})
	for _, bc := range []struct {
		name    string
		hosts   int
		perHost int
		spacing time.Duration
		kv      bool
	}{
		{"hosts=1/budget=off/state=kv", 1, DefaultWorkers, -1, true},
		{"hosts=1/budget=off/state=memory", 1, DefaultWorkers, -1, false},
		{"hosts=500/budget=default/state=kv", 500, 0, 0, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			bb := benchBus(b, "always")
			pub, err := bb.NewArticles(ctx)
			if err != nil {
				b.Fatal(err)
			}
			opts := testOptions()
			opts.Interval, opts.MaxBackoff = time.Millisecond, time.Millisecond
			opts.PerHostConcurrency, opts.PerHostSpacing, opts.Workers = bc.perHost, bc.spacing, 0
			var store StateStore = NewMemoryState()
			if bc.kv {
				stateKV, err := bb.KV(ctx, bus.FeedStateBucket)
				if err != nil {
					b.Fatal(err)
				}
				leaseKV, err := bb.KV(ctx, bus.FeedLeaseBucket)
				if err != nil {
					b.Fatal(err)
				}
				store, opts.Leaser = NewKVState(stateKV), NewKVLeaser(leaseKV, "bench")
			}
			hosts := benchServers(b, bc.hosts, h)
			fs := make([]feedlist.Feed, feeds)
			for i := range fs {
				fs[i] = feedlist.Feed{URL: fmt.Sprintf("%s/feed/%d", hosts[i%len(hosts)], i)}
				if err := store.Save(ctx, State{URL: fs[i].URL, ETag: `"1"`, Status: StatusOK}); err != nil {
					b.Fatal(err)
				}
			}
			p := New(opts, pub, store)
			ctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx, fs) }()
			waitPolls(p, feeds) // warm up: load state, open connections
			for b.Loop() {
				waitPolls(p, p.Stats().Polls+feeds)
			}
			b.ReportMetric(float64(feeds)*float64(b.N)/b.Elapsed().Seconds(), "polls/s")
			cancel()
			<-done
			if s := p.Stats(); s.Errors > 0 || s.Parsed > 0 {
				for _, st := range p.Status() {
					if st.LastError != "" {
						b.Log(st.LastError)
					}
				}
				b.Fatalf("stats %+v: want only 304s", s)
			}
		})
	}
}

// waitPolls waits until p has finished n polls.
func waitPolls(p *Poller, n int64) {
	for p.Stats().Polls < n {
		time.Sleep(time.Millisecond)
	}
}

// benchFeed renders an RSS 2.0 feed of 100 new items, ~1.5 KB of HTML each.
// round makes every GUID and link unique to one benchmark round, so each
// round publishes new articles.
func benchFeed(round, feed int) []byte {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://example.org/</link><ttl>15</ttl>`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<item><title>Talks on item %d of feed %d resume in Geneva</title><link>https://example.org/%d/%d/%d?utm_source=rss</link><guid isPermaLink="false">r%d-f%d-i%d</guid><pubDate>Tue, 19 Nov 2024 10:%02d:00 GMT</pubDate><description>Summary of the story.</description><content:encoded><![CDATA[`, i, feed, round, feed, i, round, feed, i, i%60)
		for range 4 {
			sb.WriteString(`<p>The two governments signed the agreement on <b>June 19, 2024</b>, after months of talks that had stalled twice over inspections, officials said on Tuesday &mdash; according to <a href="https://example.org/">reports</a>.</p>`)
		}
		sb.WriteString(`]]></content:encoded></item>`)
	}
	sb.WriteString(`</channel></rss>`)
	return []byte(sb.String())
}

// benchBus starts an embedded JetStream server through package bus, as
// `dateline serve` does, with the given sync_interval ("always" is the
// project default; "" the server default), and declares the streams.
func benchBus(b testing.TB, syncInterval string) *bus.Bus {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: b.TempDir(), SyncInterval: syncInterval})
	if err != nil {
		b.Fatal(err)
	}
	bb, err := bus.Connect(ctx, "", ns, b.Name())
	if err != nil {
		ns.Shutdown()
		b.Fatal(err)
	}
	b.Cleanup(func() {
		bb.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	if err := bb.Setup(ctx, 1); err != nil {
		b.Fatal(err)
	}
	return bb
}

// BenchmarkNewArticles measures new-article throughput. In the poller
// cases, 50 feeds of 100 new items each are fetched over HTTP, parsed,
// converted and published to the ARTICLES stream of an embedded JetStream
// server through bus.Articles, with feed state and leases in its KV
// buckets, wired as internal/service wires them; once with the project's
// default sync_interval "always" (fsync on every write) and once with the
// server default. Beside them: parse+convert without HTTP or publishing,
// and raw gofeed.Parse of the same bytes. One op is 5,000 articles.
func BenchmarkNewArticles(b *testing.B) {
	const nfeeds, perFeed = 50, 100
	for _, bc := range []struct{ name, sync string }{
		{"poller/jetstream/sync=always", "always"},
		{"poller/jetstream/sync=default", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			bb := benchBus(b, bc.sync)
			stateKV, err := bb.KV(ctx, bus.FeedStateBucket)
			if err != nil {
				b.Fatal(err)
			}
			leaseKV, err := bb.KV(ctx, bus.FeedLeaseBucket)
			if err != nil {
				b.Fatal(err)
			}
			stream, err := bb.JS.Stream(ctx, bus.ArticlesStream)
			if err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			bodies := map[string][]byte{} // by path?query
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				body := bodies[r.URL.RequestURI()]
				mu.Unlock()
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write(body)
			})
			hosts := benchServers(b, 10, h)
			opts := testOptions()
			opts.Workers = 0
			opts.Leaser = NewKVLeaser(leaseKV, "bench")
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				fs := make([]feedlist.Feed, nfeeds) // new URLs each round: no stored state yet
				mu.Lock()
				for i := range fs {
					uri := fmt.Sprintf("/feed/%d?round=%d", i, round)
					bodies[uri] = benchFeed(round, i)
					fs[i] = feedlist.Feed{URL: hosts[i%len(hosts)] + uri}
				}
				mu.Unlock()
				pub, err := bb.NewArticles(ctx)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				runRound(b, opts, pub, NewKVState(stateKV), fs, nfeeds)
			}
			b.StopTimer()
			info, err := stream.Info(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if want := uint64(nfeeds * perFeed * round); info.State.Msgs != want {
				b.Fatalf("ARTICLES holds %d messages, want %d", info.State.Msgs, want)
			}
			b.ReportMetric(float64(nfeeds*perFeed)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
	bodies := make([][]byte, nfeeds)
	for i := range bodies {
		bodies[i] = benchFeed(0, i)
	}
	b.Run("parse+convert", func(b *testing.B) {
		p := New(testOptions(), nil, nil)
		p.pub = discardPub{}
		for b.Loop() {
			for i, body := range bodies {
				feed, err := parseFeed(body, "application/rss+xml")
				if err != nil {
					b.Fatal(err)
				}
				st := State{}
				if _, err := p.publishItems(context.Background(), feedlist.Feed{URL: fmt.Sprint(i)}, &st, feed, "https://example.org/", time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(nfeeds*perFeed)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("gofeed.Parse", func(b *testing.B) {
		for b.Loop() {
			for _, body := range bodies {
				if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(nfeeds*perFeed)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	})
}

// discardPub accepts every article and keeps none: it isolates parsing and
// conversion from publishing in the parse+convert case.
type discardPub struct{}

func (discardPub) Publish(context.Context, article.Article) (bool, error) { return true, nil }
