package export

import (
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// atomNS is the Atom namespace (RFC 4287 section 2).
const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName   xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string        `xml:"id"`
	Title     atomText      `xml:"title"`
	Subtitle  *atomText     `xml:"subtitle,omitempty"`
	Updated   string        `xml:"updated"`
	Links     []atomLink    `xml:"link"`
	Author    atomPerson    `xml:"author"`
	Generator atomGenerator `xml:"generator"`
	Entries   []atomEntry   `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Categories []atomCategory `xml:"category"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Body string `xml:",chardata"`
}

// Atom writes events as an Atom feed (RFC 4287): one entry per event, in
// the order given. Each entry's id is a tag: URI of the event id, so it
// never changes; its title is "date · type · title"; its updated is the
// newest publication of its sources; its content (HTML) holds the evidence
// sentence and links to every source, and its alternate link is the
// article. The feed's author is meta's, so entries need none. Only http
// and https links are written.
func Atom(w io.Writer, meta FeedMeta, events []event.Event) error {
	f := atomFeed{
		ID:        meta.id(),
		Title:     atomText{Type: "text", Body: cleanText(meta.title())},
		Author:    atomPerson{Name: cleanText(meta.author())},
		Generator: atomGenerator{Body: "Dateline"},
	}
	if meta.Subtitle != "" {
		f.Subtitle = &atomText{Type: "text", Body: cleanText(meta.Subtitle)}
	}
	if u := SafeURL(meta.SelfURL); u != "" {
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: u})
	}
	if u := SafeURL(meta.SiteURL); u != "" {
		f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "text/html", Href: u})
	}
	updated := time.Time{}
	for _, e := range events {
		entry, t := atomEntryOf(e, meta.updated())
		if t.After(updated) {
			updated = t
		}
		f.Entries = append(f.Entries, entry)
	}
	if updated.IsZero() {
		updated = meta.updated()
	}
	f.Updated = rfc3339(updated)

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// atomEntryOf builds the entry of e and returns its updated time; fallback
// is used when e has neither a publication time nor a parseable date.
func atomEntryOf(e event.Event, fallback time.Time) (atomEntry, time.Time) {
	srcs := Sources(e)
	updated := lastPublished(srcs)
	if updated.IsZero() {
		if start, _, ok := e.Span(); ok {
			updated = start
		} else {
			updated = fallback
		}
	}
	entry := atomEntry{
		ID:      eventTag(e),
		Title:   atomText{Type: "text", Body: cleanText(headline(e))},
		Updated: rfc3339(updated),
		Summary: atomText{Type: "text", Body: cleanText(e.Sentence)},
		Content: atomText{Type: "html", Body: atomContent(e, srcs)},
	}
	if p := firstPublished(srcs); !p.IsZero() {
		entry.Published = rfc3339(p)
	}
	if e.Type != "" {
		entry.Categories = append(entry.Categories, atomCategory{Term: cleanText(e.Type), Label: typeLabel(e.Type)})
	}
	rel := "alternate"
	for _, s := range srcs {
		if u := SafeURL(s.URL); u != "" {
			entry.Links = append(entry.Links, atomLink{Rel: rel, Type: "text/html", Href: u, Title: cleanText(s.Title)})
			rel = "related"
		}
	}
	return entry, updated
}

// atomContent is the HTML body of an entry, every piece of event text
// escaped; the XML encoder escapes the whole again as character data.
func atomContent(e event.Event, srcs []Source) string {
	var b strings.Builder
	esc := func(s string) string { return html.EscapeString(cleanText(s)) }
	fmt.Fprintf(&b, "<p>%s</p>\n", esc(e.Sentence))
	fmt.Fprintf(&b, "<p>%s", esc(e.DateText))
	if e.DateText == "" {
		b.WriteString(esc(e.Date))
	}
	fmt.Fprintf(&b, " · %s · %s", esc(typeLabel(e.Type)), esc(string(e.Status)))
	if len(e.Actors) > 0 {
		fmt.Fprintf(&b, " · %s", esc(strings.Join(e.Actors, ", ")))
	}
	if names := placeNames(e); names != "" {
		fmt.Fprintf(&b, " · %s", esc(names))
	}
	b.WriteString("</p>\n")
	if len(srcs) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "<p>%d %s:</p>\n<ul>\n", len(srcs), plural(len(srcs), "source", "sources"))
	for _, s := range srcs {
		title := s.Title
		if title == "" {
			title = s.URL
		}
		b.WriteString("<li>")
		if u := SafeURL(s.URL); u != "" {
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(u), esc(title))
		} else {
			b.WriteString(esc(title))
		}
		if s.Feed != "" {
			fmt.Fprintf(&b, " — %s", esc(s.Feed))
		}
		if !s.Published.IsZero() {
			fmt.Fprintf(&b, ", %s", s.Published.UTC().Format(time.DateOnly))
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</ul>")
	return b.String()
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// typeLabel turns an event type id into words: "treaty_signing" becomes
// "treaty signing".
func typeLabel(t string) string { return strings.ReplaceAll(cleanText(t), "_", " ") }

// placeNames lists the names of e's places, comma-separated.
func placeNames(e event.Event) string {
	names := make([]string, 0, len(e.Places))
	for _, p := range e.Places {
		if p.Name != "" {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}
