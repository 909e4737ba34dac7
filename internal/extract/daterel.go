package extract

import "time"

// day mentions built from times.
func dayOf(t time.Time) ymd   { return ymd{t.Year(), int(t.Month()), t.Day()} }
func monthOf(t time.Time) ymd { return ymd{t.Year(), int(t.Month()), 0} }

// daysIn returns the number of days of month m of year y.
func daysIn(y, m int) int {
	if m < 1 || m > 12 {
		return 0
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// weekStart returns the Monday of t's week.
func weekStart(t time.Time) time.Time {
	wd := (int(t.Weekday()) + 6) % 7 // Monday 0
	return t.AddDate(0, 0, -wd)
}

// relative parses expressions relative to the publication date: yesterday,
// last week, next month, this year, last Monday, last September, earlier
// this month, two days ago.
func (d *reader) relative(i int) (dateMention, bool) {
	if d.rel.IsZero() {
		return dateMention{}, false
	}
	p := d.rel
	m := dateMention{s: i, e: i + 1, conf: 0.8}
	if (d.word(i, wToday) || d.word(i, wTomorrow)) && d.presentAge(i) {
		// "the challenges of today and tomorrow", "the leaders of
		// tomorrow": the present age, not a day.
		return dateMention{}, false
	}
	if (d.word(i, wYesterday) || d.word(i, wToday) || d.word(i, wTonight) || d.word(i, wTomorrow) || d.word(i, wThis)) && d.quoted(i) {
		// "The WH statement tonight on Syria ...": a quotation's today is
		// the day it was spoken or written, which the report need not be.
		return dateMention{}, false
	}
	today := p
	if !d.today.IsZero() && d.rel.Equal(d.pub) {
		today = d.today
	}
	switch {
	case d.word(i, wYesterday):
		m.from = dayOf(today.AddDate(0, 0, -1))
		return m, true
	case d.word(i, wToday) || d.word(i, wTonight):
		m.from = dayOf(today)
		if n, e := d.marksYearsSince(i); n > 0 {
			// "Today marks five years since the attack": the attack's day
			m.from, m.e = dayOf(p.AddDate(-n, 0, 0)), e
		}
		return m, true
	case d.word(i, wJust):
		// "I've just spoken with", "has just signed": done on the report's day.
		if !d.justDone(i) {
			return dateMention{}, false
		}
		m.from, m.conf = dayOf(p), 0.7
		return m, true
	case d.word(i, wTomorrow):
		m.from, m.future = dayOf(today.AddDate(0, 0, 1)), true
		return m, true
	case d.word(i, wOvernight):
		// "struck overnight": the night that ends on the report's day,
		// unless a named day says which night ("overnight into Sunday").
		if d.namedDayNear(i) || d.hasCue(i-1, cueDeterminer) {
			// "an overnight vigil": it names the night, not which one.
			return dateMention{}, false
		}
		m.from, m.conf = dayOf(p), 0.7
		return m, true
	case d.word(i, wEarlier) || d.word(i, wLater):
		if d.word(i+1, wThis) {
			m.e = i + 3
			m.future = d.word(i, wLater)
			switch {
			case d.word(i+2, wWeek):
				ws := weekStart(p)
				end := ws.AddDate(0, 0, 6)
				if d.word(i, wEarlier) {
					end = p // "earlier this week": up to the report
				}
				m.from, m.to = dayOf(ws), dayOf(end)
				return m, true
			case d.word(i+2, wMonth):
				m.from = monthOf(p)
				return m, true
			case d.word(i+2, wYear):
				m.from = ymd{y: p.Year()}
				return m, true
			}
		}
		return dateMention{}, false
	case d.word(i, wLast) || d.word(i, wNext) || d.word(i, wThis):
		return d.relUnit(i)
	case d.word(i, wThe) && d.word(i+1, wDay) && d.word(i+2, wBefore) && d.word(i+3, wYesterday):
		m.from, m.e = dayOf(p.AddDate(0, 0, -2)), i+4 // "the day before yesterday"
		return m, true
	case d.word(i, wThe) && d.word(i+1, wDay) && d.word(i+2, wAfter) && d.word(i+3, wTomorrow):
		m.from, m.e, m.future = dayOf(p.AddDate(0, 0, 2)), i+4, true // "the day after tomorrow"
		return m, true
	case d.word(i, wThe) && d.word(i+1, wWeekend) && !d.future(i):
		// "over the weekend": the last weekend up to publication.
		sat := weekStart(p).AddDate(0, 0, 5)
		if sat.After(p) {
			sat = sat.AddDate(0, 0, -7)
		}
		m.from, m.to, m.e = dayOf(sat), dayOf(sat.AddDate(0, 0, 1)), i+2
		m.conf = 0.7
		return m, true
	}
	if v := int(d.wi[i].number); v > 0 {
		return d.ago(i, v)
	}
	return dateMention{}, false
}

// relUnit parses last/this/next followed by a unit, weekday, month or season.
func (d *reader) relUnit(i int) (dateMention, bool) {
	p := d.rel
	dir := 0
	switch {
	case d.word(i, wLast):
		dir = -1
	case d.word(i, wNext):
		dir = 1
	}
	m := dateMention{s: i, e: i + 2, conf: 0.8, future: dir > 0}
	j := i + 1
	if j >= len(d.toks) || d.toks[j].kind != tokWord {
		return dateMention{}, false
	}
	w := d.wi[j]
	switch {
	case w.is(wWeekend):
		sat := weekStart(p).AddDate(0, 0, 5+7*dir)
		if dir == 0 && sat.After(p) && !d.future(i) {
			sat = sat.AddDate(0, 0, -7)
		}
		m.from, m.to = dayOf(sat), dayOf(sat.AddDate(0, 0, 1))
	case w.is(wWeek):
		ws := weekStart(p).AddDate(0, 0, 7*dir)
		end := ws.AddDate(0, 0, 6)
		if dir == 0 {
			if m.future = d.future(i) || d.futureCl[d.clause[i]] && d.futureAhead(dateMention{s: i, e: i + 2}); !m.future && end.After(p) {
				end = p // "struck this week": up to the report
			}
		}
		m.from, m.to = dayOf(ws), dayOf(end)
	case w.is(wMonth):
		m.from = monthOf(time.Date(p.Year(), p.Month()+time.Month(dir), 1, 0, 0, 0, 0, time.UTC))
	case w.is(wYear):
		m.from = ymd{y: p.Year() + dir}
	case w.is(wDaypart) && dir == 0:
		m.from = dayOf(p) // "this morning"
	case w.is(wNight) && dir < 0:
		m.from = dayOf(p.AddDate(0, 0, -1)) // "last night"
	case w.weekday > 0 || w.month > 0 && d.toks[j].upper || w.season > 0 || w.is(wQuarter) && dir != 0:
		m.from, m.to = d.relNamed(w, dir)
	default:
		return dateMention{}, false
	}
	return m, true
}

// relNamed resolves "last Monday", "next March", "this summer" and "last
// quarter": the named weekday, month, season or quarter before (dir -1),
// after (1) or around (0) publication.
func (d *reader) relNamed(w wordInfo, dir int) (from, to ymd) {
	p := d.rel
	switch {
	case w.weekday > 0:
		delta := int(w.weekday) - 1 - (int(p.Weekday())+6)%7
		if dir < 0 {
			// "last Thursday" written on a Friday is the Thursday of the
			// week before: the day before would be "Thursday" or
			// "yesterday".
			delta -= 7
		}
		if dir > 0 && delta <= 0 {
			delta += 7
		}
		return dayOf(p.AddDate(0, 0, delta)), ymd{}
	case w.month > 0:
		y, mo := p.Year(), int(w.month)
		if dir < 0 && mo >= int(p.Month()) {
			y--
		}
		if dir > 0 && mo <= int(p.Month()) {
			y++
		}
		return ymd{y: y, m: mo}, ymd{}
	case w.season > 0:
		s := d.x.seasons[w.season-1]
		y := p.Year()
		switch {
		case dir < 0 && int(p.Month()) <= s.last || dir < 0 && s.first > s.last:
			y--
		case dir > 0 && int(p.Month()) >= s.first:
			y++
		}
		return seasonSpan(s, y)
	}
	q, y := (int(p.Month())-1)/3+dir, p.Year()
	if q < 0 {
		q, y = 3, y-1
	}
	if q > 3 {
		q, y = 0, y+1
	}
	return ymd{y, q*3 + 1, 0}, ymd{y, q*3 + 3, 0}
}

// seasonSpan returns the months a season of year y covers.
func seasonSpan(s season, y int) (ymd, ymd) {
	if s.first > s.last {
		return ymd{y, s.first, 0}, ymd{y + 1, s.last, 0}
	}
	return ymd{y, s.first, 0}, ymd{y, s.last, 0}
}

// ago parses "two days ago", "3 weeks ago", "a year ago" at token i, whose
// value is v.
func (d *reader) ago(i, v int) (dateMention, bool) {
	if d.rel.IsZero() || v <= 0 || !d.word(i+2, wAgo) {
		return dateMention{}, false
	}
	p := d.rel
	m := dateMention{s: i, e: i + 3, conf: 0.75}
	switch {
	case d.word(i+1, wHour) && v <= 12:
		m.from, m.conf = dayOf(p), 0.7 // "two hours ago": the report's day
	case d.word(i+1, wDay):
		m.from = dayOf(p.AddDate(0, 0, -v))
	case d.word(i+1, wWeek):
		m.from = dayOf(p.AddDate(0, 0, -7*v))
		m.conf = 0.6
	case d.word(i+1, wMonth):
		m.from = monthOf(time.Date(p.Year(), p.Month()-time.Month(v), 1, 0, 0, 0, 0, time.UTC))
	case d.word(i+1, wYear):
		m.from = ymd{y: p.Year() - v}
		if d.word(i+3, wToday) || d.onThisDay(i) || d.anniversary {
			// "one year ago today", "on this day 30 years ago": the same
			// day of that year, as anniversary statements count
			m.from = dayOf(p.AddDate(-v, 0, 0))
			if d.word(i+3, wToday) {
				m.e++
			}
		}
	default:
		return dateMention{}, false
	}
	return m, true
}

// marksYearsSince reads "today marks five years since" at token i ("today"):
// the number of years and the token after "since", or 0.
func (d *reader) marksYearsSince(i int) (int, int) {
	if !d.lowIs(i+1, "marks") {
		return 0, 0
	}
	v := int(d.wi[i+2].number)
	if n, l := d.num(i + 2); l > 0 && l <= 2 {
		v = n
	}
	if v <= 0 || !d.word(i+3, wYear) || !d.word(i+4, wSince) {
		return 0, 0
	}
	return v, i + 5
}

// onThisDay reports whether "on this day" stands right before token i.
func (d *reader) onThisDay(i int) bool {
	return i >= 3 && d.word(i-3, wOn) && d.word(i-2, wThis) && d.word(i-1, wDay)
}

// modified parses "early 2024", "mid-2024", "the end of June", "late last
// year", "the end of the month", "the start of next week", the quarters ("the third quarter of 2024") and seasons ("summer
// 2024").
func (d *reader) modified(i int) (dateMention, bool) {
	w := d.wi[i]
	if w.ordinal > 0 && w.ordinal <= 4 {
		j := i + 1
		if d.dash(j) {
			j++
		}
		if d.word(j, wQuarter) {
			return d.quarter(i, j+1, int(w.ordinal))
		}
		if d.word(j, wHalf) && w.ordinal <= 2 {
			// "the first half of 2024", "the second half of last year"
			return d.monthSpan(i, j+1, int(w.ordinal)*6-5, int(w.ordinal)*6)
		}
	}
	if w.season > 0 {
		return d.seasonDate(i)
	}
	var lo, hi int
	switch {
	case w.is(wEarly):
		lo, hi = 1, 4
	case w.is(wMid):
		lo, hi = 5, 8
	case w.is(wLate):
		lo, hi = 9, 12
	default:
		return dateMention{}, false
	}
	j := i + 1
	if d.dash(j) && d.adjacent(i, 2) || d.word(j, wOf) {
		j++
	}
	m := dateMention{s: i, conf: 0.85}
	if y := d.year(j); y > 0 {
		m.from, m.to, m.e = ymd{y, lo, 0}, ymd{y, hi, 0}, j+1
		return m, true
	}
	if y, fut, l := d.relYear(j); l > 0 {
		m.from, m.to, m.e, m.future = ymd{y, lo, 0}, ymd{y, hi, 0}, j+l, fut
		return m, true
	}
	if d.month(j) > 0 {
		if mm, ok := d.monthDate(j); ok && mm.from.d == 0 {
			mm.s = i
			return mm, true
		}
		if !d.punct(j+1, ',') && d.day(j+1) == 0 {
			m.from, m.e, m.conf = ymd{m: d.month(j)}, j+1, 0.75
			return m, true
		}
	}
	if d.word(j, wThe) && !d.rel.IsZero() && !(d.word(i-1, wThe) && (d.word(i-2, wBefore) || d.word(i-2, wBy))) {
		// not "before the end of the year", "by the end of the month": a deadline, not when
		switch {
		case d.word(j+1, wMonth) || d.word(j+1, wWeek):
			// "at the end of the month", "the start of the week": this one
			if mm, ok := d.relUnit(j); ok {
				mm.s = i
				return mm, true
			}
		case d.word(j+1, wYear):
			y := d.rel.Year() // "by the end of the year"
			m.from, m.to, m.e = ymd{y, lo, 0}, ymd{y, hi, 0}, j+2
			return m, true
		}
	}
	if (d.word(j, wThis) || d.word(j, wLast) || d.word(j, wNext)) && (d.word(j+1, wMonth) || d.word(j+1, wWeek)) {
		if mm, ok := d.relUnit(j); ok {
			mm.s = i
			return mm, true
		}
	}
	return dateMention{}, false
}

// seasonDate parses "summer 2024", "summer of 2024", "winter last year" and
// a lone season after "in", "during" or "in the" (its year resolved later).
func (d *reader) seasonDate(i int) (dateMention, bool) {
	w := d.wi[i]
	s := d.x.seasons[w.season-1]
	j := i + 1
	if d.word(j, wOf) {
		j++
	}
	m := dateMention{s: i, conf: 0.85}
	if y := d.year(j); y > 0 {
		m.from, m.to = seasonSpan(s, y)
		m.e = j + 1
		return m, true
	}
	if y, fut, l := d.relYear(i + 1); l > 0 {
		m.from, m.to = seasonSpan(s, y)
		m.e, m.future = i+1+l, fut
		return m, true
	}
	if d.word(i-1, wIn) || d.word(i-1, wDuring) || d.word(i-1, wSince) || d.word(i-1, wBy) ||
		d.word(i-1, wThe) && (d.word(i-2, wIn) || d.word(i-2, wDuring)) { // "in the spring", "during the summer"
		m.from, m.to = seasonSpan(s, 0)
		m.to.y = 0
		m.e, m.conf = i+1, 0.7
		return m, true
	}
	return dateMention{}, false
}

// quarterToken returns 1..4 for a "Q1".."Q4" token, else 0.
func (d *reader) quarterToken(i int) int {
	t := d.toks[i]
	if t.kind != tokWord || t.end-t.start != 2 {
		return 0
	}
	b := d.low[t.start:t.end]
	if b[0] == 'q' && b[1] >= '1' && b[1] <= '4' {
		return int(b[1] - '0')
	}
	return 0
}

// quarter completes a quarter expression whose year may follow at token j.
func (d *reader) quarter(s, j, q int) (dateMention, bool) {
	return d.monthSpan(s, j, q*3-2, q*3)
}

// monthSpan completes a quarter or half year, months first to last, whose
// year may follow at token j.
func (d *reader) monthSpan(s, j, first, last int) (dateMention, bool) {
	m := dateMention{s: s, e: j, from: ymd{m: first}, to: ymd{m: last}, conf: 0.85}
	k := j
	if d.word(k, wOf) || d.punct(k, ',') {
		k++
	}
	if y := d.year(k); y > 0 {
		m.from.y, m.to.y, m.e = y, y, k+1
		return m, true
	}
	if y, fut, l := d.relYear(k); l > 0 {
		m.from.y, m.to.y, m.e, m.future = y, y, k+l, fut
		return m, true
	}
	m.conf = 0.7
	return m, true
}

// weekdayDate resolves a weekday standing alone ("on Monday", "said
// Monday") to the nearest such day on or before publication, or after it
// when the sentence speaks of the future.
func (d *reader) weekdayDate(i int) (dateMention, bool) {
	if d.rel.IsZero() {
		return dateMention{}, false
	}
	if d.word(i-1, wLast) || d.word(i-1, wNext) || d.word(i-1, wThis) {
		return dateMention{}, false // relUnit handles these
	}
	if t := d.toks[i]; t.end-t.start < 6 {
		return dateMention{}, false // "Sun", "Wed": only as part of a full date
	}
	p := d.rel
	cur := (int(p.Weekday()) + 6) % 7
	delta := int(d.wi[i].weekday) - 1 - cur
	future := d.future(i) || d.futureWeekdayBefore(i)
	if future {
		if delta < 0 {
			delta += 7
		}
	} else if delta > 0 {
		delta -= 7
	}
	m := dateMention{s: i, e: i + 1, from: dayOf(p.AddDate(0, 0, delta)), conf: 0.75, future: future && delta > 0}
	if d.punct(i+1, '\'') || d.punct(i+1, '’') {
		m.e = i + 1
	}
	return m, true
}

// futureWeekdayBefore reports whether the date just before token i in its
// sentence is a weekday to come: "will meet on Thursday, followed by a
// summit on Friday" names the Friday after it.
func (d *reader) futureWeekdayBefore(i int) bool {
	if len(d.dates) == 0 {
		return false
	}
	p := d.dates[len(d.dates)-1]
	return p.future && p.e == p.s+1 && d.sentOf[p.s] == d.sentOf[i] && d.wi[p.s].weekday > 0 && d.wi[i].weekday > d.wi[p.s].weekday
}

// namedDayNear reports whether a weekday or month is named right before or
// after token i ("Saturday overnight", "overnight into Sunday").
func (d *reader) namedDayNear(i int) bool {
	named := func(k int) bool {
		return k >= 0 && k < len(d.toks) && d.toks[k].kind == tokWord && (d.wi[k].weekday > 0 || d.month(k) > 0)
	}
	return named(i-1) || named(i+1) || named(i+2) && d.toks[i+1].kind == tokWord
}

// justDone reports whether "just" at token i stands between a present
// perfect's auxiliary and its past participle, or between the speaker
// and a past tense: "I've just spoken", "has just signed", "I just spoke
// with", not "just days after" or "had just left".
func (d *reader) justDone(i int) bool {
	if i == 0 || i+1 >= len(d.toks) || d.toks[i+1].kind != tokWord {
		return false
	}
	switch tokKey(d.toks[i-1], d.low) {
	case "have", "has", "ve", "i", "we":
	default:
		return false
	}
	next := d.low[d.toks[i+1].start:d.toks[i+1].end]
	return d.wi[i+1].past || len(next) > 3 && string(next[len(next)-2:]) == "ed"
}

// quoteReach bounds how far back on its line a quotation mark is looked
// for.
const quoteReach = 300

// quoted reports whether token i stands inside a quotation opened earlier
// on its line (its paragraph, once wrapped lines are joined).
func (d *reader) quoted(i int) bool {
	open := false
	for k := i - 1; k >= 0 && k >= i-quoteReach; k-- {
		switch {
		case d.punct(k, '“'):
			return !open
		case d.punct(k, '”'):
			return false
		case d.punct(k, '"'):
			open = !open
		}
		if d.toks[k].newline {
			break
		}
	}
	return open
}

// presentAge reports whether "today" or "tomorrow" at token i names an
// age, not a day: after "of" ("the challenges of today and tomorrow", "the
// leaders of tomorrow"), unless possessive ("as a result of today's
// actions").
func (d *reader) presentAge(i int) bool {
	if d.punct(i+1, '\'') || d.punct(i+1, '’') {
		return false
	}
	if d.word(i-1, wAnd) && (d.word(i-2, wToday) || d.word(i-2, wTomorrow)) {
		i -= 2 // "of today and tomorrow"
	}
	return d.word(i-1, wOf)
}
