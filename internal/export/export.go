// Package export writes events in the formats other tools read: Atom
// (RFC 4287) for feed readers, CSV with ACLED-like columns for analysts,
// GeoJSON (RFC 7946) for maps, iCalendar (RFC 5545) for calendars and
// TimelineJS3 JSON for storytelling. Each formatter is a pure function:
// events in, bytes out to an io.Writer, no I/O of its own. Endpoints (in
// http.go) serves them over HTTP for any search.
package export

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// FeedMeta describes a whole export: the search it came from and where it
// lives. The zero value is usable; formatters fill in defaults.
type FeedMeta struct {
	// Title names the feed or calendar ("Dateline: treaty").
	Title string
	// Subtitle describes the search in words; optional.
	Subtitle string
	// ID is the permanent, unique IRI of the feed (Atom id). Empty means
	// a tag: URI derived from Query.
	ID string
	// Query is the canonical query string of the search ("q=treaty&type=x"),
	// used for ID when ID is empty.
	Query string
	// SelfURL is the absolute URL this export is served at (Atom
	// rel="self"); empty leaves the link out.
	SelfURL string
	// SiteURL is the absolute URL of the web page showing the same search
	// (Atom rel="alternate"); empty leaves the link out.
	SiteURL string
	// Author is the feed's author name; "Dateline" when empty.
	Author string
	// Updated is when the export was made. It is the Atom feed's updated
	// when there are no events and the iCalendar DTSTAMP; the zero value
	// means the Unix epoch, so outputs stay reproducible in tests.
	Updated time.Time
}

func (m FeedMeta) title() string {
	if m.Title == "" {
		return "Dateline"
	}
	return m.Title
}

func (m FeedMeta) author() string {
	if m.Author == "" {
		return "Dateline"
	}
	return m.Author
}

func (m FeedMeta) updated() time.Time {
	if m.Updated.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return m.Updated.UTC()
}

// tagPrefix starts every tag: URI (RFC 4151) Dateline mints. The date is
// fixed so that ids never change.
const tagPrefix = "tag:dateline,2024:"

func (m FeedMeta) id() string {
	if m.ID != "" {
		return m.ID
	}
	if m.Query == "" {
		return tagPrefix + "search"
	}
	return tagPrefix + "search?" + m.Query
}

// eventTag is the permanent tag: URI of an event.
func eventTag(e event.Event) string {
	return tagPrefix + "event:" + url.PathEscape(e.ID)
}

// Source is one article reporting an event. An event read from one
// article has one source, its Article; a merged event lists every article
// that reported it.
type Source struct {
	URL       string    `json:"url,omitempty"`
	Title     string    `json:"title,omitempty"`
	Feed      string    `json:"feed,omitempty"`
	Published time.Time `json:"published"`
	Sentence  string    `json:"sentence,omitempty"`
}

// Sources returns the articles reporting e: its Sources when the event
// model carries them (merged events, issue 5), else its one article. It
// finds the field by name and reads it through its JSON form, so that it
// keeps working, unchanged, when event.Event gains the field.
func Sources(e event.Event) []Source {
	if f := reflect.ValueOf(e).FieldByName("Sources"); f.IsValid() && f.Kind() == reflect.Slice && f.Len() > 0 {
		var merged []Source
		raw, err := json.Marshal(f.Interface())
		if err == nil && json.Unmarshal(raw, &merged) == nil && len(merged) > 0 {
			return merged
		}
	}
	a := e.Article
	if a.URL == "" && a.Title == "" && a.Feed == "" {
		return nil
	}
	return []Source{{URL: a.URL, Title: a.Title, Feed: a.Feed, Published: a.Published, Sentence: e.Sentence}}
}

// SafeURL returns u when it is an absolute http or https URL, else "".
// Feed-derived links pass through it before any format shows them, so a
// javascript: or data: URL never becomes a link.
func SafeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Opaque != "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
	default:
		return ""
	}
	if strings.ContainsAny(u, "\x00\r\n\t<>\"` ") {
		return ""
	}
	return u
}

// headline is the one-line title of an event: "date · type · title".
func headline(e event.Event) string {
	d := e.Date
	if e.DateEnd != "" {
		d += "–" + e.DateEnd
	}
	return d + " · " + e.Type + " · " + e.Title
}

// lastPublished returns the newest publication time among srcs, zero
// when none is known.
func lastPublished(srcs []Source) time.Time {
	var t time.Time
	for _, s := range srcs {
		if s.Published.After(t) {
			t = s.Published
		}
	}
	return t.UTC()
}

// firstPublished returns the oldest known publication time among srcs,
// zero when none is known.
func firstPublished(srcs []Source) time.Time {
	var t time.Time
	for _, s := range srcs {
		if !s.Published.IsZero() && (t.IsZero() || s.Published.Before(t)) {
			t = s.Published
		}
	}
	return t.UTC()
}

// cleanText removes characters no text format here can carry (NUL and
// other C0 controls but tab and newline) and invalid UTF-8.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || r == 0x7f || r == 0xFFFE || r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}
