package article_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already canonical", "https://example.org/a/b?x=1", "https://example.org/a/b?x=1"},
		{"scheme and host lower-cased", "HTTPS://News.Example.ORG/World/Story", "https://news.example.org/World/Story"},
		{"fragment dropped", "https://example.org/a#comments", "https://example.org/a"},
		{"utm_* dropped", "https://example.org/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://example.org/a"},
		{"other tracking dropped, the rest sorted", "https://example.org/a?z=2&fbclid=abc&gclid=1&id=7&a=1", "https://example.org/a?a=1&id=7&z=2"},
		{"default ports dropped", "http://example.org:80/a", "http://example.org/a"},
		{"default https port dropped", "https://example.org:443/a", "https://example.org/a"},
		{"other ports kept", "https://example.org:8443/a", "https://example.org:8443/a"},
		{"empty path is /", "https://example.org", "https://example.org/"},
		{"spaces trimmed", "  https://example.org/a \n", "https://example.org/a"},
		{"not a URL returned trimmed", " tag:example.org,2024:1 ", "tag:example.org,2024:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := article.CanonicalURL(tt.in); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestID(t *testing.T) {
	day := time.Date(2024, 6, 19, 8, 0, 0, 0, time.UTC)
	id := article.ID
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"guid wins over link", id("g1", "https://example.org/a", "T", day), id("g1", "https://example.org/other", "U", day.Add(time.Hour)), true},
		{"guid trimmed", id(" g1 ", "", "", time.Time{}), id("g1", "", "", time.Time{}), true},
		{"different guids", id("g1", "https://example.org/a", "", time.Time{}), id("g2", "https://example.org/a", "", time.Time{}), false},
		{"link canonicalised", id("", "https://Example.org/a?utm_source=x#top", "T", day), id("", "https://example.org/a", "Other title", time.Time{}), true},
		{"different links", id("", "https://example.org/a", "", time.Time{}), id("", "https://example.org/b", "", time.Time{}), false},
		{"title and date: case and spaces ignored", id("", "", "Talks  Resume", day), id("", "", "talks resume", day), true},
		{"title and date: another date", id("", "", "Talks resume", day), id("", "", "Talks resume", day.Add(24*time.Hour)), false},
		{"title and date: time zone ignored", id("", "", "T", day), id("", "", "T", day.In(time.FixedZone("X", 3600))), true},
		{"a guid is not a link", id("https://example.org/a", "", "", time.Time{}), id("", "https://example.org/a", "", time.Time{}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !hex32.MatchString(tt.a) || !hex32.MatchString(tt.b) {
				t.Fatalf("ids %q, %q: want 32 lower-case hex characters", tt.a, tt.b)
			}
			if (tt.a == tt.b) != tt.same {
				t.Errorf("ids %s and %s: same = %v, want %v", tt.a, tt.b, tt.a == tt.b, tt.same)
			}
		})
	}
}

func TestHash(t *testing.T) {
	a := article.Article{ID: "x", Feed: "https://a.example/rss", Title: "T", URL: "https://example.org/a", Text: "body", Published: time.Date(2024, 6, 19, 0, 0, 0, 0, time.UTC)}
	same := a
	same.Feed, same.FeedName, same.Fetched, same.Flags = "https://b.example/rss", "B", time.Now(), []string{"future_date"}
	if a.Hash() != same.Hash() {
		t.Error("hash depends on where and when the article was read, want only its content")
	}
	for name, change := range map[string]func(*article.Article){
		"title":     func(a *article.Article) { a.Title = "T2" },
		"url":       func(a *article.Article) { a.URL = "https://example.org/b" },
		"text":      func(a *article.Article) { a.Text = "body, corrected" },
		"published": func(a *article.Article) { a.Published = a.Published.Add(time.Hour) },
	} {
		b := a
		change(&b)
		if a.Hash() == b.Hash() {
			t.Errorf("changing the %s left the hash unchanged: an update would be missed", name)
		}
	}
}

// FuzzCanonicalURL checks CanonicalURL is idempotent: a canonical link
// stays the same when canonicalised again, so ids do not drift.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://Example.org/a?utm_source=x&b=2&a=1#f", "http://x:80", "  not a url ", "https://example.org/a%20b?q=a+b&q=c", "//host/path", "https://[::1]:443/x?fbclid=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		once := article.CanonicalURL(raw)
		if twice := article.CanonicalURL(once); twice != once {
			t.Errorf("CanonicalURL(%q) = %q, then %q", raw, once, twice)
		}
	})
}
