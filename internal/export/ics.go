package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/event"
)

// icsLineOctets is the longest content line RFC 5545 (section 3.1) allows,
// excluding the CRLF.
const icsLineOctets = 75

// ICS writes events as an iCalendar object (RFC 5545) with one all-day
// VEVENT per event: DTSTART is the first day the event's date covers (the
// 1st of the month or year for coarser precisions) and DTEND the day after
// the last day of its span, both VALUE=DATE. UID is "<event id>@dateline",
// so calendars update events in place; DTSTAMP is meta.Updated. Text is
// escaped and lines are folded at 75 octets with CRLF endings. Events
// whose date does not parse are left out.
func ICS(w io.Writer, meta FeedMeta, events []event.Event) error {
	bw := bufio.NewWriter(w)
	iw := &icsWriter{w: bw}
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:-//Dateline//Dateline events//EN")
	iw.line("CALSCALE:GREGORIAN")
	iw.line("METHOD:PUBLISH")
	iw.line("X-WR-CALNAME:" + icsText(meta.title()))
	if meta.Subtitle != "" {
		iw.line("X-WR-CALDESC:" + icsText(meta.Subtitle))
	}
	stamp := meta.updated().Format("20060102T150405Z")
	for _, e := range events {
		start, end, ok := e.Span()
		if !ok {
			continue
		}
		iw.line("BEGIN:VEVENT")
		iw.line("UID:" + icsText(e.ID+"@dateline"))
		iw.line("DTSTAMP:" + stamp)
		iw.line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		iw.line("DTEND;VALUE=DATE:" + end.Format("20060102"))
		iw.line("SUMMARY:" + icsText(typeLabel(e.Type)+": "+e.Title))
		iw.line("DESCRIPTION:" + icsText(icsDescription(e)))
		if e.Type != "" {
			iw.line("CATEGORIES:" + icsText(typeLabel(e.Type)))
		}
		if names := placeNames(e); names != "" {
			iw.line("LOCATION:" + icsText(names))
		}
		for _, p := range e.Places {
			if p.Lat != 0 || p.Lon != 0 {
				iw.line(fmt.Sprintf("GEO:%.6f;%.6f", p.Lat, p.Lon))
				break
			}
		}
		if u := SafeURL(e.Article.URL); u != "" {
			iw.line("URL:" + u)
		}
		if s := icsStatus(e.Status); s != "" {
			iw.line("STATUS:" + s)
		}
		iw.line("END:VEVENT")
	}
	iw.line("END:VCALENDAR")
	if iw.err != nil {
		return fmt.Errorf("ics: %w", iw.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ics: %w", err)
	}
	return nil
}

// icsDescription is the evidence sentence, the date as written, and every
// source with its link.
func icsDescription(e event.Event) string {
	var b strings.Builder
	b.WriteString(e.Sentence)
	if e.DateText != "" {
		fmt.Fprintf(&b, "\n\nDate: %s (%s)", e.DateText, e.Precision)
	}
	if len(e.Actors) > 0 {
		fmt.Fprintf(&b, "\nActors: %s", strings.Join(e.Actors, ", "))
	}
	srcs := Sources(e)
	if len(srcs) > 0 {
		fmt.Fprintf(&b, "\n\n%s:", plural(len(srcs), "Source", "Sources"))
	}
	for _, s := range srcs {
		b.WriteString("\n- ")
		b.WriteString(s.Title)
		if s.Feed != "" {
			fmt.Fprintf(&b, " (%s)", s.Feed)
		}
		if u := SafeURL(s.URL); u != "" {
			b.WriteString(" " + u)
		}
	}
	return b.String()
}

func icsStatus(s event.Status) string {
	switch s {
	case event.Occurred:
		return "CONFIRMED"
	case event.Planned:
		return "TENTATIVE"
	case event.Denied:
		return "CANCELLED"
	}
	return ""
}

// icsText escapes a TEXT value (RFC 5545 section 3.3.11): backslash,
// semicolon, comma and newline.
func icsText(s string) string {
	return icsEscaper.Replace(cleanText(s))
}

// icsEscaper is immutable and safe for concurrent use.
var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)

// icsWriter writes content lines, folded, and remembers the first error.
type icsWriter struct {
	w   io.Writer
	err error
}

// line writes one content line folded at icsLineOctets octets without
// splitting a UTF-8 sequence: continuation lines start with a space, which
// counts toward their 75 octets.
func (iw *icsWriter) line(s string) {
	if iw.err != nil {
		return
	}
	var b strings.Builder
	limit := icsLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = icsLineOctets - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	_, iw.err = io.WriteString(iw.w, b.String())
}
