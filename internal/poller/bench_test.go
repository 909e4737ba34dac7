package poller

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
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
func runRound(b *testing.B, opts Options, pub Publisher, store StateStore, feeds []Feed, want int64) {
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
// 500ms apart per host, so at most 1,000 polls/s by design). One op is
// 5,000 polls.
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
	}{
		{"hosts=1/budget=off", 1, DefaultWorkers, -1},
		{"hosts=500/budget=default", 500, 0, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			hosts := benchServers(b, bc.hosts, h)
			fs := make([]Feed, feeds)
			store := NewMemoryState()
			for i := range fs {
				fs[i] = Feed{URL: fmt.Sprintf("%s/feed/%d", hosts[i%len(hosts)], i)}
				store.Save(context.Background(), State{URL: fs[i].URL, ETag: `"1"`, Status: StatusOK})
			}
			opts := testOptions()
			opts.Interval, opts.MaxBackoff = time.Millisecond, time.Millisecond
			opts.PerHostConcurrency, opts.PerHostSpacing, opts.Workers = bc.perHost, bc.spacing, 0
			p := New(opts, newMemPub(), store)
			ctx, cancel := context.WithCancel(context.Background())
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
func benchFeed(feed int) []byte {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://example.org/</link><ttl>15</ttl>`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<item><title>Talks on item %d of feed %d resume in Geneva</title><link>https://example.org/%d/%d?utm_source=rss</link><guid isPermaLink="false">f%d-i%d</guid><pubDate>Tue, 19 Nov 2024 10:%02d:00 GMT</pubDate><description>Summary of the story.</description><content:encoded><![CDATA[`, i, feed, feed, i, feed, i, i%60)
		for range 4 {
			sb.WriteString(`<p>The two governments signed the agreement on <b>June 19, 2024</b>, after months of talks that had stalled twice over inspections, officials said on Tuesday &mdash; according to <a href="https://example.org/">reports</a>.</p>`)
		}
		sb.WriteString(`]]></content:encoded></item>`)
	}
	sb.WriteString(`</channel></rss>`)
	return []byte(sb.String())
}

// BenchmarkNewArticles measures new-article throughput: 50 feeds of 100
// new items each fetched over HTTP, parsed, converted and published to an
// in-memory publisher; beside it, the same pipeline without HTTP, and raw
// gofeed.Parse of the same bytes.
func BenchmarkNewArticles(b *testing.B) {
	const nfeeds = 50
	bodies := make([][]byte, nfeeds)
	for i := range bodies {
		bodies[i] = benchFeed(i)
	}
	b.Run("poller", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var i int
			fmt.Sscanf(r.URL.Path, "/feed/%d", &i)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(bodies[i])
		})
		hosts := benchServers(b, 10, h)
		fs := make([]Feed, nfeeds)
		for i := range fs {
			fs[i] = Feed{URL: fmt.Sprintf("%s/feed/%d", hosts[i%len(hosts)], i)}
		}
		opts := testOptions()
		opts.Workers = 0
		for b.Loop() {
			pub := newMemPub()
			runRound(b, opts, pub, NewMemoryState(), fs, nfeeds)
			if pub.count() != nfeeds*100 {
				b.Fatalf("published %d", pub.count())
			}
		}
		b.ReportMetric(float64(nfeeds*100)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("parse+convert+publish", func(b *testing.B) {
		p := New(testOptions(), nil, nil)
		for b.Loop() {
			p.pub = newMemPub()
			for i, body := range bodies {
				feed, err := parseFeed(body, "application/rss+xml")
				if err != nil {
					b.Fatal(err)
				}
				st := State{}
				if _, err := p.publishItems(context.Background(), Feed{URL: fmt.Sprint(i)}, &st, feed, "https://example.org/", time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(nfeeds*100)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("gofeed.Parse", func(b *testing.B) {
		for b.Loop() {
			for _, body := range bodies {
				if _, err := gofeed.NewParser().Parse(strings.NewReader(string(body))); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(nfeeds*100)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	})
}
