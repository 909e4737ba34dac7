package poller

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feedlist"
)

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "  Just   text\n here ", "Just   text\n here"},
		{"plain paragraphs keep their lines", "One.\r\n\r\n\r\n\nTwo\nlines.\n\n", "One.\n\nTwo\nlines."},
		{"pre keeps its lines", "<p>Intro</p><pre>WASHINGTON -- The talks began on\nTuesday.\n\n   A new paragraph.</pre><p>After</p>",
			"Intro\n\nWASHINGTON -- The talks began on\nTuesday.\n\n   A new paragraph.\n\nAfter"},
		{"entities", "Fish &amp; chips &eacute; &#8212; done", "Fish & chips é — done"},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"inline spacing", "<p>Hello <b>bold</b>world and <i>more</i> text</p>", "Hello boldworld and more text"},
		{"br", "Line one<br/>line two<br><br>line three", "Line one\nline two\nline three"},
		{"script and style dropped", "<style>p{}</style><p>Keep</p><script>var x = '<p>no</p>';</script>", "Keep"},
		{"lists", "<ul><li>a</li><li>b</li></ul>after", "a\n\nb\n\nafter"},
		{"nested divs", "<div><div>x</div><div>y</div></div>", "x\n\ny"},
		{"self-closing svg", "<p>a<svg/>b</p>", "ab"},
		{"unclosed", "<p>open <b>bold", "open bold"},
		{"nbsp", "a&nbsp;&nbsp;b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	base, _ := url.Parse("https://example.org/feeds/world.xml")
	date := func(s string) *time.Time { d, _ := time.Parse(time.RFC3339, s); return &d }
	f := feedlist.Feed{URL: "https://example.org/feeds/world.xml", Name: "World", Locale: "en-GB"}
	tests := []struct {
		name      string
		item      gofeed.Item
		wantID    string
		wantURL   string
		published time.Time
		flags     []string
	}{
		{"guid", gofeed.Item{GUID: "tag:x,1", Link: "https://example.org/a", PublishedParsed: date("2024-01-02T03:04:05Z")},
			article.ID("tag:x,1", "", "", time.Time{}), "https://example.org/a", *date("2024-01-02T03:04:05Z"), nil},
		{"permalink guid counts as link", gofeed.Item{GUID: "https://example.org/a?utm_source=rss", Link: "https://example.org/a", PublishedParsed: date("2024-01-02T03:04:05Z")},
			article.ID("", "https://example.org/a", "", time.Time{}), "https://example.org/a", *date("2024-01-02T03:04:05Z"), nil},
		{"relative link", gofeed.Item{Link: "../news/b#x", UpdatedParsed: date("2024-01-02T03:04:05Z")},
			article.ID("", "https://example.org/news/b", "", time.Time{}), "https://example.org/news/b", *date("2024-01-02T03:04:05Z"), nil},
		{"title and date only", gofeed.Item{Title: "<b>Hello</b>  world", PublishedParsed: date("2024-01-02T03:04:05Z")},
			article.ID("", "", "Hello world", *date("2024-01-02T03:04:05Z")), "", *date("2024-01-02T03:04:05Z"), nil},
		{"the feed's offset is kept", gofeed.Item{Link: "https://example.org/f", PublishedParsed: date("2024-04-13T22:45:05-04:00")},
			article.ID("", "https://example.org/f", "", time.Time{}), "https://example.org/f", *date("2024-04-14T02:45:05Z"), nil},
		{"no date: first seen", gofeed.Item{Link: "https://example.org/c"},
			article.ID("", "https://example.org/c", "", time.Time{}), "https://example.org/c", now.Add(-time.Hour), nil},
		{"future", gofeed.Item{Link: "https://example.org/d", PublishedParsed: date("2026-05-03T00:00:00Z")},
			article.ID("", "https://example.org/d", "", time.Time{}), "https://example.org/d", *date("2026-05-03T00:00:00Z"), []string{FlagFutureDate}},
		{"before 1990", gofeed.Item{Link: "https://example.org/e", PublishedParsed: date("1970-01-01T00:00:00Z")},
			article.ID("", "https://example.org/e", "", time.Time{}), "https://example.org/e", *date("1970-01-01T00:00:00Z"), []string{FlagBefore1990}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := convert(f, &tt.item, base, now.Add(-time.Hour), now)
			if _, off := a.Published.Zone(); tt.item.PublishedParsed != nil {
				if _, want := tt.item.PublishedParsed.Zone(); off != want {
					t.Errorf("published offset %d, want the feed's %d", off, want)
				}
			}
			if a.ID != tt.wantID || a.URL != tt.wantURL || !a.Published.Equal(tt.published) || !slices.Equal(a.Flags, tt.flags) {
				t.Errorf("got id %s url %q published %v flags %v; want %s %q %v %v", a.ID, a.URL, a.Published, a.Flags, tt.wantID, tt.wantURL, tt.published, tt.flags)
			}
			if a.Feed != f.URL || a.FeedName != "World" || a.Locale != "en-GB" || !a.Fetched.Equal(now) {
				t.Errorf("metadata %+v", a)
			}
		})
	}
}

func FuzzConvert(f *testing.F) {
	f.Add([]byte(rss("<ttl>5</ttl>", "A|https://example.org/a|<p>x</p>", "B||&amp;")), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":"1","content_html":"<p>a"}]}`), "application/json")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;x</title><link href="/rel"/></entry></feed>`), "text/xml; charset=iso-8859-1")
	f.Add([]byte(`<rss><channel><item><guid>http://[::1</guid><link>%zz</link></item></channel></rss>`), "text/xml; charset=bogus")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	base, _ := url.Parse("https://example.org/feed")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := parseFeed(body, contentType)
		if err != nil {
			return
		}
		feedHint(feed)
		for _, it := range feed.Items {
			if it == nil {
				continue
			}
			a := convert(feedlist.Feed{URL: "https://example.org/feed"}, it, base, now, now)
			if len(a.ID) != 32 || a.Published.IsZero() {
				t.Fatalf("bad article %+v", a)
			}
			if strings.Contains(a.Title, "\n") {
				t.Fatalf("title has a newline: %q", a.Title)
			}
		}
	})
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<p>a</p><p>b</p>", "a<br>b", "<script>x</script>y", "&amp;&#x41;", "<svg/><p>z", "plain\n\ntext", " 0 indented first line\u00a0\n  second\v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlToText(s)
		if strings.Contains(got, "\n\n\n") || strings.TrimSpace(got) != got {
			t.Fatalf("htmlToText(%q) = %q: stray blank lines or edges", s, got)
		}
		if strings.Contains(inlineText(s), "\n") {
			t.Fatalf("inlineText(%q) has a newline", s)
		}
	})
}
