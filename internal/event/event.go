// Package event defines the Event, a dated happening read from an article,
// and the Set that carries all events of one article through the EVENTS
// stream.
package event

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Precision says how much of an event's date is known.
type Precision string

// The precisions a date can have. Date strings are YYYY-MM-DD, YYYY-MM and
// YYYY respectively.
const (
	Day   Precision = "day"
	Month Precision = "month"
	Year  Precision = "year"
)

// Status says whether an event happened.
type Status string

// The statuses an event can have.
const (
	// Occurred is an event reported as having happened.
	Occurred Status = "occurred"
	// Planned is announced, scheduled or threatened, not yet happened.
	Planned Status = "planned"
	// Denied is explicitly reported as not having happened.
	Denied Status = "denied"
)

// Place is a location an event happened at, from the gazetteer.
type Place struct {
	Name    string  `json:"name"`
	Country string  `json:"country,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Lon     float64 `json:"lon,omitempty"`
}

// ArticleRef names the article an event was read from.
type ArticleRef struct {
	ID        string    `json:"id"`
	URL       string    `json:"url,omitempty"`
	Title     string    `json:"title,omitempty"`
	Feed      string    `json:"feed,omitempty"`
	Published time.Time `json:"published"`
}

// Event is one dated happening. Its JSON form is the contract shown in
// README.md (HTTP API, "The Event JSON"); fields may be added, never
// renamed. How its id is made: docs/architecture.md (Ids).
type Event struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	CAMEO    string `json:"cameo,omitempty"`
	Title    string `json:"title"`
	Sentence string `json:"sentence"`
	Date     string `json:"date"`
	// DateEnd is the last date of a span, at its own precision; empty for a
	// single date. An open span ("since September last year") ends at the
	// article's publication date.
	DateEnd    string     `json:"date_end,omitempty"`
	Precision  Precision  `json:"precision"`
	DateText   string     `json:"date_text"`
	Status     Status     `json:"status"`
	Actors     []string   `json:"actors"`
	Places     []Place    `json:"places"`
	Article    ArticleRef `json:"article"`
	Confidence float64    `json:"confidence"`
	Mentions   int        `json:"mentions"`
	// Sources lists every article that reports this event, when the index
	// merged reports of the same happening from several articles; Article
	// is then the earliest of them.
	Sources []Source `json:"sources,omitempty"`
	// SourceCount is the number of independent sources (distinct feeds)
	// among Sources; 0 for an event read from one article only.
	SourceCount int `json:"source_count,omitempty"`
	// FormerIDs are other ids this happening has been or could have been
	// known by: the id each of its reports would give it on its own (see
	// the index's clustering). A merged event absorbs such ids when
	// reports of one happening that first stood apart are joined; looking
	// one of them up finds this event. Empty for an event known by one id.
	FormerIDs []string `json:"former_ids,omitempty"`
	// Hidden is true for an event an analyst marked wrong: searches,
	// timelines, facets, exports, the live stream and alerts leave it
	// out; looking it up by id still answers it, for audit.
	Hidden bool `json:"hidden,omitempty"`
	// Corrected is the analyst's correction the event shows (its Type,
	// Date, DateEnd or Actors are then the analyst's), with what its
	// reports said; nil for an event as extracted.
	Corrected *Corrected `json:"corrected,omitempty"`
}

// Corrected describes an analyst's correction applied to an event.
type Corrected struct {
	// Hidden is true when the analyst marked the event wrong.
	Hidden bool `json:"hidden,omitempty"`
	// Fields names what the correction changed, among "type", "date",
	// "date_end" and "actors", in that order.
	Fields []string `json:"fields,omitempty"`
	// Extracted is what the event's reports said before the correction.
	Extracted Extracted `json:"extracted"`
	// Note, By and At are the analyst's reason, name and time.
	Note string    `json:"note,omitempty"`
	By   string    `json:"by,omitempty"`
	At   time.Time `json:"at"`
}

// Extracted are the values of an event a correction may replace, as its
// reports gave them.
type Extracted struct {
	Type      string    `json:"type"`
	CAMEO     string    `json:"cameo,omitempty"`
	Date      string    `json:"date"`
	DateEnd   string    `json:"date_end,omitempty"`
	Precision Precision `json:"precision"`
	Actors    []string  `json:"actors"`
}

// Source is one article reporting a merged event.
type Source struct {
	ArticleRef
	// EventID is the id of the event as read from this article.
	EventID string `json:"event_id"`
	// Sentence is the evidence in this article.
	Sentence string `json:"sentence"`
}

// ID returns the stable id of an event read from an article: a digest of the
// article id, the event type, the dates and the sorted actors. The same
// extraction of the same article always yields the same id. It is called
// for every extracted event, so it avoids allocating beyond its result.
func ID(articleID, typ, date, dateEnd string, actors []string) string {
	var stack [512]byte
	buf := stack[:0]
	for _, s := range [...]string{articleID, typ, date, dateEnd} {
		buf = append(buf, s...)
		buf = append(buf, 0)
	}
	// The actors, lower-cased, sorted and joined by 0x1f.
	var idxStack [8]int
	idx := idxStack[:0]
	for i := range actors {
		idx = append(idx, i)
		for k := len(idx) - 1; k > 0 && lessFold(actors[idx[k]], actors[idx[k-1]]); k-- {
			idx[k], idx[k-1] = idx[k-1], idx[k]
		}
	}
	for n, i := range idx {
		if n > 0 {
			buf = append(buf, 0x1f)
		}
		buf = appendLower(buf, actors[i])
	}
	buf = append(buf, 0)
	sum := sha256.Sum256(buf)
	var out [24]byte
	hex.Encode(out[:], sum[:12])
	return string(out[:])
}

// appendLower appends s lower-cased as strings.ToLower does.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// lessFold reports whether strings.ToLower(a) < strings.ToLower(b).
func lessFold(a, b string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= utf8.RuneSelf || cb >= utf8.RuneSelf {
			return strings.ToLower(a) < strings.ToLower(b)
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return ca < cb
		}
	}
	if len(a) != len(b) {
		// The shorter is a prefix; a non-ASCII tail may still lower-case
		// to a different length, so compare exactly then.
		for _, s := range [...]string{a, b} {
			for i := 0; i < len(s); i++ {
				if s[i] >= utf8.RuneSelf {
					return strings.ToLower(a) < strings.ToLower(b)
				}
			}
		}
	}
	return len(a) < len(b)
}

// Set is every event read from one article: the payload of one message on
// the EVENTS stream (subject events.<article id>). A newer Set for the same
// article replaces the older one whole, so events that disappear from an
// updated article disappear from the index too.
type Set struct {
	Article ArticleRef `json:"article"`
	// Hash is the article content hash the events were read from.
	Hash   string  `json:"hash,omitempty"`
	Events []Event `json:"events"`
}

// ArticleID is the article a set stands for: its own, else that of its
// first event that names one; "" when none does.
func (s Set) ArticleID() string {
	if s.Article.ID != "" {
		return s.Article.ID
	}
	for _, e := range s.Events {
		if e.Article.ID != "" {
			return e.Article.ID
		}
	}
	return ""
}

// ParseDate parses a date string at its precision (YYYY, YYYY-MM or
// YYYY-MM-DD) and returns the first instant it covers, the first instant
// after it, and its precision.
func ParseDate(s string) (start, end time.Time, p Precision, ok bool) {
	switch len(s) {
	case 4:
		t, err := time.Parse("2006", s)
		if err != nil {
			return
		}
		return t, t.AddDate(1, 0, 0), Year, true
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return
		}
		return t, t.AddDate(0, 1, 0), Month, true
	case 10:
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return
		}
		return t, t.AddDate(0, 0, 1), Day, true
	}
	return
}

// Span returns the instants an event covers: from the start of Date to the
// end of DateEnd (or of Date when there is no DateEnd). ok is false when
// Date does not parse.
func (e Event) Span() (start, end time.Time, ok bool) {
	start, end, _, ok = ParseDate(e.Date)
	if !ok {
		return
	}
	if e.DateEnd != "" {
		if _, e2, _, ok2 := ParseDate(e.DateEnd); ok2 && e2.After(end) {
			end = e2
		}
	}
	return start, end, true
}
