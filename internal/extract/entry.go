package extract

import "sort"

// Timelines and live blogs date an entry once, at its head, and tell the
// rest of it in sentences of their own:
//
//	10/02/2024 – Biden surveys the damage ... He orders 1,000 soldiers deployed ...
//
//	Tuesday 2 January 2024
//	12:05 JST
//	Kishida told reporters that 1,000 personnel had been deployed.
//
// A trigger whose sentence has no date takes the date of its entry: the
// date that opens its line before a dash or colon, or, below a time stamp
// of a live blog, the day heading above it. Other undated triggers stay
// undated.

// maxStampTokens bounds a time-stamp line ("12:05 JST", "9.40am GMT").
const maxStampTokens = 6

// entryDate returns the date mention that heads the timeline or live-blog
// entry of hit h, or -1 when its sentence is not in one.
func (d *reader) entryDate(h hit) int {
	if h.anaphoric || h.remembered {
		return -1
	}
	ls := d.lineStart(d.sents[h.sent].start)
	// A timeline line: "09/27/2024 – ...", "March 3: ...".
	k := sort.Search(len(d.dates), func(i int) bool { return d.dates[i].s >= ls })
	if k < len(d.dates) && d.dates[k].s == ls && d.usable(k) && (d.dash(d.dates[k].e) || d.punct(d.dates[k].e, ':')) &&
		d.dates[k].e < d.sents[h.sent].start {
		if d.definite(h.start) && d.toldInEntry(h, ls) {
			return -1 // "12 March – Abkhazia holds an election. ... refuse to recognize the elections": that one
		}
		return k
	}
	// A digest of one day: the day heading the text, and below it events
	// told in the present ("The Coast Guard boards and seizes a tanker").
	if j := d.digestDay(); j >= 0 && d.dates[j].e <= ls && (d.present(h.start) || d.reportedNow(h)) && d.told(d.sents[h.sent]) {
		return j
	}
	// An item listed below a line that dates the list ("Below are some
	// of the details of these attacks for Wednesday, 17 June 1987:").
	if j := d.listIntroDate(ls); j >= 0 {
		return j
	}
	// A live-blog entry: a time stamp on the line above, a day heading
	// somewhere above that. In a log of days (two day headings or more:
	// "2 June 1996" above "At 0800 hours an Israeli gunboat ... opened
	// fire"), the day heading above is the entry's date without a stamp.
	if ls == 0 || !d.stampLine(d.lineStart(ls-1), ls) && d.dayHeadings() < 2 {
		return -1
	}
	for j := k - 1; j >= 0; j-- {
		if d.heading(j) {
			return j
		}
	}
	return -1
}

// toldInEntry reports whether a sentence of the entry that starts at
// token ls, before hit h's, has a hit of h's type.
func (d *reader) toldInEntry(h hit, ls int) bool {
	for _, o := range d.hits {
		if o.sent >= h.sent {
			break
		}
		if o.typ == h.typ && d.sents[o.sent].start >= ls {
			return true
		}
	}
	return false
}

// dayHeadings returns how many day headings the text has, counted once.
func (d *reader) dayHeadings() int {
	if d.headings == 0 {
		n := 0
		for k := range d.dates {
			if d.heading(k) {
				n++
			}
		}
		d.headings = n + 1
	}
	return d.headings - 1
}

// usable reports whether date mention k may date an event.
func (d *reader) usable(k int) bool {
	m := d.dates[k]
	return m.ok && !m.citation && !m.dateline && m.from.d != 0
}

// lineStart returns the first token of the line holding token i. The
// line starts are listed once per text, so that a text of one long line
// costs no more than one of many lines.
func (d *reader) lineStart(i int) int {
	if !d.linesRead {
		d.linesRead = true
		d.lines = append(d.lines[:0], 0)
		for k := 1; k < len(d.toks); k++ {
			if d.toks[k].newline {
				d.lines = append(d.lines, int32(k))
			}
		}
	}
	j := sort.Search(len(d.lines), func(j int) bool { return int(d.lines[j]) > i })
	return int(d.lines[max(j-1, 0)])
}

// stampLine reports whether tokens [s,e) are a time stamp and nothing
// else: "08:10 JST", "14:20", "9:40 a.m. GMT".
func (d *reader) stampLine(s, e int) bool {
	if e-s < 3 || e-s > maxStampTokens || d.toks[s].kind != tokNum || !d.punct(s+1, ':') && !d.punct(s+1, '.') || d.toks[s+2].kind != tokNum {
		return false
	}
	for i := s + 3; i < e; i++ {
		if d.toks[i].kind == tokNum {
			return false
		}
	}
	return true
}

// digestDay returns the date mention heading a digest of one day: a full
// day on the text's first line, alone or with the same day written again
// and its weekday in brackets ("January 15, 2026 (2026-01-15) (Thursday)");
// -1 when there is none.
func (d *reader) digestDay() int {
	if len(d.dates) == 0 || d.dates[0].s != 0 || !d.usable(0) || d.dates[0].from.y == 0 || d.dates[0].to.y != 0 {
		return -1
	}
	i := d.dates[0].e
	for k := 1; i < len(d.toks) && !d.toks[i].newline; {
		switch {
		case k < len(d.dates) && d.dates[k].s == i && d.dates[k].from == d.dates[0].from:
			i = d.dates[k].e // the same day again, "(2026-01-15)"
			k++
		case d.toks[i].kind == tokPunct && (d.punct(i, '(') || d.punct(i, ')') || d.punct(i, ',')):
			i++
		case d.wi[i].weekday > 0:
			i++
		default:
			return -1
		}
	}
	return 0
}

// told reports whether sentence s is one, not a heading ("Politics and
// elections"): it ends with a full stop, perhaps before a bracketed source
// ("... a tanker. (The Guardian)").
func (d *reader) told(s sentence) bool {
	e := s.end - 1
	for e > s.start && d.punct(e, ')') {
		k := e - 1
		for k > s.start && !d.punct(k, '(') && e-k < maxCreditTokens {
			k--
		}
		if !d.punct(k, '(') {
			break
		}
		e = k - 1
	}
	return e > s.start && (d.punct(e, '.') || d.punct(e, '!'))
}

// maxCreditTokens bounds a bracketed source after a sentence ("(AFP via
// Al Arabiya)").
const maxCreditTokens = 10

// present reports whether the trigger at token j is told in the present:
// a verb in its third-person form ("seizes", "signs") or after "is" or
// "are" ("are killed", "is dismissed").
func (d *reader) present(j int) bool {
	t := d.toks[j]
	if t.kind != tokWord || t.upper {
		return false
	}
	if j > 0 {
		if aux := tokKey(d.toks[j-1], d.low); aux == "is" || aux == "are" {
			return true
		}
	}
	w := d.low[t.start:t.end]
	if len(w) > 3 && w[len(w)-1] == 's' && w[len(w)-2] != 's' && w[len(w)-2] != 'u' && !d.pastForm(j) {
		return true // "seizes", "announces"
	}
	// "Japan and the Philippines sign", "Ugandans vote": a plural subject
	// right before the verb's plain form.
	if j == 0 || d.pastForm(j) || d.participle(j) {
		return false
	}
	p := d.toks[j-1]
	return p.kind == tokWord && (p.upper || d.low[p.end-1] == 's') && !d.hasCue(j-1, cueDeterminer) && d.wi[j-1].concepts == 0
}

// reportedNow reports whether hit h, a verb in the past tense, is what a
// reporting verb in the present says before it in its sentence: "The
// United States Southern Command says the U.S. Navy attacked an alleged
// drug smuggling boat" is news of the digest's day.
func (d *reader) reportedNow(h hit) bool {
	if !d.pastForm(h.start) {
		return false
	}
	for k := h.start - 1; k >= int(d.sents[h.sent].start); k-- {
		if d.hasCue(k, cueSpeech) && d.present(k) {
			return true
		}
	}
	return false
}

// heading reports whether date mention k is a day heading: a full day
// alone on its line ("Thursday 3 October 2024").
func (d *reader) heading(k int) bool {
	m := d.dates[k]
	if !d.usable(k) || m.from.y == 0 || m.to.y != 0 {
		return false
	}
	return (m.s == 0 || d.toks[m.s].newline) && (m.e >= len(d.toks) || d.toks[m.e].newline)
}

// entryReach bounds, in tokens, how far into a chronology's entry an event
// noun may stand to take the entry's date.
const entryReach = 8

// maxDateTokens bounds the tokens of a date opening an entry ("11–13
// December 2024", "Sunday, 5 May 2024").
const maxDateTokens = 8

// entryTitleDate returns the date mention that opens the chronology entry in
// which token s stands close after it ("January 8 – Jerusalem vehicular
// attack", "11–13 December – WW2: Battle of Jitra"): an entry's title
// names its event, dated by the entry. It returns -1 otherwise.
func (d *reader) entryTitleDate(s int) int {
	ls := s
	for ls > 0 && !d.toks[ls].newline && s-ls <= entryReach+maxDateTokens {
		ls--
	}
	if ls > 0 && !d.toks[ls].newline {
		return -1 // no line start near: not an entry's head
	}
	k := sort.Search(len(d.dates), func(i int) bool { return d.dates[i].s >= ls })
	if k >= len(d.dates) || d.dates[k].s != ls || d.dates[k].e > s || s-d.dates[k].e > entryReach {
		return -1
	}
	m := d.dates[k]
	if !m.ok || m.citation || m.dateline || m.yearHeading || !d.dash(m.e) && !d.punct(m.e, ':') {
		return -1
	}
	return k
}

// maxCalendarTail bounds the tokens after a calendar item's phrase on its
// line ("President (1st round) and Parliament[1]").
const maxCalendarTail = 12

// maxCalendarItems bounds how many item lines a calendar date heads.
const maxCalendarItems = 20

// calendarDate returns the date of the calendar item whose phrase is
// tokens [s,e): a line that names a country or place, a comma and the
// phrase ("7 March: Sierra Leone, President (1st round)"), dated by the
// date that opens it or, for items listed below a date line that ends at
// its colon ("28 January:"), by that date. It returns -1 when [s,e) is no
// calendar item.
func (d *reader) calendarDate(s, e int) int {
	if !d.punct(s-1, ',') {
		return -1
	}
	ei := d.entityCovering(s - 2)
	if ei < 0 || d.ents[ei].end != s-1 || d.ents[ei].place < 0 && d.ents[ei].actor < 0 {
		return -1
	}
	for i := e; i < len(d.toks) && !d.toks[i].newline; i++ {
		if i-e >= maxCalendarTail {
			return -1
		}
	}
	ls := d.lineStart(s)
	start := d.ents[ei].start
	if start == ls {
		return d.calendarHead(ls)
	}
	k := d.dateStartingAt(ls)
	if k < 0 || d.dates[k].e+1 != start || !d.punct(d.dates[k].e, ':') && !d.dash(d.dates[k].e) || !d.usable(k) {
		return -1
	}
	return k
}

// dateStartingAt returns the index of the date mention starting at token i, or -1.
func (d *reader) dateStartingAt(i int) int {
	k := sort.Search(len(d.dates), func(j int) bool { return d.dates[j].s >= i })
	if k < len(d.dates) && d.dates[k].s == i {
		return k
	}
	return -1
}

// calendarHead returns the date heading the calendar items listed on lines
// of their own from line ls up: the nearest line above that is a date and
// its colon alone ("28 January:"), across only other such items.
func (d *reader) calendarHead(ls int) int {
	for n := 0; n < maxCalendarItems && ls > 0; n++ {
		ls = d.lineStart(ls - 1)
		if k := d.dateStartingAt(ls); k >= 0 {
			m := d.dates[k]
			if (d.punct(m.e, ':') || d.dash(m.e)) && (m.e+1 >= len(d.toks) || d.toks[m.e+1].newline) && d.usable(k) {
				return k
			}
			return -1
		}
		if ei := d.entityCovering(ls); ei < 0 || d.ents[ei].start != ls || !d.punct(d.ents[ei].end, ',') {
			return -1 // not another item of the same date
		}
	}
	return -1
}

// maxListLines bounds how many lines below it a dated list's opening line
// dates.
const maxListLines = 12

// listIntroDate returns the date of the line that opens the list holding
// line ls: a line above, with at most maxListLines lines between, that
// ends with a colon and holds one day-precise date, its list's day
// ("Below are the details of these attacks for Wednesday, 17 June
// 1987:"). It returns -1 when there is none, or when a line between
// opens another list or dates itself at its start.
func (d *reader) listIntroDate(ls int) int {
	for n := 0; n < maxListLines && ls > 0; n++ {
		le := ls - 1 // the last token of the line above
		ls = d.lineStart(le)
		if !d.punct(le, ':') {
			if k := d.dateStartingAt(ls); k >= 0 {
				return -1 // an entry dated at its head: not this list's
			}
			continue
		}
		k := sort.Search(len(d.dates), func(i int) bool { return d.dates[i].s >= ls })
		if k >= len(d.dates) || d.dates[k].e > le || !d.usable(k) || d.dates[k].open || k+1 < len(d.dates) && d.dates[k+1].e <= le {
			return -1 // an opening line without one day of its own
		}
		for i := d.dates[k].s; i < d.dates[k].e; i++ {
			if d.month(i) > 0 {
				return k
			}
		}
		return -1 // "was issued today:": a statement's day, which dates what it says, not what it lists
	}
	return -1
}
