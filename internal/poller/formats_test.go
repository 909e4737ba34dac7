package poller

import (
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

// latin1 encodes s as ISO-8859-1.
func latin1(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFormats(t *testing.T) {
	t.Parallel()
	const rssBody = `<rss version="2.0"><channel><title>T</title><item><title>Café à Zürich</title><link>https://example.org/cafe</link><description>Über die Grenze</description><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item></channel></rss>`
	tests := []struct {
		name, contentType string
		body              func(t *testing.T) []byte
		title, text, link string
		published         string
	}{
		{"iso-8859-1 in xml prolog", "application/xml", func(t *testing.T) []byte {
			return latin1(t, `<?xml version="1.0" encoding="ISO-8859-1"?>`+rssBody)
		}, "Café à Zürich", "Über die Grenze", "https://example.org/cafe", "2024-01-02T10:00:00Z"},
		{"iso-8859-1 in content-type only", "text/xml; charset=ISO-8859-1", func(t *testing.T) []byte {
			return latin1(t, rssBody)
		}, "Café à Zürich", "Über die Grenze", "https://example.org/cafe", "2024-01-02T10:00:00Z"},
		{"windows-1252 in prolog", "application/rss+xml", func(t *testing.T) []byte {
			b, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(`<?xml version="1.0" encoding="windows-1252"?>` + strings.Replace(rssBody, "Café", "“Café”", 1)))
			return b
		}, "“Café” à Zürich", "Über die Grenze", "https://example.org/cafe", "2024-01-02T10:00:00Z"},
		{"json feed", "application/feed+json", func(t *testing.T) []byte {
			return []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"j1","url":"https://example.org/j?utm_source=x","title":"Talks resume","content_html":"<p>First.</p><p>Second &amp; last.</p>","date_published":"2024-03-04T05:06:07Z"}]}`)
		}, "Talks resume", "First.\n\nSecond & last.", "https://example.org/j", "2024-03-04T05:06:07Z"},
		{"atom 1.0", "application/atom+xml", func(t *testing.T) []byte {
			return []byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2024-05-06T00:00:00Z</updated><entry><title type="html">Treaty &lt;b&gt;signed&lt;/b&gt;</title><id>urn:a:1</id><link href="https://example.org/treaty"/><updated>2024-05-06T07:08:09Z</updated><content type="html">&lt;p&gt;Leaders signed.&lt;/p&gt;</content><summary>short</summary></entry></feed>`)
		}, "Treaty signed", "Leaders signed.", "https://example.org/treaty", "2024-05-06T07:08:09Z"},
		{"rss 1.0", "application/rdf+xml", func(t *testing.T) []byte {
			return []byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://example.org/"><title>R</title><link>https://example.org/</link></channel><item rdf:about="https://example.org/r1"><title>Rdf item</title><link>https://example.org/r1</link><description>Body</description><dc:date>2024-07-08T09:10:11Z</dc:date></item></rdf:RDF>`)
		}, "Rdf item", "Body", "https://example.org/r1", "2024-07-08T09:10:11Z"},
		{"rss 0.91", "text/xml", func(t *testing.T) []byte {
			return []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>N</title><link>https://example.org/</link><description>d</description><language>en</language><item><title>Old format</title><link>https://example.org/091</link><description>Still &lt;b&gt;read&lt;/b&gt;.</description></item></channel></rss>`)
		}, "Old format", "Still read.", "https://example.org/091", ""},
		{"atom 0.3", "application/atom+xml", func(t *testing.T) []byte {
			return []byte(`<?xml version="1.0" encoding="utf-8"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>A3</title><modified>2024-05-06T00:00:00Z</modified><entry><title>Old atom</title><link rel="alternate" type="text/html" href="https://example.org/a03"/><id>tag:example.org,2024:a03</id><issued>2024-05-06T07:08:09Z</issued><modified>2024-05-06T07:08:09Z</modified><content type="text/html" mode="escaped">&lt;p&gt;Escaped body.&lt;/p&gt;</content></entry></feed>`)
		}, "Old atom", "Escaped body.", "https://example.org/a03", "2024-05-06T07:08:09Z"},
		{"gzip content-encoding", "application/rss+xml", func(t *testing.T) []byte {
			return []byte(rssBody)
		}, "Café à Zürich", "Über die Grenze", "https://example.org/cafe", "2024-01-02T10:00:00Z"},
		{"content:encoded preferred", "application/rss+xml", func(t *testing.T) []byte {
			return []byte(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><item><title>X</title><link>https://example.org/x</link><description>summary</description><content:encoded><![CDATA[<div><p>Full <em>text</em>.</p><script>alert(1)</script><p>Line one<br>line two</p></div>]]></content:encoded><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item></channel></rss>`)
		}, "X", "Full text.\n\nLine one\nline two", "https://example.org/x", "2024-01-02T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body(t)
			gzipped := strings.HasPrefix(tt.name, "gzip")
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				if gzipped {
					if r.Header.Get("Accept-Encoding") != "gzip" {
						t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
					}
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					defer zw.Close()
					zw.Write(body)
					return
				}
				w.Write(body)
			}))
			defer srv.Close()
			pub := newPub(t)
			p := New(testOptions(), pub, nil)
			start(t, p, []feedlist.Feed{{URL: srv.URL, Name: "N", Locale: "en-GB"}})
			s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Status != StatusPending })
			if s.Status != StatusOK || pub.count() != 1 {
				t.Fatalf("status %+v, %d published", s, pub.count())
			}
			a := pub.articles()[0]
			published := a.Published.Format(time.RFC3339)
			if tt.published == "" { // undated: first seen, that is fetched
				published = ""
				if !a.Published.Equal(a.Fetched) {
					t.Errorf("undated item published %v, want first seen %v", a.Published, a.Fetched)
				}
			}
			if a.Title != tt.title || a.Text != tt.text || a.URL != tt.link || published != tt.published {
				t.Errorf("got title %q text %q url %q published %s\nwant title %q text %q url %q published %s",
					a.Title, a.Text, a.URL, a.Published.Format(time.RFC3339), tt.title, tt.text, tt.link, tt.published)
			}
			if a.Feed != srv.URL || a.FeedName != "N" || a.Locale != "en-GB" || a.Fetched.IsZero() || len(a.ID) != 32 {
				t.Errorf("article metadata %+v", a)
			}
		})
	}
}

// sameStory serves one story in two feeds: /one (RSS, a permalink GUID,
// tracking parameters and a fragment) and /two (Atom, another tracking
// parameter).
func sameStory() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/one", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel><title>1</title><item><title>Same</title><link>https://Example.org/story?utm_source=one#top</link><guid isPermaLink="true">https://example.org/story</guid><description>Text</description><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item></channel></rss>`)
	})
	mux.HandleFunc("/two", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<feed xmlns="http://www.w3.org/2005/Atom"><title>2</title><entry><title>Same</title><link href="https://example.org/story?utm_medium=two"/><published>2024-01-02T10:00:00Z</published><summary>Text, as the second feed summarises it</summary></entry></feed>`)
	})
	return httptest.NewServer(mux)
}

func TestSameLinkInTwoFeedsIsOneArticle(t *testing.T) {
	t.Parallel()
	srv := sameStory()
	defer srv.Close()
	pub := newPub(t)
	o := testOptions()
	o.Workers = 1 // one after the other; see TestSameStoryPolledConcurrently
	p := New(o, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL + "/one"}, {URL: srv.URL + "/two"}})
	wait.For(t, 10*time.Second, func() error {
		if p.Stats().Polls < 2 {
			return fmt.Errorf("%d polls", p.Stats().Polls)
		}
		return nil
	})
	if pub.called() != 2 || pub.count() != 1 {
		t.Fatalf("Publish called %d times, %d published; want 2 calls, 1 article", pub.called(), pub.count())
	}
	first := pub.articles()[0]
	msgs, stored, _ := pub.stored(t, first.ID)
	if msgs != 1 || stored.URL != "https://example.org/story" || stored.Feed != first.Feed {
		t.Errorf("ARTICLES holds %d messages, under the id %+v; want 1, the first feed's", msgs, stored)
	}
	total := 0
	for _, s := range p.Status() {
		total += s.Articles
	}
	if total != 1 {
		t.Errorf("articles counted over both feeds = %d, want 1", total)
	}
}

// TestSameStoryPolledConcurrently polls the two feeds of sameStory at the
// same time, many times over: both find the story absent at once, and
// still exactly one copy is published (bus.Articles.Publish publishes on
// the condition that the subject is empty, so the stream picks the one).
func TestSameStoryPolledConcurrently(t *testing.T) {
	t.Parallel()
	srv := sameStory()
	defer srv.Close()
	for i := range 20 {
		pub := newPub(t)
		p := New(testOptions(), pub, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx, []feedlist.Feed{{URL: srv.URL + "/one"}, {URL: srv.URL + "/two"}}) }()
		wait.For(t, 10*time.Second, func() error {
			if n := p.Stats().Polls; n < 2 {
				return fmt.Errorf("%d polls", n)
			}
			return nil
		})
		cancel()
		<-done
		if pub.count() != 1 {
			t.Fatalf("round %d: %d published, want 1", i, pub.count())
		}
		won := pub.articles()[0]
		msgs, stored, _ := pub.stored(t, won.ID)
		if msgs != 1 || stored.Feed != won.Feed || stored.Text != won.Text {
			t.Fatalf("round %d: ARTICLES holds %d messages, the stored copy from %s; want 1, the published copy from %s", i, msgs, stored.Feed, won.Feed)
		}
	}
}

// TestSameArticleAfterRestart restarts everything but the JetStream store:
// a new server process on the same directory, a new publisher and pollers
// that remember no feed state. The story, read again from either feed, is
// not stored again.
func TestSameArticleAfterRestart(t *testing.T) {
	t.Parallel()
	srv := sameStory()
	defer srv.Close()
	dir := t.TempDir()
	run := func(feeds ...string) (pub *recPub, total int) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
		b, err := bus.Connect(ctx, "", ns, t.Name())
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if err := b.Setup(ctx, 1); err != nil {
			t.Fatal(err)
		}
		pub = newPubOn(t, b)
		p := New(testOptions(), pub, nil)
		var fs []feedlist.Feed
		for _, f := range feeds {
			fs = append(fs, feedlist.Feed{URL: srv.URL + f})
		}
		pctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- p.Run(pctx, fs) }()
		wait.For(t, 10*time.Second, func() error {
			if n := p.Stats().Polls; n < int64(len(fs)) {
				return fmt.Errorf("%d polls", n)
			}
			return nil
		})
		stop()
		<-done
		for _, s := range p.Status() {
			total += s.Articles
		}
		msgs, _, _ := pub.stored(t, "")
		if msgs != 1 {
			t.Errorf("ARTICLES holds %d messages, want 1", msgs)
		}
		return pub, total
	}
	if pub, total := run("/one"); pub.count() != 1 || total != 1 {
		t.Fatalf("first run: %d published, %d counted; want 1", pub.count(), total)
	}
	if pub, total := run("/two", "/one"); pub.called() != 2 || pub.count() != 0 || total != 0 {
		t.Errorf("after restart: %d Publish calls, %d published, %d counted; want 2, 0, 0", pub.called(), pub.count(), total)
	}
}

// TestUpdatedItemRepublished changes an item's text: the poller publishes it
// again under the same id and the ARTICLES stream keeps only the new
// version (one message per article subject), so the extractor replaces the
// article's event set instead of adding a second one.
func TestUpdatedItemRepublished(t *testing.T) {
	t.Parallel()
	var body atomic.Value
	body.Store(rss("", "A|https://example.org/a|first version"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body.Load()) }))
	defer srv.Close()
	pub := newPub(t)
	opts := testOptions()
	opts.Interval = 10 * time.Millisecond
	p := New(opts, pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL}})
	waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Articles == 1 })
	body.Store(rss("", "A|https://example.org/a|second version"))
	waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Articles == 2 })
	a := pub.articles()
	if len(a) != 2 || a[0].ID != a[1].ID || a[1].Text != "second version" {
		t.Fatalf("published %+v, want the same id twice with the new text last", a)
	}
	if msgs, stored, _ := pub.stored(t, a[0].ID); msgs != 1 || stored.Text != "second version" {
		t.Errorf("ARTICLES holds %d messages, %q under the id; want 1, the second version", msgs, stored.Text)
	}
}

func TestFeedHints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, extra string
		header      map[string]string
		want        time.Duration
		reason      string
		adaptive    bool
		interval    time.Duration // the feed's own; 0: Options.Interval (1h)
	}{
		{"per-feed interval", "", nil, 2 * time.Hour, "interval", false, 2 * time.Hour},
		{"per-feed interval, longer ttl", "<ttl>180</ttl>", nil, 3 * time.Hour, "ttl hint", false, 2 * time.Hour},
		{"adaptive, daily items", "", nil, 12 * time.Hour, "adaptive: publishes every ~24h0m0s", true, 0},
		{"adaptive off", "", nil, time.Hour, "interval", false, 0},
		{"ttl", "<ttl>90</ttl>", nil, 90 * time.Minute, "ttl hint", false, 0},
		{"sy", `<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">daily</sy:updatePeriod><sy:updateFrequency xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">4</sy:updateFrequency>`, nil, 6 * time.Hour, "sy:updatePeriod hint", false, 0},
		{"max-age", "", map[string]string{"Cache-Control": "max-age=7200"}, 2 * time.Hour, "cache lifetime hint", false, 0},
		{"expires", "", map[string]string{"Expires": time.Now().Add(3 * time.Hour).UTC().Format(http.TimeFormat)}, 3 * time.Hour, "cache lifetime hint", false, 0},
		{"short ttl ignored", "<ttl>1</ttl>", nil, time.Hour, "interval", false, 0},
		{"capped", "<ttl>100000</ttl>", nil, 24 * time.Hour, "ttl hint (capped)", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				fmt.Fprint(w, rss(tt.extra, "a|https://example.org/a", "b|https://example.org/b", "c|https://example.org/c", "d|https://example.org/d"))
			}))
			defer srv.Close()
			opts := testOptions()
			opts.Adaptive = tt.adaptive
			p := New(opts, newPub(t), nil)
			p.jitter = func() float64 { return 0 }
			start(t, p, []feedlist.Feed{{URL: srv.URL, Interval: tt.interval}})
			s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Status == StatusOK })
			d := s.NextPoll.Sub(s.LastPolled)
			if tt.header["Expires"] != "" { // against the clock: allow the seconds the test took
				d = d.Round(time.Minute)
			}
			if d != tt.want || s.NextReason != tt.reason {
				t.Errorf("next poll in %v (%s), want %v (%s)", d, s.NextReason, tt.want, tt.reason)
			}
		})
	}
}

func TestFullText(t *testing.T) {
	t.Parallel()
	page := `<html><head><title>Story</title></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Story</h1>` + strings.Repeat(`<p>The two governments signed the agreement in Geneva on Tuesday, after months of talks that had stalled twice over the question of inspections, according to officials on both sides.</p>`, 6) + `</article>
<footer>Copyright</footer></body></html>`
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/story" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
			return
		}
		fmt.Fprint(w, rss("", "Story|"+srv.URL+"/story|Just a summary."))
	}))
	defer srv.Close()
	pub := newPub(t)
	p := New(testOptions(), pub, nil)
	start(t, p, []feedlist.Feed{{URL: srv.URL + "/feed", FullText: true}})
	wait.For(t, 10*time.Second, func() error {
		if pub.count() != 1 {
			return fmt.Errorf("%d published", pub.count())
		}
		return nil
	})
	a := pub.articles()[0]
	if !strings.Contains(a.Text, "signed the agreement in Geneva") || strings.Contains(a.Text, "Copyright") || strings.Count(a.Text, "\n\n") < 5 {
		t.Errorf("full text = %q", a.Text)
	}
}
