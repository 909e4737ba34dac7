package extract

// Statements, readouts and letters date themselves once — in a dateline
// ("NEW YORK, 14 August (UN Headquarters) --"), a heading ("27 September
// 2008") or a signature line ("New York, 2 December 2016") — and then speak
// in the present: "The Secretary-General condemns the attack". Such a
// sentence happens on the document's day. documentDate finds that date;
// trigger groups marked document_date use it for hits whose sentence has
// none. The publication date alone never serves: a document that does not
// date itself dates none of its undated sentences.

// documentDate returns the date mention that dates the document: the
// first day-precise date that is a dateline's or stands on a line of its
// own, with at most a place before it; -1 when there is none.
func (d *reader) documentDate() int {
	for k, m := range d.dates {
		if !m.ok || m.citation || m.from.y == 0 || m.from.d == 0 || m.to.y != 0 || !valid(m.from) {
			continue
		}
		if d.sents[d.sentOf[m.s]].excluded {
			continue // "Published 23 May 2022": the page's stamp, not the text's
		}
		if m.dateline || d.dateLine(m) {
			return k
		}
	}
	for k, m := range d.dates {
		if m.ok && !m.citation && m.from.y != 0 && m.from.d != 0 && m.to.y == 0 && valid(m.from) && d.statementIntro(m) {
			return k // "The following Security Council press statement was issued today by ...:"
		}
	}
	return -1
}

// statementIntro reports whether date m is in the line that introduces a
// statement, remarks or a message and ends in a colon: "The following
// statement was issued today by the Spokesman for the Secretary-General:".
func (d *reader) statementIntro(m dateMention) bool {
	s := d.sents[d.sentOf[m.s]]
	if s.end < 1 || !d.punct(s.end-1, ':') {
		return false
	}
	for i := s.start; i < s.end; i++ {
		switch tokKey(d.toks[i], d.low) {
		case "statement", "remarks", "message", "address", "speech":
			return true
		}
	}
	return false
}

// maxPlaceTokens bounds the place written before a date on a date line.
const maxPlaceTokens = 6

// dateLine reports whether date m stands on a line of its own, after at
// most a place and a comma ("New York, 2 December 2016"), before at most
// punctuation.
func (d *reader) dateLine(m dateMention) bool {
	ls := m.s
	for ls > 0 && !d.toks[ls].newline {
		if m.s-ls >= maxPlaceTokens {
			return false
		}
		ls--
	}
	for i := ls; i < m.s; i++ {
		t := d.toks[i]
		if !(t.kind == tokWord && t.upper || d.punct(i, ',') || d.punct(i, '.') || d.dash(i)) {
			return false
		}
	}
	for i := m.e; i < len(d.toks) && !d.toks[i].newline; i++ {
		if d.toks[i].kind != tokPunct && !d.clockWord(i) {
			return false // "WEDNESDAY, AUGUST 30, 1995, 1:50 P.M." keeps its time
		}
	}
	return true
}

// clockWord reports whether token i belongs to a clock time written after
// a date: its digits, "a.m.", "P.M.", a zone ("EST", "GMT").
func (d *reader) clockWord(i int) bool {
	t := d.toks[i]
	if t.kind == tokNum {
		return t.end-t.start <= 2
	}
	switch tokKey(t, d.low) {
	case "a", "p", "am", "pm", "m", "est", "edt", "gmt", "utc", "cet", "cest", "bst", "hours", "hrs":
		return true
	}
	return false
}

// lead reports whether sentence si is the lead of wire copy: the first
// sentence after its dateline, which the dateline's date dates.
func (d *reader) lead(si int32) bool {
	return si > 0 && d.sents[si-1].dateline
}
