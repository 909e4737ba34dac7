package export

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// Timeline is a TimelineJS3 document
// (https://timeline.knightlab.com/docs/json-format.html).
type Timeline struct {
	Title  *Slide  `json:"title,omitempty"`
	Events []Slide `json:"events"`
}

// Slide is one TimelineJS3 slide. TimelineJS renders Text as HTML, so
// every piece of event text in it is HTML-escaped.
type Slide struct {
	StartDate   *Date  `json:"start_date,omitempty"`
	EndDate     *Date  `json:"end_date,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
	Text        Text   `json:"text"`
	Group       string `json:"group,omitempty"`
	UniqueID    string `json:"unique_id,omitempty"`
}

// Date is a TimelineJS3 date: Month and Day are empty when the precision
// does not reach them.
type Date struct {
	Year  string `json:"year"`
	Month string `json:"month,omitempty"`
	Day   string `json:"day,omitempty"`
}

// Text is a slide's headline and body, both HTML.
type Text struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

// TimelineJS writes events as TimelineJS3 JSON: a title slide from meta
// and one slide per event with its dates at their precision (display_date
// is the normalised date written out at its precision, "2 December 2026",
// "March 2025", "2024", or a span "September 2023 – September 2024"; never
// the raw phrase of the text), the event
// type as group, the event id as unique_id, the title as headline and the
// evidence sentence and source links as text. Events whose date does not
// parse are left out.
func TimelineJS(w io.Writer, meta FeedMeta, events []event.Event) error {
	tl := Timeline{
		Title:  &Slide{Text: Text{Headline: html.EscapeString(cleanText(meta.title())), Text: html.EscapeString(cleanText(meta.Subtitle))}},
		Events: []Slide{},
	}
	for _, e := range events {
		start, ok := tjsDate(e.Date)
		if !ok {
			continue
		}
		s := Slide{
			StartDate:   start,
			DisplayDate: displayDate(e.Date, e.DateEnd),
			Text:        Text{Headline: html.EscapeString(cleanText(e.Title)), Text: tjsBody(e)},
			Group:       html.EscapeString(typeLabel(e.Type)),
			UniqueID:    "ev-" + tjsID(e.ID),
		}
		if end, ok := tjsDate(e.DateEnd); ok {
			s.EndDate = end
		}
		tl.Events = append(tl.Events, s)
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(tl); err != nil {
		return fmt.Errorf("timelinejs: %w", err)
	}
	return nil
}

// tjsDate converts a date at its precision; ok is false for "" or a date
// that does not parse.
func tjsDate(s string) (*Date, bool) {
	t, _, p, ok := event.ParseDate(s)
	if !ok {
		return nil, false
	}
	d := &Date{Year: strconv.Itoa(t.Year())}
	if p == event.Month || p == event.Day {
		d.Month = strconv.Itoa(int(t.Month()))
	}
	if p == event.Day {
		d.Day = strconv.Itoa(t.Day())
	}
	return d, true
}

// displayDate writes out a date and an optional end at their precisions:
// "2 December 2026", "March 2025", "2024", "September 2023 – September 2024".
func displayDate(date, end string) string {
	s := writtenDate(date)
	if e := writtenDate(end); e != "" && e != s {
		s += " – " + e
	}
	return s
}

// writtenDate is a date at its precision in words; "" when it does not
// parse.
func writtenDate(s string) string {
	t, _, p, ok := event.ParseDate(s)
	if !ok {
		return ""
	}
	switch p {
	case event.Day:
		return t.Format("2 January 2006")
	case event.Month:
		return t.Format("January 2006")
	}
	return strconv.Itoa(t.Year())
}

// tjsBody is the HTML body of a slide: sentence and source links.
func tjsBody(e event.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(cleanText(e.Sentence)))
	for _, s := range Sources(e) {
		title := html.EscapeString(cleanText(s.Title))
		if title == "" {
			title = html.EscapeString(cleanText(s.Feed))
		}
		if u := SafeURL(s.URL); u != "" {
			fmt.Fprintf(&b, `<p><a href="%s" rel="noopener noreferrer">%s</a>`, html.EscapeString(u), title)
		} else {
			fmt.Fprintf(&b, "<p>%s", title)
		}
		if s.Feed != "" && s.Title != "" {
			fmt.Fprintf(&b, " — %s", html.EscapeString(cleanText(s.Feed)))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// tjsID keeps the characters an HTML id and a URL fragment can carry
// unescaped; TimelineJS uses unique_id for both.
func tjsID(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, id)
}
