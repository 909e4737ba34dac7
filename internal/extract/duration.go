package extract

// maxLasting bounds the days an ended event may be said to have lasted.
const maxLasting = 31

// lasting returns how many days the event of the trigger at s lasted when
// its clause says so and says it ended: "the two-day summit ended on
// Monday", "concluded three days of talks". Dated by its last day, such an
// event began days-1 days before. It returns 0 otherwise.
func (d *reader) lasting(s int) int {
	day := false
	for k := max(s-6, 0); k < s; k++ {
		day = day || d.wi[k].is(wDay)
	}
	if !day {
		return 0 // no "day" or "days" before it: nothing lasted
	}
	n := 0
	for k := s - 1; k >= 0 && k >= s-7 && d.clause[k] == d.clause[s]; k-- {
		switch {
		case d.dash(k+1) && d.word(k+2, wDay) && k+3 <= s: // "two-day"
			n = d.count(k)
		case d.word(k+1, wDay) && d.word(k+2, wOf) && k+3 <= s: // "three days of (military) drills"
			n = d.count(k)
		}
		if n > 0 {
			break
		}
	}
	if n < 2 || n > maxLasting || !d.endedInClause(s) {
		return 0
	}
	return n
}

// count returns the number written at token k ("two", "3"), or 0.
func (d *reader) count(k int) int {
	if d.toks[k].kind == tokNum {
		if v, l := d.num(k); l <= 2 {
			return v
		}
		return 0
	}
	return int(d.wi[k].number)
}

// endedInClause reports whether an ending verb occurs in the clause of
// token s.
func (d *reader) endedInClause(s int) bool {
	cl := d.clause[s]
	for k := s; k >= 0 && d.clause[k] == cl; k-- {
		if d.cueAt[k]&(1<<cueEnding) != 0 {
			return true
		}
	}
	for k := s + 1; k < len(d.toks) && d.clause[k] == cl; k++ {
		if d.cueAt[k]&(1<<cueEnding) != 0 {
			return true
		}
	}
	return false
}

// lastedSpan returns mention m turned into the span of an event of days
// days that ended on m's day; other mentions are returned unchanged.
func lastedSpan(m dateMention, days int) dateMention {
	if days < 2 || m.from.d == 0 || m.to.y != 0 || m.open {
		return m
	}
	t := first(m.from)
	m.to = m.from
	m.from = dayOf(t.AddDate(0, 0, 1-days))
	return m
}
