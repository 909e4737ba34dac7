package extract

// numericOrder infers, for a document without a locale, whether its
// ambiguous numeric dates ("05/12/2022") put the day first (1) or the
// month first (-1), or cannot tell (0). The document decides: an
// unambiguous numeric date ("22/02/2022" is day first, "02/22/2022" month
// first) settles it; failing that, written dates vote by their order ("22
// February" against "February 22"). The answer is computed once per
// document.
func (d *reader) numericOrder() int {
	if d.order != 0 {
		return int(d.order) - 2
	}
	dayFirst, monthFirst, written := 0, 0, 0
	for i := 0; i+4 < len(d.toks); i++ {
		if d.toks[i].kind != tokNum {
			if d.month(i) > 0 {
				switch {
				case d.day(i-1) > 0 || d.day(i-2) > 0 && d.word(i-1, wOf):
					written++ // "22 February", "22nd of February"
				case d.day(i+1) > 0 || d.punct(i+1, '.') && d.day(i+2) > 0:
					written-- // "February 22", "Feb. 22"
				}
			}
			continue
		}
		sep := i + 1
		if !(d.punct(sep, '/') || d.punct(sep, '.') || d.dash(sep)) || !d.adjacent(i, 5) || !d.punct(i+3, d.toks[sep].r) {
			continue
		}
		a, la := d.num(i)
		b, lb := d.num(i + 2)
		if la > 2 || lb > 2 {
			continue
		}
		switch {
		case a > 12 && b <= 12:
			dayFirst++
		case b > 12 && a <= 12:
			monthFirst++
		}
	}
	v := 0
	switch {
	case dayFirst > monthFirst:
		v = 1
	case monthFirst > dayFirst:
		v = -1
	case written >= 2:
		v = 1
	case written <= -2:
		v = -1
	}
	d.order = int8(v + 2)
	return v
}

// ordinalDay parses a day of the month named alone, "on the 14th": its
// month is that of the last date the text named before it, else the
// publication month, stepping back a month when that would put it after
// publication. Followed by a noun ("the 14th round") it is no date.
func (d *reader) ordinalDay(i int) (dateMention, bool) {
	if d.toks[i].kind != tokWord || !d.word(i-1, wThe) || !d.word(i-2, wOn) {
		return dateMention{}, false
	}
	if n := i + 1; n < len(d.toks) && d.toks[n].kind == tokWord && !d.hasCue(n, cueClauseBreak) {
		return dateMention{}, false
	}
	dd := d.day(i)
	m := dateMention{s: i, e: i + 1, conf: 0.7}
	for j := len(d.dates) - 1; j >= 0 && j >= len(d.dates)-contextReach; j-- {
		if c := d.dates[j]; !c.citation && !c.anchored && !c.barrier && c.from.m != 0 {
			m.from = ymd{c.from.y, c.from.m, dd}
			if c.to.m != 0 {
				m.from = ymd{c.to.y, c.to.m, dd}
			}
			return m, true
		}
	}
	if d.rel.IsZero() {
		return dateMention{}, false
	}
	p := d.rel
	if dd > p.Day() && !d.future(i) {
		p = p.AddDate(0, -1, 0)
	}
	m.from = ymd{p.Year(), int(p.Month()), dd}
	return m, true
}
