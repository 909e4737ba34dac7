package extract

import (
	"slices"
	"sort"
)

// One verb often carries several dates: "carried out strikes on March 3,
// March 9, April 1 and April 20, 2025" is four strikes; "met on 6 and 7
// May" is two meetings (a span is written "6–7 May"); "spoke with the
// Foreign Minister of Japan on June 4 and with the Foreign Minister of
// Australia on June 5" is two calls. linkDateLists chains such dates, and
// a hit bound to one date of a chain is an event on each of them.
//
//   - A list: dates with nothing but commas, "and", "or" and a repeated
//     preposition between them. Its dates without a year take the year of
//     the next one that has it ("March 3, ... April 20, 2025"), a year
//     earlier when the month goes back ("December 28 and January 3, 2025").
//   - A conjunct: "... on June 4 and with the Foreign Minister of
//     Australia on June 5": between the dates only "and", prepositions,
//     determiners and capitalised names — no verb, so no event of its own.
//     Only the dates after the hit's own one are its.

// Kinds of link between a date and the next one.
const (
	noLink    uint8 = iota
	commaLink       // "March 3, March 9": a list only if an "and" or "or" ends it
	listLink        // "April 1 and April 20"
	conjLink        // "on June 4 and with ... on June 5"
)

// maxConjunctGap bounds the tokens between the dates of a conjunct.
const maxConjunctGap = 12

// splitDayPairs adds the second day of "June 19 and 20" and the first of
// "6 and 7 May", which the scanner leaves as a bare number, as a date of
// its own with the other's month and year.
func (d *reader) splitDayPairs() {
	n := len(d.dates)
	for k := 0; k < n; k++ {
		m := d.dates[k]
		if m.to.y != 0 || m.to.m != 0 || m.from.d == 0 || m.citation {
			continue
		}
		// "June 19 and 20": a day after the mention.
		if j := m.e; d.word(j, wAnd) && d.day(j+1) > m.from.d && d.month(j+2) == 0 && !d.date(j+1, n) {
			add := m
			add.s, add.e = j+1, j+2
			add.from.d = d.day(j + 1)
			add.conf = min(add.conf, 0.85)
			d.dates = append(d.dates, add)
		}
		// "6 and 7 May": a day before it.
		if i := m.s; i >= 2 && d.word(i-1, wAnd) && d.day(i-2) > 0 && d.day(i-2) < m.from.d && d.toks[i].kind == tokNum && !d.date(i-2, n) {
			add := m
			add.s, add.e = i-2, i-1
			add.from.d = d.day(i - 2)
			add.conf = min(add.conf, 0.85)
			d.dates = append(d.dates, add)
		}
	}
	if len(d.dates) > n {
		slices.SortFunc(d.dates, func(a, b dateMention) int { return a.s - b.s })
	}
}

// date reports whether one of the first n date mentions, sorted by
// position, covers token i. It is used before markDates.
func (d *reader) date(i, n int) bool {
	k := sort.Search(n, func(j int) bool { return d.dates[j].e > i })
	return k < n && d.dates[k].s <= i
}

// linkDateLists records, for each date, how it is coordinated with the
// next date of its sentence, and gives the dates of a list the year of
// the list.
func (d *reader) linkDateLists() {
	d.links = grow(d.links, len(d.dates))
	for k := 0; k+1 < len(d.dates); k++ {
		a, b := d.dates[k], d.dates[k+1]
		if d.sentOf[a.s] != d.sentOf[b.s] || b.s-a.e > maxConjunctGap || !listable(a) || !listable(b) {
			continue
		}
		d.links[k] = d.linkKind(a.e, b.s)
	}
	// A run of commas is a list only when "and" or "or" ends it; "three
	// weeks ago, on June 17" is one date said twice.
	for k := len(d.dates) - 2; k >= 0; k-- {
		if d.links[k] == commaLink && (k+1 >= len(d.links) || d.links[k+1] != listLink) {
			d.links[k] = noLink
		} else if d.links[k] == commaLink {
			d.links[k] = listLink
		}
	}
	for k := len(d.dates) - 2; k >= 0; k-- {
		if d.links[k] != listLink {
			continue
		}
		a, b := &d.dates[k], d.dates[k+1]
		if a.from.y == 0 && b.from.y != 0 && a.to.y == 0 && a.from.m != 0 && b.from.m != 0 {
			a.from.y = b.from.y
			if a.from.m > b.from.m {
				a.from.y-- // "December 28 and January 3, 2025"
			}
		}
	}
}

// listable reports whether date m may stand in a list: a date of its own,
// not one counted from another ("the day before", "two days after").
func listable(m dateMention) bool {
	return !m.citation && !m.anchored && !m.after && !m.onlyAfter && !m.barrier && !m.open
}

// linkKind classifies the tokens [s,e) between two dates.
func (d *reader) linkKind(s, e int) uint8 {
	if e <= s {
		return noLink
	}
	list, conj := true, false
	for i := s; i < e; i++ {
		t := d.toks[i]
		switch {
		case d.punct(i, ','):
		case t.kind != tokWord:
			return noLink
		case d.word(i, wAnd) || tokKey(t, d.low) == "or":
		case d.word(i, wOn) || d.word(i, wIn) || d.word(i, wAt):
		case d.word(i, wTo) || d.word(i, wFrom) || d.word(i, wBetween) || d.word(i, wUntil):
			return noLink // a span or a bound
		case d.hasCue(i, cueDeterminer) || d.word(i, wOf) || tokKey(t, d.low) == "with" || tokKey(t, d.low) == "against":
			list = false
			conj = true
		case t.upper && !d.trigAt[i]:
			list = false
			conj = true
		default:
			return noLink
		}
	}
	if !slices.ContainsFunc(d.toks[s:e], func(t token) bool { return t.kind == tokWord || t.r == ',' }) {
		return noLink
	}
	if list && d.hasAnd(s, e) {
		return listLink
	}
	if list {
		return commaLink
	}
	if conj && d.hasAnd(s, e) {
		return conjLink
	}
	return noLink
}

// hasAnd reports whether "and" or "or" lies in tokens [s,e).
func (d *reader) hasAnd(s, e int) bool {
	for i := s; i < e; i++ {
		if d.word(i, wAnd) || tokKey(d.toks[i], d.low) == "or" {
			return true
		}
	}
	return false
}

// coordinatedDates returns the other dates that date hit h along with date k:
// the whole list k is in, and the conjuncts after it.
func (d *reader) coordinatedDates(k int, h hit, out []int) []int {
	out = out[:0]
	if len(d.links) == 0 || h.fixed >= 0 && d.dates[h.fixed].s < h.end || h.anaphoric {
		return out // "Friday's signing": its one date; "the launches of July 3 and July 28": each
	}
	for j := k - 1; j >= 0 && d.links[j] == listLink; j-- {
		out = append(out, j)
	}
	for j := k; j+1 < len(d.dates) && d.links[j] != noLink; j++ {
		if d.links[j] == conjLink && d.dates[j+1].s < h.start {
			break
		}
		out = append(out, j+1)
	}
	return out
}
