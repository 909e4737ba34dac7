package extract

import (
	"bytes"
	"slices"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// Wire copy opens with a dateline: where and when the report was filed,
// and often by whom, before a dash ("KYIV, March 4 (Reuters) -",
// "WASHINGTON (AP) —", "London, 10 May 2025 —", "GOMA, Democratic
// Republic of Congo, Jan. 28 (Wire) -"). It is metadata, not prose: it is
// read as a sentence of its own that yields no events, names places but no
// actors, and whose date is the report date — it never dates an event, but
// it gives partial dates their year and, without a publication date,
// anchors relative ones.

// Bounds on the parts of a dateline, in tokens.
const (
	datelinePlace  = 8  // "BORGO EGNAZIA, Italy"
	datelineDate   = 7  // ", Sept. 26, 2024"
	datelineAgency = 10 // "(Southern Cross News)"
)

// datelineEnd returns the token after the dash of a dateline opening the
// line at token s, or -1 when the line has none.
func (d *reader) datelineEnd(s int) int {
	n := len(d.toks)
	i := s
	// The place: capitalised words, commas between names, small lower-case
	// joiners inside ("Republic of Congo").
	for i < n && i-s < datelinePlace {
		t := d.toks[i]
		switch {
		case t.kind == tokWord && t.upper && d.month(i) == 0:
		case t.kind == tokWord && i > s && i+1 < n && d.toks[i+1].upper && t.end-t.start <= 3:
		case d.punct(i, ',') && i > s && i+1 < n && d.toks[i+1].kind == tokWord && d.toks[i+1].upper && d.month(i+1) == 0:
		case d.punct(i, '.') && i > s && d.toks[i-1].kind == tokWord && !t.space:
		case d.punct(i, '/') && i > s && i+1 < n && d.toks[i+1].upper: // "YEREVAN/BAKU"
		default:
			goto place
		}
		i++
	}
place:
	if i > s && d.toks[i-1].kind != tokWord {
		return -1
	}
	capsPlace := i > s && d.toks[s].allUpper && d.toks[s].end-d.toks[s].start >= 2
	// The filing date: ", March 4", ", 22 May 2025", ", Sept. 26, 2024",
	// or a line that opens with the date ("Wednesday, December 4, 2024 —").
	dated, opensDate := false, i == s
	if d.punct(i, ',') || i == s || d.dash(i) && i > s && d.month(i+1) > 0 {
		j := i
		if i > s {
			j++ // ", March 4" or "— August 4, 2023 —"
		}
		for j < n && j-i <= datelineDate && d.datelineDateToken(j) {
			dated = dated || d.month(j) > 0
			j++
		}
		if !dated {
			return -1
		}
		for d.punct(j-1, ',') || d.punct(j-1, '.') && !d.wi[j-2].monthAbb {
			j--
		}
		i = j
	}
	// The agency: "(Test Wire)".
	agency := false
	if d.punct(i, '(') {
		j := i + 1
		for j < n && j-i <= datelineAgency && !d.punct(j, ')') && !d.toks[j].newline {
			j++
		}
		if !d.punct(j, ')') || j == i+1 {
			return -1
		}
		agency, i = true, j+1
	}
	if d.dash(i) && d.dash(i+1) && !d.toks[i+1].space {
		i++ // "--"
	}
	if !d.dash(i) || i+1 >= n || d.toks[i+1].newline || d.toks[i+1].kind == tokNum || !(d.toks[i].space || d.toks[i+1].space) {
		return -1
	}
	if !capsPlace && !dated && !agency {
		return -1
	}
	if !capsPlace && !agency && opensDate && d.wi[s].weekday == 0 {
		return -1 // "6 June 2024 – Russian forces struck Kharkiv": a chronology's entry, not a filing line
	}
	return i + 1
}

// datelineDateToken reports whether token i can be part of a dateline's
// date: a month, a day or year number, a comma or an abbreviation's dot.
func (d *reader) datelineDateToken(i int) bool {
	t := d.toks[i]
	switch t.kind {
	case tokNum:
		return true
	case tokPunct:
		return d.punct(i, ',') || d.punct(i, '.') && !t.space
	}
	return d.month(i) > 0 || d.day(i) > 0 || d.wi[i].weekday > 0 && t.upper
}

// useDatelineDate lets the date of a dateline stand in for a missing
// publication date, so that "yesterday" and "on Monday" still resolve.
func (d *reader) useDatelineDate(m dateMention) {
	if m.dateline && m.from.y == 0 && m.from.d != 0 && !d.pub.IsZero() {
		// "NEW YORK, 14 August": the latest such day not after publication
		m.from.y = d.pub.Year()
		if m.from.m > int(d.pub.Month()) || m.from.m == int(d.pub.Month()) && m.from.d > d.pub.Day() {
			m.from.y--
		}
	}
	if !m.dateline || m.from.y == 0 || m.from.d == 0 || m.to.y != 0 || !valid(m.from) {
		return
	}
	day := time.Date(m.from.y, time.Month(m.from.m), m.from.d, 0, 0, 0, 0, time.UTC)
	switch {
	case d.pub.IsZero():
		d.pub, d.rel = day, day
	case !day.After(d.pub) && d.pub.Sub(day) <= datelineLag:
		// "NEW YORK, 14 August -- ... was made today", posted on the 15th:
		// the dateline's day is the story's today (weekdays still count
		// from publication: the story may have been filed later).
		d.today = day
	}
}

// datelineLag bounds how long before publication a dateline's day may
// lie and still be the story's today: a release posted days later.
const datelineLag = 7 * 24 * time.Hour

// useHeadingDate makes a line that is a full date and nothing else (a live
// blog's day heading, "Wednesday 2 October 2024") the day the relative
// dates below it count from, unless it lies after publication.
func (d *reader) useHeadingDate(m dateMention) {
	if m.from.y == 0 || m.from.d == 0 || m.to.y != 0 || m.citation || !valid(m.from) {
		return
	}
	if m.s > 0 && !d.toks[m.s].newline || m.e < len(d.toks) && !d.toks[m.e].newline {
		return
	}
	day := time.Date(m.from.y, time.Month(m.from.m), m.from.d, 0, 0, 0, 0, time.UTC)
	if d.pub.IsZero() || !day.After(d.pub) {
		d.rel = day
	}
}

// useStatementDate makes the day of a statement introduced on a line of its
// own ("The following statement by the Secretary-General was made in New
// York on 12 August:") the day the statement's "today" and "yesterday"
// count from.
func (d *reader) useStatementDate(m dateMention) {
	if m.from.y == 0 && !d.pub.IsZero() {
		// "on 12 August": the latest such day not after publication
		m.from.y = d.pub.Year()
		if m.from.m > int(d.pub.Month()) || m.from.m == int(d.pub.Month()) && m.from.d > d.pub.Day() {
			m.from.y--
		}
	}
	if m.from.y == 0 || m.from.d == 0 || m.to.y != 0 || m.citation || !valid(m.from) {
		return
	}
	s := d.sents[d.sentOf[m.s]]
	if !d.punct(s.end-1, ':') || m.e < s.end-2 {
		return
	}
	said := false
	for i := s.start; i < s.end; i++ {
		switch tokKey(d.toks[i], d.low) {
		case "statement", "remarks", "message", "address", "speech":
			said = true
		}
	}
	day := time.Date(m.from.y, time.Month(m.from.m), m.from.d, 0, 0, 0, 0, time.UTC)
	if said && (d.pub.IsZero() || !day.After(d.pub)) {
		d.rel = day
	}
}

// datelinePlaces returns the places named by the document's dateline and
// the index of the sentence that follows it, or -1 when there is none.
func (d *reader) datelinePlaces() ([]int32, int32) {
	for si, s := range d.sents {
		if !s.dateline {
			continue
		}
		var places []int32
		for _, em := range d.ents {
			if em.start >= s.start && em.end <= s.end && em.place >= 0 {
				places = append(places, em.place)
			}
		}
		if si+1 < len(d.sents) {
			return places, int32(si + 1)
		}
	}
	return nil, -1
}

// lendDatelinePlace adds the dateline's place to the events read from the
// sentence after it (the lead, filed from there) that name no place, or
// only the dateline's country: "NAIROBI — ... protesters stormed
// parliament" happened in Nairobi; "KYIV — ... struck Odesa" did not
// happen in Kyiv.
func (d *reader) lendDatelinePlace(out []event.Event) {
	places, lead := d.datelinePlaces()
	if len(places) == 0 {
		return
	}
	here := bytes.Contains(d.low, []byte(" here")) // "met ... here": looked for only when the text has the word
	for k := range out {
		if d.info[k].first != lead {
			if here && d.saysHere(d.info[k].first) {
				// "met ... here this afternoon", "arrived here Wednesday":
				// where the report was filed
				for _, p := range places {
					e := d.x.entities[p]
					if ev := &out[k]; !slices.ContainsFunc(ev.Places, func(q event.Place) bool { return q.Name == e.name || q.Lat == e.lat && q.Lon == e.lon }) {
						ev.Places = append(ev.Places, event.Place{Name: e.name, Country: e.country, Lat: e.lat, Lon: e.lon})
					}
				}
			}
			continue
		}
		for _, p := range places {
			e := d.x.entities[p]
			ev := &out[k]
			// Only where the event names no place finer than the country.
			same := len(ev.Places) == 0 && (!slices.ContainsFunc(ev.Actors, func(a string) bool { return !nonStateDoer(a) }) ||
				slices.Contains(ev.Actors, e.country)) // "Protesters stormed parliament": no one of another country
			if len(ev.Places) > 0 {
				same = !slices.ContainsFunc(ev.Places, func(q event.Place) bool { return q.Name != e.country })
			}
			if same && !slices.ContainsFunc(ev.Places, func(q event.Place) bool { return q.Name == e.name || q.Lat == e.lat && q.Lon == e.lon }) {
				ev.Places = append(ev.Places, event.Place{Name: e.name, Country: e.country, Lat: e.lat, Lon: e.lon})
			}
		}
	}
}

// saysHere reports whether sentence si places its event "here", the
// dateline's place: a lower-case "here" after a word, not "here is".
func (d *reader) saysHere(si int32) bool {
	s := d.sents[si]
	for i := s.start + 1; i < s.end; i++ {
		t := d.toks[i]
		if t.kind == tokWord && !t.upper && tokKey(t, d.low) == "here" && d.toks[i-1].kind == tokWord {
			return true
		}
	}
	return false
}
