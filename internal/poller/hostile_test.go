package poller

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/fetch"
	"github.com/dateline/dateline/internal/fetch/fetchtest"
)

func TestCheckXMLDepth(t *testing.T) {
	t.Parallel()
	const limit = 3
	tests := []struct {
		name    string
		body    string
		refused bool
	}{
		{"at the limit", `<a><b><c>x</c></b></a>`, false},
		{"past the limit", `<a><b><c><d>x</d></c></b></a>`, true},
		{"siblings do not add up", `<a><b><c/></b><b><c></c></b><b><c>x</c></b></a>`, false},
		{"self-closing within the limit", `<a><b><c/><c /><c x="1"/></b></a>`, false},
		// The decoder reads <d/> as a start and an end element: one level
		// deeper for that moment, as FuzzCheckXMLDepth found.
		{"self-closing past the limit", `<a><b><c><d/></c></b></a>`, true},
		{"prefixed names", `<x:a><y:b><c></y:c></y:b><b><c/></b></x:a>`, false},
		{"quoted > in attributes", `<a t=">"><b t='>>'><c u="/>">x</c></b></a>`, false},
		{"comment", `<a><b><!-- <c><d><e> --></b></a>`, false},
		{"cdata", `<a><b><![CDATA[<c><d><e>]]></b></a>`, false},
		{"processing instruction", `<?xml version="1.0"?><?pi <c><d><e>?><a><b></b></a>`, false},
		{"doctype with internal subset", `<!DOCTYPE a [<!ENTITY e "<c><d><e>"><!-- > --><!ELEMENT a ANY>]><a><b>&e;</b></a>`, false},
		{"unclosed elements closed by their parent", `<a><b><br></b><b><br></b><b><br></b></a>`, false},
		{"unclosed elements past the limit", `<a><b><br><br></b></a>`, true},
		{"stray end tag closes all", `<a><b><c></zz><a><b><c></c></b></a>`, false},
		{"not a tag", `<a><b>1 < 2 <3 <</b></a>`, false},
		{"truncated", `<a><b><c`, false},
		{"json", `{"items":[{"content_html":"<a><b><c><d><e>"}]}`, false},
		{"bom and json", "\xef\xbb\xbf \n{}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkXMLDepth([]byte(tt.body), limit)
			if refused := errors.Is(err, errTooDeep); refused != tt.refused || (err != nil && !refused) {
				t.Errorf("checkXMLDepth(%q, %d) = %v, want refused=%v", tt.body, limit, err, tt.refused)
			}
		})
	}
}

// TestXMLAttacks serves hostile XML to a poller and checks, through the real
// path (fetch, parseFeed, convert, publish), that each is parsed harmlessly
// or refused, quickly, with no file read and nothing of a file published.
func TestXMLAttacks(t *testing.T) {
	const marker = "DATELINE-SECRET-7f3a"
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte(marker+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An access time older than the modification time is updated by any
	// read, even on relatime mounts.
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(secret, past, time.Now()); err != nil {
		t.Fatal(err)
	}
	fileURL := (&url.URL{Scheme: "file", Path: secret}).String()
	laughs := `<!DOCTYPE rss [<!ENTITY lol "lol">` + func() string {
		var b strings.Builder
		prev := "lol"
		for i := 1; i <= 9; i++ {
			fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat("&"+prev+";", 10))
			prev = fmt.Sprintf("lol%d", i)
		}
		return b.String()
	}() + `]>`
	deep := func(open, close string, n int) string {
		return `<rss version="2.0" xmlns:x="urn:x"><channel><title>T</title><item><title>Deep</title><link>https://example.org/deep</link>` +
			strings.Repeat(open, n) + "x" + strings.Repeat(close, n) + `</item></channel></rss>`
	}
	var unclosed strings.Builder
	unclosed.WriteString(`<rss version="2.0"><channel><title>T</title>`)
	for i := range 3 {
		fmt.Fprintf(&unclosed, `<item><title>U%d</title><link>https://example.org/u%d</link><description>%s</description></item>`, i, i, strings.Repeat("line<br>", 900))
	}
	unclosed.WriteString(`</channel></rss>`)
	tests := []struct {
		name      string
		body      string
		wantItems int    // articles published; 0 with wantErr
		wantErr   string // in the feed's LastError; "" means the poll succeeds
	}{
		{"billion laughs", `<?xml version="1.0"?>` + laughs + `<rss version="2.0"><channel><title>&lol9;</title>` +
			`<item><title>Laugh &lol9;</title><link>https://example.org/lol</link><description>&lol9;&lol8;</description></item></channel></rss>`, 1, ""},
		{"billion laughs in atom", `<?xml version="1.0"?>` + strings.Replace(laughs, "DOCTYPE rss", "DOCTYPE feed", 1) +
			`<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title><entry><title>&lol9;</title><id>urn:lol</id><content>&lol9;</content></entry></feed>`, 1, ""},
		{"external SYSTEM entity", `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "` + fileURL + `"><!ENTITY path SYSTEM "` + secret + `">]>` +
			`<rss version="2.0"><channel><title>&xxe;</title><item><title>X &xxe; &path;</title><link>https://example.org/xxe</link><description>&xxe;</description><author>&path;</author></item></channel></rss>`, 1, ""},
		{"external parameter entity", `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "` + fileURL + `"> %ext;]>` +
			`<rss version="2.0"><channel><title>P</title><item><title>P</title><link>https://example.org/p</link></item></channel></rss>`, 1, ""},
		{"100,000-deep unknown elements", deep("<a>", "</a>", 100_000), 0, "nested too deeply"},
		{"100,000-deep extension elements", deep("<x:a>", "</x:a>", 100_000), 0, "nested too deeply"},
		// Without the guard: 3 s, 1.2 GB allocated, 270 MB of stack.
		{"900,000-deep extension elements in 10 MB", deep("<x:a>", "</x:a>", 900_000), 0, "nested too deeply"},
		{"100,000 unclosed elements", `<rss version="2.0"><channel><item>` + strings.Repeat("<a>", 100_000), 0, "nested too deeply"},
		{"unclosed HTML closed by its parent", unclosed.String(), 3, ""},
		{"100,000-deep JSON", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","x":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}]}`, 0, "exceeded max depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			pub := newPub(t)
			p := New(testOptions(), pub, nil)

			// The parse itself, timed, on the body as fetched.
			resp, err := p.fetcher.Get(context.Background(), fetch.Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			begin := time.Now()
			feed, err := parseFeed(resp.Body, resp.Header.Get("Content-Type"))
			if took := time.Since(begin); took > time.Second {
				t.Errorf("parse took %v, want < 1s", took)
			}
			if (err != nil) != (tt.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("parseFeed error = %v, want %q", err, tt.wantErr)
			}
			if feed != nil {
				for _, it := range feed.Items {
					assertNoMarker(t, "item", it, marker)
				}
				assertNoMarker(t, "feed title", feed.Title, marker)
			}

			// The whole poll.
			start(t, p, []feedlist.Feed{{URL: srv.URL, Name: "Hostile"}})
			s := waitStatus(t, p, srv.URL, func(s FeedStatus) bool { return s.Status == StatusOK || s.Status == StatusError })
			if tt.wantErr == "" && s.Status != StatusOK || tt.wantErr != "" && !strings.Contains(s.LastError, tt.wantErr) {
				t.Errorf("status %s, last error %q; want error %q", s.Status, s.LastError, tt.wantErr)
			}
			arts := pub.articles()
			if len(arts) != tt.wantItems {
				t.Errorf("%d articles published, want %d", len(arts), tt.wantItems)
			}
			for _, a := range arts {
				assertNoMarker(t, "article", a, marker)
				if raw, _ := json.Marshal(a); len(raw) > 64<<10 {
					t.Errorf("article is %d bytes: entities were expanded", len(raw))
				}
			}
		})
	}
	t.Run("secret file not read", func(t *testing.T) {
		fi, err := os.Stat(secret)
		if err != nil {
			t.Fatal(err)
		}
		if at := accessTime(fi); !at.Equal(past) {
			t.Errorf("secret file read at %v", at)
		}
		// Control: our own read must move the access time, or the check
		// above proves nothing on this file system.
		if _, err := os.ReadFile(secret); err != nil {
			t.Fatal(err)
		}
		if fi, _ = os.Stat(secret); accessTime(fi).Equal(past) {
			t.Logf("access times are not updated here (noatime): only the absence of %s in articles is checked", marker)
		}
	})
}

func accessTime(fi os.FileInfo) time.Time {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return time.Time{}
	}
	return time.Unix(st.Atim.Sec, st.Atim.Nsec)
}

// assertNoMarker fails if marker appears anywhere in v's JSON form.
func assertNoMarker(t *testing.T, what string, v any, marker string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %s: %v", what, err)
	}
	if strings.Contains(string(raw), marker) {
		t.Errorf("%s holds the secret file's content: %s", what, raw)
	}
}

// TestFullTextRefusesLoopback checks the full-text fetch goes through the
// same SSRF guard as feeds: a page URL on loopback is refused with the
// typed error, the article keeps its feed text and nothing connects.
func TestFullTextRefusesLoopback(t *testing.T) {
	t.Parallel()
	trap, err := fetchtest.NewTrap(t, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.AllowPrivateNetworks = false
	opts.PerHostSpacing = -1
	p := New(opts, newPub(t), nil)
	page := "http://" + trap.Addr() + "/story"
	tests := []struct {
		name string
		url  string
	}{
		{"loopback literal", page},
		{"localhost", "http://localhost:" + trap.Port() + "/story"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.fullText(context.Background(), tt.url)
			var fe *fetch.ForbiddenAddressError
			if !errors.Is(err, fetch.ErrForbiddenAddress) || !errors.As(err, &fe) || fe.URL != tt.url {
				t.Fatalf("fullText(%s) error = %v, want a *fetch.ForbiddenAddressError naming the URL", tt.url, err)
			}
			a := article.Article{Feed: "https://example.org/feed", URL: tt.url, Text: "Just a summary."}
			p.addFullText(context.Background(), &a)
			if a.Text != "Just a summary." {
				t.Errorf("text = %q, want the feed's", a.Text)
			}
		})
	}
	if n := trap.Intruders(t); n != 0 {
		t.Errorf("%d connections reached the loopback listener", n)
	}
}

// FuzzParseFeed runs the whole parse path of a poll on arbitrary bodies:
// the depth guard, gofeed, the hints, and the conversion and publication
// of every item.
func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(rss("<ttl>5</ttl>", "A|https://example.org/a|<p>x</p>", "A|https://example.org/a|dup", "B||&amp;")), "")
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>`), "text/xml")
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title><link>/x</link></item></channel></rss>`), "")
	f.Add([]byte(`<rss version="2.0" xmlns:x="urn:x"><channel><item>`+strings.Repeat("<x:a>", 1200)), "")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div>`+strings.Repeat("<p>", 900)+`</div></content><updated>2024-01-01T00:00:00Z</updated></entry></feed>`), "")
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><sy:updatePeriod>daily</sy:updatePeriod></channel><item><title>R</title></item></rdf:RDF>`), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"../a","date_published":"2024-01-02T00:00:00Z"}]}`), "application/feed+json")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "text/xml; charset=utf-16")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	b := bustest.New(f, "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := parseFeed(body, contentType)
		if err != nil {
			return
		}
		feedHint(feed)
		feedRhythm(feed)
		pub := newPubOn(t, b)
		p := New(testOptions(), pub, nil)
		st := State{URL: "https://example.org/feed"}
		n, err := p.publishItems(context.Background(), feedlist.Feed{URL: st.URL}, &st, feed, st.URL, now)
		if err != nil {
			t.Fatalf("publishItems: %v", err)
		}
		if n != pub.count() || len(st.Seen) > len(feed.Items) {
			t.Fatalf("%d published, %d stored, %d seen of %d items", n, pub.count(), len(st.Seen), len(feed.Items))
		}
		for _, a := range pub.articles() {
			if len(a.ID) != 32 || a.Published.IsZero() || strings.Contains(a.Title, "\n") {
				t.Fatalf("bad article %+v", a)
			}
		}
	})
}

// FuzzCheckXMLDepth compares the depth guard with the decoder gofeed uses
// (encoding/xml, non-strict): on any document the decoder reads to the end,
// the guard refuses exactly those that the decoder sees nested deeper than
// the limit.
func FuzzCheckXMLDepth(f *testing.F) {
	for _, s := range []string{
		`<a><b><c><d>x</d></c></b></a>`, `<a><b><br><br></b></a>`, `<a t=">"><b/><c></zz><d><e></e></d></a>`,
		`<!DOCTYPE a [<!ENTITY e "<c><d>">]><a><!-- <x><y> --><![CDATA[<p><q>]]><?pi <r>?></a>`,
		`<x:a xmlns:x="u"><x:b><c><d></x:b></x:a>`,
	} {
		f.Add([]byte(s))
	}
	const limit = 3
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(bytes.TrimLeft(body, "\xef\xbb\xbf \t\r\n")) > 0 && bytes.TrimLeft(body, "\xef\xbb\xbf \t\r\n")[0] == '{' {
			return
		}
		d := xml.NewDecoder(bytes.NewReader(body))
		d.Strict = false
		depth, deepest := 0, 0
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // gofeed fails on it anyway
			}
			switch tok.(type) {
			case xml.StartElement:
				depth++
				deepest = max(deepest, depth)
			case xml.EndElement:
				depth--
			}
		}
		refused := checkXMLDepth(body, limit) != nil
		if refused != (deepest > limit) {
			t.Fatalf("checkXMLDepth(%q) refused=%v, but the decoder nests %d deep (limit %d)", body, refused, deepest, limit)
		}
	})
}
