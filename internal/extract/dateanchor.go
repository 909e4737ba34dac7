package extract

import "time"

// anchored parses dates relative to another date of the text: "the next
// day", "the following morning", "the previous day", "that evening", "the
// same day", "hours later", "four days later", "a day after", "a week
// earlier". The anchor is found by resolveAnchored.
func (d *reader) anchored(i int) (dateMention, bool) {
	m := dateMention{s: i, conf: 0.75, anchored: true}
	dayish := func(k int) bool { return d.word(k, wDay) || d.word(k, wDaypart) }
	switch {
	case d.punct(i-1, ',') && (d.word(i, wDay) || d.word(i, wWeek) || d.word(i, wMonth) || d.word(i, wHour)) &&
		(d.word(i+1, wAfter) || d.word(i+1, wBefore)):
		// ", days after Russia invaded Ukraine": no count, no date, but
		// what follows is not dated by the clause before.
		return dateMention{s: i, e: i + 2, barrier: true}, true
	case d.word(i, wThe) && (d.word(i+1, wNext) || d.word(i+1, wLast)) && (dayish(i+2) || d.word(i+2, wWeek)) && !d.plural(i+2):
		// "the following day"; "over the following days" names no day.
		m.shift = 1
		if d.word(i+2, wWeek) {
			m.shift = 7
		}
		if d.word(i+1, wLast) {
			m.shift = -m.shift
		}
		m.e = i + 3
	case d.word(i, wThe) && d.word(i+1, wDay) && (d.word(i+2, wBefore) || d.word(i+2, wAfter)) &&
		!d.word(i+3, wThe) && !d.word(i+3, wIn) && !d.word(i+3, wOn):
		m.shift = 1
		if d.word(i+2, wBefore) {
			m.shift = -1
		}
		m.e = i + 3
	case d.word(i, wThe) && d.word(i+1, wNext) && d.month(i+2) > 0 && d.day(i+3) == 0 && d.year(i+3) == 0:
		// "the National Assembly was inaugurated the following December":
		// the first December after the story's date.
		m.nextMonth, m.e = d.month(i+2), i+3
	case d.word(i, wThe) && (d.word(i+1, wNext) || d.word(i+1, wLast)) && (d.word(i+2, wYear) || d.word(i+2, wMonth)) && !d.plural(i+2):
		// "kidnapping him the previous year": the year before the story's;
		// "the following month"
		m.years, m.months, m.shift, m.e = d.word(i+2, wYear), d.word(i+2, wMonth), 1, i+3
		if d.word(i+1, wLast) {
			m.shift = -1
		}
	case (d.word(i, wThat) || d.word(i, wThe) && d.word(i+1, wSame)) && d.word(i+1+btoi(d.word(i, wThe)), wYear) && !d.plural(i+1+btoi(d.word(i, wThe))):
		m.years, m.e = true, i+2+btoi(d.word(i, wThe)) // "later that year", "the same year"
	case (d.word(i, wThat) || d.word(i, wThe) && d.word(i+1, wSame)) && d.word(i+1+btoi(d.word(i, wThe)), wMonth) && !d.plural(i+1+btoi(d.word(i, wThe))):
		m.months, m.e = true, i+2+btoi(d.word(i, wThe)) // "later that month", "the same month"
	case d.word(i, wThat) && dayish(i+1):
		m.e = i + 2
	case d.word(i, wThe) && d.word(i+1, wSame) && dayish(i+2):
		m.e = i + 3
	case d.word(i, wHour) && (d.word(i+1, wLater) || d.word(i+1, wEarlier)):
		m.e = i + 2
	case (d.word(i, wLater) || d.word(i, wEarlier)) && d.word(i+1, wThat) && dayish(i+2):
		m.e = i + 3
	default:
		n := int(d.wi[i].number)
		if d.toks[i].kind == tokNum {
			n, _ = d.num(i)
		}
		return d.shifted(i, n)
	}
	return m, true
}

// shifted parses "N days later", "a week earlier", "two days after" whose
// count n is at token i.
func (d *reader) shifted(i, n int) (dateMention, bool) {
	if n <= 0 || n > 60 {
		return dateMention{}, false
	}

	m := dateMention{s: i, e: i + 3, conf: 0.7, anchored: true}
	switch {
	case d.word(i+1, wDay):
	case d.word(i+1, wWeek):
		n *= 7
	case d.word(i+1, wMonth) && d.word(i+2, wLater):
		m.months = true // "two months later"
	case d.word(i+1, wYear) && (d.word(i+2, wLater) || d.word(i+2, wEarlier)) && n <= 30:
		m.years = true // "Three years later, the southern government adopted ..."
	default:
		return dateMention{}, false
	}
	switch {
	case d.word(i+2, wLater):
		m.shift = n
	case d.word(i+2, wEarlier):
		m.shift = -n
	case d.word(i+2, wAfter) && d.punct(i-1, ','):
		m.shift, m.after = n, true
	case d.word(i+2, wAfter) && d.word(i-1, wSequence):
		// "The announcement came a day after Russia struck Kharkiv": what
		// follows happened n days before the story's last date.
		m.shift, m.onlyAfter = -n, true
	case d.word(i+2, wBefore) && d.punct(i-1, ','):
		m.shift, m.after = -n, true
	default:
		return dateMention{}, false
	}
	return m, true
}

// resolveAnchored dates anchored mentions from the nearest day-precision
// date of their sentence, else the last one before it. "A day after"
// within a sentence that has its own date counts back from that date ("on
// Tuesday, a day after protesters stormed parliament" is Monday); opening a
// sentence it counts forward from the earlier date.
func (d *reader) resolveAnchored() {
	for k := range d.dates {
		m := &d.dates[k]
		if !m.anchored {
			continue
		}
		m.ok = false
		sent := d.sentOf[m.s]
		best, bestDist, same := -1, 1<<30, false
		for j := max(k-contextReach, 0); j < len(d.dates) && j <= k+contextReach; j++ {
			c := d.dates[j]
			if j == k || !c.ok || c.citation || c.from.d == 0 && !m.years && !(m.months || m.nextMonth > 0 && c.from.m > 0) || c.from.y == 0 || c.to.y != 0 && !m.years || c.anchored && j > k {
				continue
			}
			cs := d.sentOf[c.s]
			if (m.years || m.months || m.nextMonth > 0) && c.s > m.s {
				continue // "later that year": a year told before, not one the sentence goes on to
			}
			if m.onlyAfter && cs >= sent {
				continue // "came a day after": anchored on the story so far
			}
			if cs == sent && (!m.after || c.e <= m.s) {
				dist := abs(c.s - m.s)
				if c.dateline {
					dist += 1000
				}
				if !same || dist < bestDist {
					best, bestDist, same = j, dist, true
				}
				continue
			}
			if !same && !m.after && cs < sent && !d.sents[cs].excluded && (best < 0 || j > best) {
				best = j
			}
		}
		if best < 0 {
			continue
		}
		shift := m.shift
		if m.after && same {
			shift = -shift
		}
		if same && !m.after && !m.onlyAfter && d.dates[best].s >= m.e && !d.dates[best].anchored {
			shift = 0 // "A week later, on April 22": the date restates the shift
		}
		if m.years {
			y := d.dates[best].from.y
			if to := d.dates[best].to.y; to != 0 && m.shift > 0 {
				y = to // "from 2005 to 2007 ... the following year": 2008
			}
			m.from, m.ok = ymd{y: y + m.shift}, true
			m.conf *= d.dates[best].conf
			continue
		}
		if m.nextMonth > 0 {
			b := d.dates[best].from
			y := b.y
			if b.m >= m.nextMonth {
				y++
			}
			m.from, m.ok = ymd{y: y, m: m.nextMonth}, true
			m.conf *= d.dates[best].conf
			continue
		}
		if m.months && d.dates[best].from.m == 0 {
			// "A year later, ... Two months later": the story is in a year
			// whose month it never said.
			m.from, m.ok = ymd{y: d.dates[best].from.y}, true
			m.conf *= d.dates[best].conf
			continue
		}
		if m.months {
			b := d.dates[best].from
			t := time.Date(b.y, time.Month(b.m)+time.Month(m.shift), 1, 0, 0, 0, 0, time.UTC)
			m.from, m.ok = monthOf(t), true
			m.conf *= d.dates[best].conf
			continue
		}
		t := first(d.dates[best].from).AddDate(0, 0, shift)
		m.from, m.ok = dayOf(t), true
		m.conf *= d.dates[best].conf
	}
}

// plural reports whether word token i ends in "s" ("days", "weeks").
func (d *reader) plural(i int) bool {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tokWord {
		return false
	}
	t := d.toks[i]
	return t.end-t.start > 3 && d.low[t.end-1] == 's'
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// btoi returns 1 for true, 0 for false.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
