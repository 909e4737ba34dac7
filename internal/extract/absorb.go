package extract

import "slices"

// Some hits are part of another event of their clause: "an airstrike
// killed 12" is one strike, "condemned the strike" a statement about it.
// absorb drops them after dates are bound.

// absorb drops hits that are part of an earlier hit's event: same clause,
// same date, no comma between, and a type the later one is absorbed by.
func (d *reader) absorb() {
	drop := grow(d.absorbed, len(d.hits))
	d.absorbed = drop
	for k, h := range d.hits {
		// Hits are in text order, so a sentence's hits are contiguous.
		lo, hi := k, k
		for lo > 0 && d.hits[lo-1].sent == h.sent {
			lo--
		}
		for hi+1 < len(d.hits) && d.hits[hi+1].sent == h.sent {
			hi++
		}
		for _, g := range d.hits[lo : hi+1] {
			if tw := d.x.types[g.typ].topicWindow; tw > 0 && g.typ != h.typ && g.clause == h.clause && g.date == h.date && g.bind != bindBorrowed &&
				h.start >= g.end && h.start-g.end <= tw && d.onlyDeterminers(g.end, d.phraseStart(h, lo, hi)) {
				drop[k] = true // "condemned the strike on Monday": the strike is the topic
			}
			if g.date != h.date {
				continue
			}
			if g.clause != h.clause {
				// "Hezbollah terrorists killed 241 ... — including 220 Marines
				// — in a truck bombing": the toll of the sentence's attack.
				if d.x.types[h.typ].absorbedInSentence && slices.Contains(d.x.types[h.typ].absorbedBy, g.typ) &&
					d.x.types[g.typ].topicWindow == 0 {
					drop[k] = true
				}
				continue
			}
			if h.anaphoric && !g.anaphoric && g.start != h.start && d.x.types[g.typ].topicWindow == 0 &&
				!slices.Contains(d.x.types[g.typ].absorbedBy, h.typ) {
				drop[k] = true // "the measures, agreed in principle on Jun. 20": one event, told by its trigger
			}
			for _, a := range d.x.types[h.typ].absorbedBy {
				if a != g.typ {
					continue // ", killing four people" is the strike's toll too
				}
				if d.x.types[h.typ].topicWindow > 0 && (g.end <= h.start || h.end <= g.start) {
					continue // "Caracas called the sanctions a crime": a reaction to the event, not its announcement
				}
				drop[k] = true // "signed Executive Order 13551": the sanction, not also a statement
			}
		}
	}
	out := d.hits[:0]
	for k, h := range d.hits {
		if !drop[k] {
			out = append(out, h)
		} else {
			d.rejectHit(h, "part of another event of its clause (absorbed, or the topic of a statement)")
		}
	}
	d.hits = out
}

// phraseStart returns where the trigger phrase of h begins, counting the
// longer triggers of its type that end with it ("missile strike" for
// "strike"); hits[lo:hi+1] are its sentence's.
func (d *reader) phraseStart(h hit, lo, hi int) int {
	start := h.start
	for _, g := range d.hits[lo : hi+1] {
		if g.typ == h.typ && g.start < start && g.end >= h.start {
			start = g.start
		}
	}
	return start
}

// onlyDeterminers reports whether tokens [s,e) are all determiners ("the",
// "its"): what follows them is the object of what precedes.
func (d *reader) onlyDeterminers(s, e int) bool {
	for i := s; i < e; i++ {
		if !d.hasCue(i, cueDeterminer) && !d.endsCue(i, cueDeterminer) {
			return false
		}
	}
	return true
}

// afterComma reports whether token i follows a comma, or a comma and
// "and" (", setting fire to homes and killing 40").
func (d *reader) afterComma(i int) bool {
	return d.punct(i-1, ',') || d.word(i-1, wAnd)
}

// participle reports whether token i is a present participle ("killing"),
// which after a comma opens a clause of its own.
func (d *reader) participle(i int) bool {
	t := d.toks[i]
	w := d.low[t.start:t.end]
	for _, suf := range d.x.participles {
		if len(w) > len(suf)+2 && string(w[len(w)-len(suf):]) == suf {
			return true
		}
	}
	return false
}
