package extract

// maxSentenceTokens bounds a sentence; longer runs are cut.
const maxSentenceTokens = 160

// segment splits the tokens into sentences and clauses and marks the
// sentences of reference, byline and copyright lines as excluded.
func (d *reader) segment() {
	n := len(d.toks)
	start := 0
	lineStart := 0
	flush := func(end int) {
		if end > start {
			d.sents = append(d.sents, sentence{start: start, end: end})
		}
		start = end
	}
	references := false // past a "Notes" or "Further reading" heading
	lives := false      // in a "Births" or "Deaths" section
	seenDateline := false
	closeLine := func(end int) {
		flush(end)
		if lives && d.headingLine(lineStart, end) {
			lives = false
		}
		if d.biographyHeading(lineStart, end) {
			lives = true
		}
		if references || lives || d.referenceLine(lineStart, end) {
			for k := len(d.sents) - 1; k >= 0 && d.sents[k].start >= lineStart; k-- {
				d.sents[k].excluded = true
			}
		}
		references = references || d.referenceHeading(lineStart, end)
		lineStart = end
	}
	for i := 0; i < n; i++ {
		if i > 0 && d.toks[i].newline {
			closeLine(i)
		}
		if i == lineStart {
			if k := d.datelineEnd(i); k > i && d.datelineAt(i, k, seenDateline) {
				seenDateline = true
				d.sents = append(d.sents, sentence{start: i, end: k, dateline: true})
				start = k
				i = k - 1
				continue
			}
		}
		if i-start >= maxSentenceTokens {
			flush(i) // a run-on "sentence": cut it to keep the work per sentence bounded
		}
		if d.sentenceEnd(i) {
			k := d.pastClosers(i + 1)
			flush(k)
			i = k - 1
		}
	}
	closeLine(n)
	clause := int32(0)
	for si := range d.sents {
		s := &d.sents[si]
		clause++
		for i := s.start; i < s.end; i++ {
			d.sentOf[i] = int32(si)
			if i > s.start && d.clauseBreak(i) {
				clause++
			}
			d.clause[i] = clause
			for int(clause) >= len(d.futureCl) {
				d.futureCl = append(d.futureCl, false)
			}
			if d.cueAt[i]&(1<<cueFuture) != 0 {
				s.future = true
				d.futureCl[clause] = true
			}
		}
	}
}

// sentenceEnd reports whether token i ends a sentence.
func (d *reader) sentenceEnd(i int) bool {
	t := d.toks[i]
	if t.kind != tokPunct {
		return false
	}
	switch d.text[t.start:t.end] {
	case ".":
		if i > 0 && d.toks[i-1].kind == tokWord && !t.space {
			p := d.toks[i-1]
			if d.wi[i-1].abbrev || p.end-p.start == 1 {
				return false
			}
		}
	case "!", "?", "…":
	default:
		return false
	}
	k := d.pastClosers(i + 1)
	if k >= len(d.toks) {
		return true
	}
	nt := d.toks[k]
	if !nt.space {
		return false
	}
	return nt.upper || nt.newline || nt.kind == tokNum || d.opener(k)
}

// pastClosers returns the first token from k on that is not a closing
// quote or bracket, or a footnote mark ("[18]", "[a]"), written against
// the end of a sentence: "... 35 seats.[18] Georgia and ...".
func (d *reader) pastClosers(k int) int {
	for k < len(d.toks) && !d.toks[k].space {
		switch {
		case d.closer(k):
			k++
		case d.punct(k, '[') && k+2 < len(d.toks) && d.punct(k+2, ']') && !d.toks[k+1].space && (d.toks[k+1].kind == tokNum || d.toks[k+1].end-d.toks[k+1].start == 1):
			k += 3
		default:
			return k
		}
	}
	return k
}

// closer reports whether token i closes a quote or bracket.
func (d *reader) closer(i int) bool {
	return d.punct(i, '”') || d.punct(i, '"') || d.punct(i, '’') || d.punct(i, '\'') ||
		d.punct(i, ')') || d.punct(i, ']')
}

// opener reports whether token i opens a quote or bracket.
func (d *reader) opener(i int) bool {
	return d.punct(i, '“') || d.punct(i, '"') || d.punct(i, '‘') || d.punct(i, '(') || d.punct(i, '[')
}

// clauseBreak reports whether a new clause starts at token i.
func (d *reader) clauseBreak(i int) bool {
	if d.toks[i-1].kind != tokPunct {
		return false
	}
	if d.punct(i-1, ';') || d.punct(i-1, ':') {
		return true
	}
	if (d.punct(i-1, '—') || d.punct(i-1, '–')) && (d.toks[i-1].space || d.toks[i].space) {
		return true
	}
	return d.punct(i-1, ',') && d.hasCue(i, cueClauseBreak)
}

// referenceLine reports whether tokens [s,e) form a footnote, reference,
// byline or copyright line, whose dates are not event dates.
func (d *reader) referenceLine(s, e int) bool {
	if s >= e {
		return false
	}
	n := e - s
	// "[1] Author. Title..." and "^ ..." footnotes.
	if d.punct(s, '[') && s+2 < e && d.toks[s+1].kind == tokNum && d.punct(s+2, ']') && n > 3 {
		return true
	}
	if d.punct(s, '^') || d.punct(s, '↑') {
		return true
	}
	url, cite, bars := false, false, 0
	for i := s; i < e; i++ {
		if d.cueAt[i]&(1<<cueCitation) != 0 {
			cite = true
		}
		if t := d.toks[i]; t.kind == tokPunct {
			switch t.r {
			case '|':
				bars++
			case '©':
				return true
			case ':':
				if i > s && d.toks[i-1].kind == tokWord && (tokKey(d.toks[i-1], d.low) == "http" || tokKey(d.toks[i-1], d.low) == "https") {
					url = true
				}
			}
		}
	}
	if url && (cite || n < 60) {
		return true
	}
	if cite && n < 15 || bars > 0 && n <= 25 {
		return true // "Manila | Jul 9, 2024 | By Kenji Arakawa"
	}
	if d.hasCue(s, cueReferenceLine) {
		if d.word(s, wBy) || tokKey(d.toks[s], d.low) == "by" {
			return n <= 12 && s+1 < e && d.toks[s+1].upper && !d.wi[s+1].is(wEarly) && d.wi[s+1].weekday == 0 && d.wi[s+1].month == 0
		}
		return n <= 25
	}
	return false
}

// referenceHeading reports whether tokens [s,e) form a heading line that
// opens a reference section ("Notes", "Further reading:", "Sources").
func (d *reader) referenceHeading(s, e int) bool {
	if e > s && d.punct(e-1, ':') {
		e--
	}
	return e > s && e-s <= 3 && d.endsCue(e-1, cueReferenceHeading) && d.hasCue(s, cueReferenceHeading)
}

// biographyHeading reports whether tokens [s,e) are a line that opens a
// section of births or deaths.
func (d *reader) biographyHeading(s, e int) bool {
	if e > s && d.punct(e-1, ':') {
		e--
	}
	return e > s && e-s <= 3 && d.endsCue(e-1, cueBiographyHeading) && d.hasCue(s, cueBiographyHeading)
}

// headingLine reports whether tokens [s,e) are a short heading: one to
// four words, capitalised, with no date, number or closing punctuation.
func (d *reader) headingLine(s, e int) bool {
	if e-s < 1 || e-s > 4 || d.toks[s].kind != tokWord || !d.toks[s].upper {
		return false
	}
	for i := s; i < e; i++ {
		if t := d.toks[i]; t.kind == tokNum || t.kind == tokPunct && !d.punct(i, ':') || d.month(i) > 0 {
			return false
		}
	}
	return true
}

// markCitations marks tokens inside citation parentheticals ("(article,
// June 19, 2024)", "(KCNA, June 20, 2024)") and right after citation cues
// ("last accessed").
func (d *reader) markCitations() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		if d.cueAt[i]&(1<<cueCitation) != 0 {
			for k := i; k < n && k < i+10 && !d.punct(k, ')'); k++ {
				d.cite[k] = max(d.cite[k], citedCue)
			}
		}
		if !d.punct(i, '(') {
			continue
		}
		cited := false
		k := i + 1
		for ; k < n && k < i+40 && !d.punct(k, ')') && !d.punct(k, '('); k++ {
			if d.cueAt[k]&(1<<cueCitation|1<<cueReferenceLine) != 0 {
				cited = true
			}
		}
		mark := citedAside
		if !cited && d.punct(k, ')') && d.sourceAndDate(i+1, k) {
			cited, mark = true, citedSource
		}
		if cited && d.punct(k, ')') {
			for j := i; j <= k; j++ {
				d.cite[j] = mark
			}
		}
	}
}

// maxSourceTokens bounds the name of a source in a "(Source, date)"
// citation.
const maxSourceTokens = 6

// sourceAndDate reports whether tokens [s,e), the inside of a
// parenthetical, are a source and a date and nothing else: "KCNA, June 20,
// 2024", "Reuters, 19 June", "June 19, 2024, Yonhap". Such a parenthetical
// cites where a statement was published; its date is the publication's.
func (d *reader) sourceAndDate(s, e int) bool {
	for c := s + 1; c < e-1; c++ {
		if !d.punct(c, ',') {
			continue
		}
		if d.sourceName(s, c) && d.dateOnly(c+1, e) || d.dateOnly(s, c) && d.sourceName(c+1, e) {
			return true
		}
	}
	return false
}

// sourceName reports whether tokens [s,e) are a short proper name: words
// starting upper case, joined by ".", "&" or "-".
func (d *reader) sourceName(s, e int) bool {
	if e <= s || e-s > maxSourceTokens || d.toks[s].kind != tokWord || !d.toks[s].upper {
		return false
	}
	for k := s; k < e; k++ {
		switch t := d.toks[k]; {
		case t.kind == tokWord && t.upper && d.wi[k].month == 0 && d.wi[k].weekday == 0:
		case d.punct(k, '.') || d.punct(k, '&') || d.punct(k, '-'):
		default:
			return false
		}
	}
	return true
}

// dateOnly reports whether tokens [s,e) hold nothing but the parts of a
// written date with a day or a year: month and weekday names, numbers,
// ordinal suffixes, commas and periods.
func (d *reader) dateOnly(s, e int) bool {
	month, num := false, false
	for k := s; k < e; k++ {
		switch t := d.toks[k]; {
		case t.kind == tokNum:
			num = true
		case t.kind == tokWord && d.wi[k].month > 0:
			month = true
		case t.kind == tokWord && (d.wi[k].weekday > 0 || d.wi[k].ordSuf):
		case d.punct(k, ',') || d.punct(k, '.'):
		default:
			return false
		}
	}
	return month && num
}

// datelineLead bounds, in tokens, where a dateline that opens with its
// date ("Wednesday, December 4, 2024 —") may stand: the top of the text.
const datelineLead = 60

// datelineAt reports whether the dateline-like line head [i,k) is the
// document's dateline. One that names its place ("KYIV, March 4 (Reuters)
// -") is; one that opens with its date is only the first near the top and
// only when the next line does not open the same way: lines of a
// chronology ("July 27, 1953 - An armistice is signed") are entries, not
// datelines.
func (d *reader) datelineAt(i, k int, seen bool) bool {
	if d.month(i) == 0 && d.wi[i].weekday == 0 && d.toks[i].kind != tokNum {
		return true
	}
	if seen || i > datelineLead {
		return false
	}
	year := false
	for j := i; j < k; j++ {
		year = year || d.year(j) != 0 || d.wi[j].weekday != 0
	}
	if !year {
		return false // "4 April – Europol and Georgia sign ...": an entry, its year the list's
	}
	next := k
	for next < len(d.toks) && !d.toks[next].newline {
		next++
	}
	if next < len(d.toks) && (d.datelineEnd(next) >= 0 || d.entryHead(next)) {
		return false
	}
	if i > 0 {
		prev := i - 1
		for prev > 0 && !d.toks[prev].newline {
			prev--
		}
		if d.entryHead(prev) {
			return false
		}
	}
	return true
}

// entryHead reports whether the line at token i opens like a chronology's
// entry: a date or a year, then a dash or a colon ("1950 - ...", "June
// 12: ...").
func (d *reader) entryHead(i int) bool {
	if i >= len(d.toks) || d.month(i) == 0 && d.toks[i].kind != tokNum {
		return false
	}
	for k := i + 1; k < len(d.toks) && k <= i+6 && !d.toks[k].newline; k++ {
		if d.dash(k) || d.punct(k, ':') {
			return true
		}
		if d.toks[k].kind == tokWord && d.month(k) == 0 {
			return false
		}
	}
	return false
}
