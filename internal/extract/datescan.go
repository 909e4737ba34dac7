package extract

import "time"

// ymd is a calendar date at some precision: d == 0 means month precision,
// m == 0 year precision; y == 0 means the year is still to be resolved.
type ymd struct{ y, m, d int }

// dateMention is one date expression found in the text.
type dateMention struct {
	s, e     int // tokens [s,e)
	from, to ymd // to is zero unless the mention is a span
	// open is a span from "since X" to the publication date.
	open bool
	// conf is how sure the scanner is that this is an event date.
	conf float64
	// citation marks citation and access dates; they never date events.
	citation bool
	// modifier marks a bare year used as a modifier ("the 2022 invasion");
	// it dates only a trigger right after it.
	modifier bool
	// future is true when the expression itself points ahead ("next month").
	future bool
	// ok is false when the mention could not be resolved to a date.
	ok bool
	// guessedYear marks a partial date whose year came from context.
	guessedYear bool
	// yearHeading marks a year alone on its line, heading the entries of a
	// chronology below it ("2018" above "April 27: ..."): it dates no event
	// but gives its year to the partial dates that follow.
	yearHeading bool
	// dateline marks the filing date of a wire dateline ("KYIV, March 5
	// (Agency) -"); it dates an event only when nothing closer does.
	dateline bool
	// anchored mentions are shift days from another date of the text ("a
	// day later", "that evening").
	anchored bool
	shift    int
	// years marks an anchored mention counted in years ("the previous
	// year", "that year"), dated by any date with a year.
	years bool
	// months marks an anchored mention counted in months ("the following
	// month", "two months later"), dated by any date with a month.
	months bool
	// nextMonth, for "the following December", is the month named: the
	// first such month after the anchor's date.
	nextMonth int
	// after marks ", N days after": counted back from an anchor earlier
	// in the same sentence.
	after bool
	// onlyAfter marks "came N days after": it dates only what follows it,
	// counted back from the sentences before.
	onlyAfter bool
	// barrier marks ", days after": it dates nothing, and keeps the dates
	// before it from what follows it.
	barrier bool
	// comparison marks the year a record is measured from ("the fastest
	// process since 1981"): it dates no event before it, only one told
	// after it ("since 1980, when troops crushed an uprising").
	comparison bool
	// naming marks a date that names a document ("the Treaty of 1949",
	// "Executive Order 13660 of March 6, 2014", "resolution 2231 (2015)"):
	// it dates only a trigger that is that document.
	naming bool
}

// scanDates finds every date expression, left to right, then joins spans.
func (d *reader) scanDates() {
	n := len(d.toks)
	for i := 0; i < n; {
		if d.sents[d.sentOf[i]].excluded {
			i++
			continue
		}
		if !d.mayStartDate(i) {
			i++
			continue
		}
		m, ok := d.dateAt(i)
		if !ok || m.e <= i {
			i++
			continue
		}
		m.ok = !m.barrier
		for k := m.s; k < m.e; k++ {
			if d.cite[k] != notCited {
				m.citation = true
			}
		}
		if k := m.s - 1; k >= 0 && (d.endsCue(k, cueCitation) || d.endsCue(k-1, cueCitation) && (d.punct(k, ':') || d.word(k, wOn))) {
			m.citation = true
		}
		if (d.punct(m.e, '\'') || d.punct(m.e, '’')) && d.possessive(m.e+1) {
			m.modifier = true // "last month's earthquake": it dates that noun alone
		}
		m.dateline = d.sents[d.sentOf[m.s]].dateline
		m.naming = d.namesDocument(m)
		d.useDatelineDate(m)
		d.useHeadingDate(m)
		d.useStatementDate(m)
		d.dates = append(d.dates, m)
		i = m.e
	}
	d.joinSpans()
	d.splitDayPairs()
	d.linkDateLists()
}

// namesDocument reports whether date m names a document: "of" after a
// document noun or its number ("the North Atlantic Treaty of 1949",
// "Executive Order 13660 of March 6, 2014"), or a year in brackets after a
// numbered document ("resolution 2231 (2015)").
func (d *reader) namesDocument(m dateMention) bool {
	k := m.s - 1
	if d.punct(k, '(') && d.punct(m.e, ')') && m.from.d == 0 && m.from.m == 0 {
		return d.toks[k-1].kind == tokNum && d.endsCue(k-2, cueDocument)
	}
	if d.word(k, wOn) && k >= 2 && d.toks[k-1].kind == tokNum && m.from.d != 0 {
		return d.endsCue(k-2, cueDocument) // "as amended by Proclamation 7757 on February 26, 2004"
	}
	if !d.word(k, wOf) {
		return false
	}
	if d.toks[k-1].kind == tokNum {
		return d.endsCue(k-2, cueDocument)
	}
	if !d.endsCue(k-1, cueDocument) {
		return false
	}
	if d.toks[k-1].upper {
		return true // "the North Atlantic Treaty of 1949"
	}
	if k < 2 {
		return false
	}
	switch tokKey(d.toks[k-2], d.low) {
	case "my", "our", "his", "her", "their":
		return true // "my memorandum of January 20, 2021": the author's document
	}
	return false
}

// mayStartDate is a cheap test that token i can begin a date expression,
// sparing most tokens the full parse.
func (d *reader) mayStartDate(i int) bool {
	t := d.toks[i]
	switch t.kind {
	case tokNum:
		return true
	case tokPunct:
		return false
	}
	if c := d.text[t.start]; c >= '0' && c <= '9' || (c == 'q' || c == 'Q') && t.end-t.start == 2 {
		return true
	}
	w := d.wi[i]
	if w.month > 0 || w.weekday > 0 || w.number > 0 || w.ordinal > 0 || w.season > 0 {
		return true
	}
	switch w.concepts & dateStarters {
	case 0:
		return false
	case 1 << wThe: // "the next day", "the same day", "the weekend", "the day before"
		return d.word(i+1, wNext) || d.word(i+1, wLast) || d.word(i+1, wSame) || d.word(i+1, wDay) || d.word(i+1, wWeekend)
	case 1 << wThat: // "that evening", "later that year"
		return d.word(i+1, wDay) || d.word(i+1, wDaypart) || (d.word(i+1, wYear) || d.word(i+1, wMonth)) && !d.plural(i+1)
	}
	return true
}

// dateStarters are the word concepts a date expression can start with.
const dateStarters = 1<<wYesterday | 1<<wToday | 1<<wTonight | 1<<wTomorrow | 1<<wLast | 1<<wNext |
	1<<wThis | 1<<wEarlier | 1<<wLater | 1<<wEarly | 1<<wMid | 1<<wLate | 1<<wThe | 1<<wThat | 1<<wHour |
	1<<wDay | 1<<wWeek | 1<<wMonth | 1<<wOvernight | 1<<wJust

// num returns the value of number token i and its digit count, or -1.
func (d *reader) num(i int) (int, int) {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tokNum {
		return -1, 0
	}
	t := d.toks[i]
	l := int(t.end - t.start)
	if l > 4 {
		return -1, l
	}
	v := 0
	for _, c := range d.low[t.start:t.end] {
		v = v*10 + int(c-'0')
	}
	return v, l
}

// day returns the day of month written at token i ("19", "19th"), or 0.
func (d *reader) day(i int) int {
	if i < 0 || i >= len(d.toks) {
		return 0
	}
	t := d.toks[i]
	if t.kind == tokNum {
		if v, l := d.num(i); l <= 2 && v >= 1 && v <= 31 {
			return v
		}
		return 0
	}
	if t.kind != tokWord {
		return 0
	}
	b := d.low[t.start:t.end]
	v, k := 0, 0
	for k < len(b) && k < 3 && b[k] >= '0' && b[k] <= '9' {
		v = v*10 + int(b[k]-'0')
		k++
	}
	if k == 0 || k > 2 || v < 1 || v > 31 {
		return 0
	}
	if _, ok := d.x.words[string(b[k:])]; ok && d.x.words[string(b[k:])].ordSuf {
		return v
	}
	return 0
}

// year returns the value of token i when it is a plausible year, or 0.
func (d *reader) year(i int) int {
	if v, l := d.num(i); l == 4 && v >= 1000 && v <= 2199 {
		return v
	}
	return 0
}

// month returns the month named at token i, or 0. Month names must be
// capitalised, so "may" the verb is not May.
func (d *reader) month(i int) int {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tokWord || !d.toks[i].upper {
		return 0
	}
	return int(d.wi[i].month)
}

// dateAt parses a date expression starting at token i.
func (d *reader) dateAt(i int) (dateMention, bool) {
	t := d.toks[i]
	switch t.kind {
	case tokNum:
		return d.numberDate(i)
	case tokPunct:
		return dateMention{}, false
	}
	w := d.wi[i]
	switch {
	case w.weekday > 0 && t.upper:
		j := i + 1
		if d.punct(j, ',') {
			j++
		}
		if d.month(j) > 0 {
			if m, ok := d.monthDate(j); ok && m.from.d > 0 {
				m.s = i
				return m, true
			}
		}
		if dd := d.day(j); dd > 0 && d.month(j+1) > 0 {
			if m, ok := d.dayMonth(j); ok {
				m.s = i
				return m, true
			}
		}
		return d.weekdayDate(i)
	case w.month > 0 && t.upper:
		return d.monthDate(i)
	case d.day(i) > 0:
		if m, ok := d.dayMonth(i); ok {
			return m, true
		}
		return d.ordinalDay(i)
	case w.concepts&dateStarters != 0 || w.number > 0 || w.ordinal > 0 || w.season > 0:
		if m, ok := d.relative(i); ok {
			return m, true
		}
		if m, ok := d.anchored(i); ok {
			return m, true
		}
		return d.modified(i)
	}
	if q := d.quarterToken(i); q > 0 {
		return d.quarter(i, i+1, q)
	}
	return dateMention{}, false
}

// clockAfter reports whether the number at token j is the hour of a
// clock time ("4:30"), not a day followed by a colon ("June 4: talks").
func (d *reader) clockAfter(j int) bool {
	return d.punct(j+1, ':') && j+2 < len(d.toks) && d.toks[j+2].kind == tokNum && !d.toks[j+2].space
}

// monthDate parses "June 19, 2024", "June 19", "June 19–20", "June 2024",
// "June of last year" and a lone month after a date preposition.
func (d *reader) monthDate(i int) (dateMention, bool) {
	mo := d.month(i)
	j := i + 1
	if d.wi[i].monthAbb && d.punct(j, '.') {
		j++
	}
	m := dateMention{s: i, from: ymd{m: mo}, conf: 0.85}
	// A line break the text kept ends the date: "February" heading a
	// calendar, then "4 February:" on the next line.
	if dd := d.day(j); dd > 0 && !d.clockAfter(j) && !d.lineBreak(j) {
		m.from.d = dd
		j++
		// "June 19–20", "between June 19 and 21", "on June 19 and 20"
		and := d.word(j, wAnd) && d.word(i-1, wBetween) // "on June 19 and 20" is two days (coord.go)
		if (d.dash(j) || d.word(j, wTo) || and) && d.day(j+1) > dd && d.month(j+2) == 0 {
			m.to = ymd{m: mo, d: d.day(j + 1)}
			j += 2
		}
		k := j
		if d.punct(k, ',') || d.punct(k, '.') {
			k++
		}
		if y := d.year(k); y > 0 && !d.lineBreak(k) {
			m.from.y = y
			if m.to.m > 0 {
				m.to.y = y
			}
			m.conf = 1
			j = k + 1
		} else if y, fut, l := d.relYear(j); l > 0 {
			m.from.y, m.future, m.conf = y, fut, 0.9
			if m.to.m > 0 {
				m.to.y = y
			}
			j += l
		}
		m.e = j
		return m, true
	}
	k := j
	if d.punct(k, ',') || d.word(k, wOf) {
		k++
	}
	if y := d.year(k); y > 0 && !d.lineBreak(k) {
		m.from.y, m.conf, m.e = y, 0.95, k+1
		return m, true
	}
	if y, fut, l := d.relYear(k); l > 0 {
		m.from.y, m.future, m.conf, m.e = y, fut, 0.9, k+l
		return m, true
	}
	p := i - 1
	if d.wi[i].monthAbb {
		return dateMention{}, false
	}
	if d.sinceBefore(i) >= 0 || d.word(p, wIn) || d.word(p, wSince) || d.word(p, wFrom) || d.word(p, wBy) || d.word(p, wDuring) ||
		d.word(p, wUntil) || d.word(p, wBetween) || d.word(p, wAnd) || d.word(p, wTo) || d.word(p, wOf) ||
		d.word(p, wEarly) || d.word(p, wMid) || d.word(p, wLate) || d.word(p, wBefore) || d.word(p, wAfter) ||
		d.dash(p) && (d.word(p-1, wMid) || d.month(p-1) > 0) {
		m.e, m.conf = j, 0.75
		return m, true
	}
	return dateMention{}, false
}

// relYear parses "last year", "this year", "next year" at token i and
// returns the year, whether it is ahead, and the tokens used.
func (d *reader) relYear(i int) (int, bool, int) {
	if d.rel.IsZero() || !d.word(i+1, wYear) {
		return 0, false, 0
	}
	y := d.rel.Year()
	switch {
	case d.word(i, wLast):
		return y - 1, false, 2
	case d.word(i, wThis):
		return y, false, 2
	case d.word(i, wNext):
		return y + 1, true, 2
	}
	return 0, false, 0
}

// dayMonth parses "19 June 2024", "19th of June", "19–20 June 2024".
func (d *reader) dayMonth(i int) (dateMention, bool) {
	dd := d.day(i)
	j := i + 1
	end := 0
	if (d.dash(j) || d.word(j, wTo) || d.word(j, wAnd) && d.word(i-1, wBetween)) && d.day(j+1) > dd && d.month(j+2) > 0 {
		end = d.day(j + 1)
		j += 2
	}
	if d.word(j, wOf) {
		j++
	}
	mo := d.month(j)
	if mo == 0 || d.lineBreak(j) {
		return dateMention{}, false // "...China.[26]" then a "July" heading: no date
	}
	j++
	if d.wi[j-1].monthAbb && d.punct(j, '.') {
		j++
	}
	m := dateMention{s: i, from: ymd{m: mo, d: dd}, conf: 0.85}
	if end > 0 {
		m.to = ymd{m: mo, d: end}
	}
	k := j
	if d.punct(k, ',') {
		k++
	}
	if y := d.year(k); y > 0 && !d.lineBreak(k) {
		m.from.y, m.conf, j = y, 1, k+1
		if end > 0 {
			m.to.y = y
		}
	} else if y, fut, l := d.relYear(j); l > 0 {
		m.from.y, m.future, m.conf, j = y, fut, 0.9, j+l
		if end > 0 {
			m.to.y = y
		}
	}
	m.e = j
	return m, true
}

// numberDate parses dates that start with a number: ISO "2024-06-19",
// numeric "19/06/2024", "19 June", year spans "2015–2018" and bare years.
func (d *reader) numberDate(i int) (dateMention, bool) {
	v, l := d.num(i)
	if l == 4 && v >= 1000 && v <= 2199 {
		if sep := i + 1; (d.dash(sep) || d.punct(sep, '/')) && d.adjacent(i, 5) && d.punct(i+3, d.toks[sep].r) {
			mo, l1 := d.num(i + 2)
			dd, l2 := d.num(i + 4)
			if l1 <= 2 && l2 <= 2 && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 {
				return dateMention{s: i, e: i + 5, from: ymd{v, mo, dd}, conf: 1}, true
			}
		}
		return d.bareYear(i, v)
	}
	if m, ok := d.ago(i, v); l <= 2 && ok {
		return m, true
	}
	if m, ok := d.shifted(i, v); l <= 2 && ok {
		return m, true
	}
	if l >= 1 && l <= 2 && v >= 1 {
		sep := i + 1
		if (d.punct(sep, '/') || d.punct(sep, '.') || d.dash(sep)) && d.adjacent(i, 5) && d.punct(i+3, d.toks[sep].r) {
			return d.numeric(i, v)
		}
		if d.day(i) > 0 {
			return d.dayMonth(i)
		}
	}
	return dateMention{}, false
}

// adjacent reports whether tokens [i,i+n) exist and touch without spaces.
func (d *reader) adjacent(i, n int) bool {
	if i+n > len(d.toks) {
		return false
	}
	for k := i + 1; k < i+n; k++ {
		if d.toks[k].space {
			return false
		}
	}
	return true
}

// numeric parses "19/06/2024" and "06/19/24" in the document's locale.
func (d *reader) numeric(i, a int) (dateMention, bool) {
	b, lb := d.num(i + 2)
	y, ly := d.num(i + 4)
	if lb > 2 || lb == 0 || (ly != 4 && ly != 2) {
		return dateMention{}, false
	}
	if ly == 2 {
		y += 2000
		if !d.pub.IsZero() && y > d.pub.Year()+1 {
			y -= 100
		}
	}
	m := dateMention{s: i, e: i + 5, conf: 1}
	dayFirst := d.doc.Locale != "" && d.doc.Locale != "en-US" && d.doc.Locale != "en_US"
	if d.doc.Locale == "" {
		// "11.03.2024": dotted dates put the day first wherever they are used.
		dayFirst = d.numericOrder() > 0 || d.punct(i+1, '.') && d.numericOrder() == 0
	}
	switch {
	case a > 12 && b <= 12:
		m.from = ymd{y, b, a}
	case b > 12 && a <= 12:
		m.from = ymd{y, a, b}
	case a > 12 || b > 12:
		return dateMention{}, false
	case d.doc.Locale == "" && d.numericOrder() == 0 && a != b && d.nearPub(ymd{y, b, a}) != d.nearPub(ymd{y, a, b}):
		// "08/10/2004" in a text published on 8 October 2004: the reading
		// that is the publication's day (or just before it)
		m.from, m.conf = ymd{y, a, b}, 0.8
		if d.nearPub(ymd{y, b, a}) {
			m.from = ymd{y, b, a}
		}
	case dayFirst:
		m.from = ymd{y, b, a}
		if d.doc.Locale == "" {
			m.conf = 0.8
		}
	default:
		m.from = ymd{y, a, b}
		if d.doc.Locale == "" && a != b && d.numericOrder() == 0 {
			m.conf = 0.6
		}
	}
	if m.from.d > daysIn(m.from.y, m.from.m) {
		return dateMention{}, false
	}
	return m, true
}

// nearPub reports whether day v lies within three days before publication
// (or on its day).
func (d *reader) nearPub(v ymd) bool {
	if d.pub.IsZero() || !valid(v) {
		return false
	}
	t := time.Date(v.y, time.Month(v.m), v.d, 0, 0, 0, 0, time.UTC)
	return !t.After(d.pub) && d.pub.Sub(t) <= 3*24*time.Hour
}

// bareYear accepts a year standing alone only where it dates something:
// after a date preposition ("in 2015") or right before an event word ("the
// 2022 invasion"), never before a statistic ("its 2015 GDP").
// numbered reports whether the number at token i follows "resolution",
// "resolutions", "No." or "number", alone or in a list of such numbers:
// "Security Council resolutions 1718, 1874 and 2087".
func (d *reader) numbered(i int) bool {
	for k := i - 1; k >= 0 && k >= i-12; k-- {
		t := d.toks[k]
		switch {
		case t.kind == tokNum || d.punct(k, ',') || d.word(k, wAnd) || d.punct(k, '.'):
			continue
		case t.kind == tokWord:
			switch tokKey(t, d.low) {
			case "resolution", "resolutions", "no", "nos", "number", "numbers":
				return true
			case "un":
				return k == i-1 && t.allUpper // "the UN 1988 sanctions regime": a committee's number
			}
		}
		return false
	}
	return false
}

// minBareYear is the first year a number alone is read as: before it, a
// four-digit number is far more often a section, a count or a code.
const minBareYear = 1800

func (d *reader) bareYear(i, y int) (dateMention, bool) {
	m := dateMention{s: i, e: i + 1, from: ymd{y: y}, conf: 0.85}
	if y < minBareYear {
		return dateMention{}, false // "50 U.S.C. 1701-1706": a section number, not a year
	}
	if d.numbered(i) {
		return dateMention{}, false // "resolutions 1718, 1874 and 2087": numbers of documents
	}
	if d.hasCue(i+1, cueStatistic) || d.punct(i+1, '%') || d.punct(i-1, '$') || d.punct(i-1, '€') || d.punct(i-1, '£') {
		return dateMention{}, false
	}
	if d.punct(i+1, '/') && d.adjacent(i, 3) && d.toks[i+2].kind == tokNum {
		return dateMention{}, false // "2023/24": a financial or academic year
	}
	if (d.dash(i+1) || d.word(i+1, wTo)) && (d.dash(i+1) && d.adjacent(i, 3) || d.word(i+1, wTo)) {
		if y2 := d.year(i + 2); y2 > y {
			m.to, m.e = ymd{y: y2}, i+3
			return m, !d.hasCue(i+3, cueStatistic)
		}
		if v, l := d.num(i + 2); l == 2 && d.dash(i+1) && y/100*100+v > y {
			m.to, m.e = ymd{y: y/100*100 + v}, i+3
			return m, !d.hasCue(i+3, cueStatistic)
		}
	}
	if lineHead := i == 0 || d.toks[i].newline; lineHead {
		if i+1 >= len(d.toks) || d.toks[i+1].newline {
			m.yearHeading = true // "2018" above the entries of that year
			return m, true
		}
		if d.dash(i+1) || d.punct(i+1, ':') {
			return m, true // "1950 - North Korea invades the South": a chronology's entry
		}
	}
	for k := i - 1; k >= 0 && k >= i-8 && d.sentOf[k] == d.sentOf[i] && d.clause[k] == d.clause[i]; k-- {
		if d.hasCue(k, cueStatistic) {
			return dateMention{}, false // "spent 2% of its GDP on defence in 2024"
		}
	}
	if d.endsCue(i-1, cueYearPrep) || d.word(i-1, wOf) && i >= 2 && (d.wi[i-2].season > 0 || d.word(i-2, wEarly) || d.word(i-2, wLate) || d.word(i-2, wMid)) {
		return m, true
	}
	if d.punct(i-1, ',') && d.sentOf[i] == d.sentOf[max(i-1, 0)] && d.toks[i].start > 0 && (d.punct(i+1, ',') || d.punct(i+1, '.')) {
		return dateMention{}, false
	}
	if d.trigAt[min(i+1, len(d.toks)-1)] && i+1 < len(d.toks) {
		m.modifier, m.conf = true, 0.7
		return m, true
	}
	for k := i + 2; k <= i+4 && k < len(d.toks); k++ {
		t := d.toks[k-1]
		if !(t.kind == tokWord && t.upper && d.wi[k-1].month == 0 || d.punct(k-1, '-') && !t.space) {
			break
		}
		if d.trigAt[k] && d.warNoun(k) {
			m.modifier, m.conf = true, 0.7 // "the 2022 Madrid Summit", "the 1967 Arab-Israeli War"
			return m, true
		}
	}
	if i == d.sents[d.sentOf[i]].start && d.punct(i+1, ',') {
		return m, true
	}
	return dateMention{}, false
}

// lineBreak reports whether a line break the text kept precedes token i.
func (d *reader) lineBreak(i int) bool {
	return i < len(d.toks) && d.toks[i].newline
}
