package export

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/dateline/dateline/internal/event"
)

// parsedFeed reads back an Atom feed, keeping every occurrence of each
// element so that cardinality rules can be checked.
type parsedFeed struct {
	XMLName xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	IDs     []string       `xml:"id"`
	Titles  []parsedText   `xml:"title"`
	Updated []string       `xml:"updated"`
	Authors []parsedPerson `xml:"author"`
	Links   []parsedLink   `xml:"link"`
	Entries []parsedEntry  `xml:"entry"`
}

type parsedEntry struct {
	IDs       []string       `xml:"id"`
	Titles    []parsedText   `xml:"title"`
	Updated   []string       `xml:"updated"`
	Published []string       `xml:"published"`
	Authors   []parsedPerson `xml:"author"`
	Links     []parsedLink   `xml:"link"`
	Content   []parsedText   `xml:"content"`
	Summary   []parsedText   `xml:"summary"`
}

type parsedText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type parsedPerson struct {
	Names []string `xml:"name"`
}

type parsedLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func writeAtom(t testing.TB, meta FeedMeta, events []event.Event) (string, parsedFeed) {
	t.Helper()
	var buf bytes.Buffer
	if err := Atom(&buf, meta, events); err != nil {
		t.Fatalf("Atom: %v", err)
	}
	var f parsedFeed
	if err := xml.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Fatalf("Atom output is not well-formed XML: %v\n%s", err, buf.String())
	}
	return buf.String(), f
}

// checkAtomRules checks the "MUST" rules of RFC 4287 sections 4.1.1 and
// 4.1.2 that apply to what Dateline writes.
func checkAtomRules(t *testing.T, f parsedFeed) {
	t.Helper()
	one := func(what string, n int) {
		t.Helper()
		if n != 1 {
			t.Errorf("%s: %d elements, want exactly 1", what, n)
		}
	}
	date := func(what, s string) {
		t.Helper()
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not an RFC 3339 date-time: %v", what, s, err)
		}
	}
	iri := func(what, s string) {
		t.Helper()
		if u, err := url.Parse(s); err != nil || u.Scheme == "" {
			t.Errorf("%s %q is not an absolute IRI", what, s)
		}
	}
	one("feed/id", len(f.IDs))
	one("feed/title", len(f.Titles))
	one("feed/updated", len(f.Updated))
	for _, id := range f.IDs {
		iri("feed/id", id)
	}
	for _, u := range f.Updated {
		date("feed/updated", u)
	}
	feedAuthor := len(f.Authors) > 0 && len(f.Authors[0].Names) == 1 && f.Authors[0].Names[0] != ""
	alternates := 0
	for _, l := range f.Links {
		if l.Rel == "alternate" {
			alternates++
		}
	}
	if alternates > 1 {
		t.Errorf("feed has %d alternate links of one type, want at most 1", alternates)
	}
	seen := map[string]bool{}
	for i, e := range f.Entries {
		one("entry/id", len(e.IDs))
		one("entry/title", len(e.Titles))
		one("entry/updated", len(e.Updated))
		if !feedAuthor && len(e.Authors) == 0 {
			t.Errorf("entry %d has no author and the feed has none", i)
		}
		if len(e.Content) == 0 && !hasRel(e.Links, "alternate") {
			t.Errorf("entry %d has neither content nor an alternate link", i)
		}
		for _, id := range e.IDs {
			iri("entry/id", id)
			if seen[id] {
				t.Errorf("entry id %q repeated", id)
			}
			seen[id] = true
		}
		for _, u := range append(e.Updated, e.Published...) {
			date("entry date", u)
		}
		for _, l := range e.Links {
			if u, err := url.Parse(l.Href); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Errorf("entry %d link %q is not http(s)", i, l.Href)
			}
		}
	}
}

func hasRel(links []parsedLink, rel string) bool {
	for _, l := range links {
		if l.Rel == rel {
			return true
		}
	}
	return false
}

func TestAtom(t *testing.T) {
	meta := FeedMeta{Title: "Dateline: treaty", Query: "q=treaty", SelfURL: "https://dateline.example/feed.atom?q=treaty",
		SiteURL: "https://dateline.example/?q=treaty", Updated: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	tests := []struct {
		name        string
		meta        FeedMeta
		events      []event.Event
		wantEntries int
		wantUpdated string
	}{
		{"fixture", meta, fixture(), 4, "2024-10-29T09:30:00Z"},
		{"empty feed uses meta time", meta, nil, 0, "2025-01-02T03:04:05Z"},
		{"zero meta", FeedMeta{}, fixture()[:1], 1, "2024-10-29T08:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, f := writeAtom(t, tt.meta, tt.events)
			checkAtomRules(t, f)
			if len(f.Entries) != tt.wantEntries {
				t.Errorf("entries: got %d, want %d", len(f.Entries), tt.wantEntries)
			}
			if f.Updated[0] != tt.wantUpdated {
				t.Errorf("feed updated: got %s, want %s", f.Updated[0], tt.wantUpdated)
			}
		})
	}
}

func TestAtomEntries(t *testing.T) {
	raw, f := writeAtom(t, FeedMeta{SelfURL: "https://d.example/feed.atom"}, fixture())
	if !strings.Contains(raw, `xmlns="http://www.w3.org/2005/Atom"`) {
		t.Errorf("feed lacks the Atom namespace %s", atomNS)
	}
	if !hasRel(f.Links, "self") {
		t.Errorf("feed has no rel=self link")
	}
	tests := []struct {
		name      string
		entry     int
		id        string
		title     string
		updated   string
		alternate string
	}{
		{"day event", 0, "tag:dateline,2024:event:e01", "2024-06-19 · treaty_signing · North Korea and Russia sign a strategic partnership treaty",
			"2024-10-29T08:30:00Z", "https://example.org/news/nk-russia?x=1&y=2"},
		{"span", 1, "tag:dateline,2024:event:e02", "2023-09–2024-09 · arms_transfer · North Korea ships artillery shells to Russia",
			"2024-10-29T08:30:00Z", "https://example.org/news/nk-russia?x=1&y=2"},
		{"hostile text stays text", 2, "tag:dateline,2024:event:e03", "2023 · protest · " + xssTitle, "2024-10-29T09:30:00Z", ""},
		{"no publication: date start", 3, "tag:dateline,2024:event:e04", "2024-05-25 · military_strike · " + fixture()[3].Title, "2024-05-25T00:00:00Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := f.Entries[tt.entry]
			if e.IDs[0] != tt.id {
				t.Errorf("id: got %q, want %q", e.IDs[0], tt.id)
			}
			if e.Titles[0].Body != tt.title {
				t.Errorf("title: got %q, want %q", e.Titles[0].Body, tt.title)
			}
			if e.Updated[0] != tt.updated {
				t.Errorf("updated: got %s, want %s", e.Updated[0], tt.updated)
			}
			alt := ""
			for _, l := range e.Links {
				if l.Rel == "alternate" {
					alt = l.Href
				}
			}
			if alt != tt.alternate {
				t.Errorf("alternate link: got %q, want %q", alt, tt.alternate)
			}
			checkContentHTML(t, e.Content[0].Body)
		})
	}
}

// checkContentHTML parses an entry's HTML content as a browser would and
// fails on any element beyond the few the formatter writes, or any link
// that is not http(s).
func checkContentHTML(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("content is not HTML: %v", err)
	}
	allowed := map[string]bool{"html": true, "head": true, "body": true, "p": true, "ul": true, "li": true, "a": true}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if !allowed[n.Data] {
			t.Errorf("content holds a <%s> element: %s", n.Data, body)
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "rel" && a.Val == "noopener noreferrer":
			case a.Key != "href":
				t.Errorf("content holds attribute %s on <%s>", a.Key, n.Data)
			case SafeURL(a.Val) == "":
				t.Errorf("content links to %q", a.Val)
			}
		}
	}
}

func FuzzAtom(f *testing.F) {
	f.Add(xssTitle, "a & b < c", "https://x.example/?a=1&b=2")
	f.Add("\x00\x01\uFFFE bad", "\xff\xfe", "javascript:alert(1)")
	f.Add("]]>", "<![CDATA[x]]>", "http://x.example/\"><script>")
	f.Fuzz(func(t *testing.T, title, sentence, link string) {
		e := fixture()[0]
		e.Title, e.Sentence, e.Article.URL, e.Article.Title = title, sentence, link, title
		var buf bytes.Buffer
		if err := Atom(&buf, FeedMeta{Title: title}, []event.Event{e}); err != nil {
			t.Fatalf("Atom: %v", err)
		}
		var pf parsedFeed
		if err := xml.Unmarshal(buf.Bytes(), &pf); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, buf.String())
		}
		want := strings.TrimSpace(cleanText(headline(e)))
		if got := strings.TrimSpace(pf.Entries[0].Titles[0].Body); got != want {
			t.Errorf("title: got %q, want %q", got, want)
		}
	})
}
