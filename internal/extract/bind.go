package extract

import (
	"slices"
	"sort"

	"github.com/dateline/dateline/internal/event"
)

// bindDates gives every hit the nearest usable date; hits without one are
// removed.
func (d *reader) bindDates() {
	// A clause with a trigger of its own keeps its dates, except from
	// reporting verbs ("confirmed on Monday"), whose date is shared.
	owned := grow(d.owned, len(d.futureCl))
	d.owned = owned
	for _, h := range d.hits {
		if h.dateWindow == 0 && !d.word(h.start-1, wOf) && !(d.word(h.start-1, wThe) && d.word(h.start-2, wOf)) {
			owned[h.clause] = true // "the bloodiest day of the uprising" owns nothing
		}
	}
	d.nearestHit = grow(d.nearestHit, len(d.dates))
	for k, m := range d.dates {
		d.nearestHit[k] = 1 << 30
		sent := d.sents[d.sentOf[m.s]]
		first := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= sent.start })
		for _, h := range d.hits[first:] {
			if h.start >= sent.end {
				break
			}
			if h.dateWindow == 0 {
				d.nearestHit[k] = min(d.nearestHit[k], gap(h, m))
			}
		}
	}
	out := make([]hit, 0, len(d.hits))
	for _, h := range d.hits {
		best, own := d.bestDate(h, owned)
		if best < 0 {
			d.orphans = append(d.orphans, h)
			continue
		}
		m := d.dates[best]
		h.date = best
		// "since 1980, when troops crushed an uprising": the since-span
		// of one clause dates an event of another at its start.
		h.point = m.open && d.clause[m.s] != h.clause
		h.conf *= m.conf
		if !own {
			h.conf *= 0.85
		}
		if h.status == event.Occurred && (m.future || d.after(m.from)) {
			h.status = event.Planned
		}
		if st := d.x.types[h.typ].statuses; len(st) > 0 && !slices.Contains(st, string(h.status)) {
			continue
		}
		out = append(out, h)
	}
	d.hits = out
	d.absorb()
}

// bestDate returns the date mention that dates hit h, -1 when none, and
// whether it lies in h's own clause. Own-clause dates win; then the
// nearest, a date after the trigger winning ties.
func (d *reader) bestDate(h hit, owned []bool) (int, bool) {
	sent := d.sents[h.sent]
	best, bestDist, own := -1, 1<<30, false
	for i := sent.start; i < sent.end; i++ {
		k := int(d.inDate[i]) - 1
		if k < 0 || (i > sent.start && d.inDate[i-1] == d.inDate[i]) {
			continue
		}
		m := d.dates[k]
		if !m.ok || m.citation || m.dateline || m.open && d.x.types[h.typ].noOpenSpans {
			continue
		}
		if m.onlyAfter && h.start < m.s || d.barrierBetween(m, h) {
			continue
		}
		if m.modifier && (m.e != h.start || d.clause[m.s] != h.clause) {
			continue
		}
		sameClause := d.clause[m.s] == h.clause || d.clause[m.e-1] == h.clause
		if !sameClause && owned[d.clause[m.s]] {
			continue
		}
		dist := gap(h, m)
		if dist > d.nearestHit[k]+2 {
			dist += 15 // the date is another trigger's: take it only if nothing else is near
		}
		opening := m.s <= sent.start+1 && d.punct(m.e, ',') && !h.remembered // "On Monday, ...": dates the whole sentence
		if h.dateWindow > 0 && !opening && (dist > h.dateWindow || m.e <= h.start && (dist > 1 || d.punctBetween(m.e, h.start))) {
			continue
		}
		if d.reserved(m, h) {
			continue
		}
		if d.weakDate(m) {
			if d.after(m.from) && d.word(m.s-1, wBy) {
				continue // "by 2030": a projection
			}
			dist += 20 // "until December": a bound, not a date of the event
		}
		if m.e <= h.start {
			dist++ // on a tie, the date after the trigger wins
		}
		if sameClause && !own || sameClause == own && dist < bestDist {
			best, bestDist, own = k, dist, sameClause
		}
	}
	return best, own
}

// barrierBetween reports whether a ", days after" barrier lies between an
// earlier date m and the trigger of h after it.
func (d *reader) barrierBetween(m dateMention, h hit) bool {
	if m.e > h.start {
		return false
	}
	for i := m.e; i < h.start; i++ {
		if k := d.inDate[i]; k != 0 && d.dates[k-1].barrier {
			return true
		}
	}
	return false
}

// gap returns the tokens between hit h and date mention m.
func gap(h hit, m dateMention) int {
	if m.e <= h.start {
		return h.start - m.e
	}
	return max(m.s-h.end, 0)
}

// weakDate reports whether a date follows "until", "by", "before" or
// "after" outside a span: a bound rather than the date of an event.
func (d *reader) weakDate(m dateMention) bool {
	return m.to.y == 0 && (d.word(m.s-1, wUntil) || d.word(m.s-1, wBy) || d.word(m.s-1, wBefore) || d.word(m.s-1, wAfter))
}

// reserved reports whether date m modifies another hit's trigger right
// after it ("the July 28 presidential election") and so is not h's.
func (d *reader) reserved(m dateMention, h hit) bool {
	if h.start >= m.e && h.start <= m.e+2 || d.word(m.e, wTo) || m.anchored {
		return false // "on February 3 to postpone it": not a modifier
	}
	if d.word(m.s-1, wOn) || d.word(m.s-1, wIn) || d.word(m.s-1, wAt) || d.endsCue(m.s-1, cueYearPrep) {
		return false // "on Tuesday announced": an adverb, not a modifier
	}
	k := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= m.e })
	for ; k < len(d.hits) && d.hits[k].start <= m.e+1; k++ {
		g := d.hits[k]
		if g.sent != h.sent || g.typ == h.typ {
			continue
		}
		// "the July 28 election", "its July 28 presidential election"
		if g.start == m.e || d.toks[m.e].kind == tokWord && !d.toks[m.e].upper {
			return true
		}
	}
	return false
}
