// Package event defines the Event, a dated happening read from an article,
// and the Set that carries all events of one article through the EVENTS
// stream.
package event

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"
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

// Event is one dated happening. Its JSON form is the contract of
// DESIGN.md; fields may be added, never renamed.
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
// extraction of the same article always yields the same id.
func ID(articleID, typ, date, dateEnd string, actors []string) string {
	a := append([]string(nil), actors...)
	for i := range a {
		a[i] = strings.ToLower(a[i])
	}
	sort.Strings(a)
	h := sha256.New()
	for _, s := range []string{articleID, typ, date, dateEnd, strings.Join(a, "\x1f")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
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
