package extract

import "github.com/dateline/dateline/internal/event"

// hit is a trigger accepted in a sentence, before events are built.
type hit struct {
	start, end int
	typ        int
	status     event.Status
	date       int // index into d.dates, -1 when unbound
	conf       float64
	sent       int32
	clause     int32
	dateWindow int
}

// statusWindow bounds, in tokens, how far before a trigger a modal or
// negation cue is looked for.
const statusWindow = 6

// findHits validates every trigger phrase (argument cues, negative cues,
// status) and binds each to a date: the nearest date of its own clause, else
// the nearest date of its sentence that lies in a clause with no trigger of
// its own. Triggers without a date are dropped.
func (d *reader) findHits() {
	for k, m := range d.found {
		if m.p.kind != payTrigger {
			continue
		}
		// Keep only the longest trigger starting here for this group.
		if k+1 < len(d.found) && d.found[k+1].start == m.start && d.found[k+1].p == m.p {
			continue
		}
		s, e := int(m.start), int(m.end)
		si := d.sentOf[s]
		if d.sents[si].excluded || d.inDate[s] != 0 || d.inEntity(s, e) {
			continue
		}
		tg := d.x.triggers[m.p.id]
		if tg.near >= 0 && !d.phraseNear(tg.near, s, e, tg.window, true) {
			continue
		}
		if tg.object >= 0 && !d.phraseNear(tg.object, s, e, tg.window, false) {
			continue
		}
		if neg := d.x.types[tg.typ].negative; neg >= 0 && d.phraseNear(neg, s, e, tg.window, true) {
			continue
		}
		st, ok := d.status(s)
		if !ok {
			continue
		}
		d.hits = append(d.hits, hit{start: s, end: e, typ: tg.typ, status: st, date: -1,
			conf: tg.weight, sent: si, clause: d.clause[s], dateWindow: tg.dateWindow})
	}
	d.bindDates()
}

// markDates records, per token, which date mention covers it (index+1).
func (d *reader) markDates() {
	d.inDate = grow(d.inDate, len(d.toks))
	for k, m := range d.dates {
		for i := m.s; i < m.e; i++ {
			d.inDate[i] = int32(k + 1)
		}
	}
}

// inEntity reports whether tokens [s,e) overlap an accepted gazetteer name.
func (d *reader) inEntity(s, e int) bool {
	for _, en := range d.ents {
		if en.start < e && s < en.end {
			return true
		}
		if en.start >= e {
			break
		}
	}
	return false
}

// phraseNear reports whether a phrase of set id occurs within window tokens
// after the trigger [s,e), or also before it when both is true, in the
// same clause. Overlapping the trigger counts.
func (d *reader) phraseNear(set int32, s, e, window int, both bool) bool {
	lo := s
	if both {
		lo = s - window
	}
	hi := e + window
	cl := d.clause[s]
	for i := max(lo-maxPhrase, 0); i < min(hi, len(d.toks)); i++ {
		if d.clause[i] != cl {
			continue
		}
		for _, m := range d.phrasesAt(i) {
			if m.p.kind == payPhrase && m.p.id == set && int(m.end) > lo && int(m.start) < hi {
				if !both && int(m.start) < e {
					continue
				}
				return true
			}
		}
	}
	return false
}

// phrasesAt returns the dictionary matches starting at token i.
func (d *reader) phrasesAt(i int) []match {
	k := d.firstFound(i)
	j := k
	for j < len(d.found) && int(d.found[j].start) == i {
		j++
	}
	return d.found[k:j]
}

// firstFound returns the index of the first match starting at or after i.
func (d *reader) firstFound(i int) int {
	lo, hi := 0, len(d.found)
	for lo < hi {
		mid := (lo + hi) / 2
		if int(d.found[mid].start) < i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// status reads the cues before a trigger at token s: a hypothetical cue in
// its clause drops it (ok false), a negation makes it denied, a plan cue
// planned.
func (d *reader) status(s int) (event.Status, bool) {
	sent := d.sents[d.sentOf[s]]
	cl := d.clause[s]
	speech := false
	for i := sent.start; i < s; i++ {
		if d.cueAt[i]&(1<<cueSpeech) != 0 {
			speech = true
		}
		if d.clause[i] != cl || d.cueAt[i]&(1<<cueHypothetical) == 0 || d.inDate[i] != 0 {
			continue
		}
		if d.cueAt[i]&(1<<cueReportedPlan) != 0 && speech {
			continue
		}
		return "", false
	}
	for i := s - 1; i >= max(s-statusWindow, sent.start) && d.clause[i] == cl; i-- {
		c := d.cueEnd[i]
		if d.inDate[i] != 0 {
			continue
		}
		switch {
		case c&(1<<cueReportedPlan) != 0 && speech:
			return event.Planned, true
		case c&(1<<cueDenied) != 0:
			return event.Denied, true
		case c&(1<<cuePlanned) != 0:
			return event.Planned, true
		}
	}
	return event.Occurred, true
}

// bindDates gives every hit the nearest usable date; hits without one are
// removed.
func (d *reader) bindDates() {
	owned := map[int32]bool{}
	for _, h := range d.hits {
		owned[h.clause] = true
	}
	out := d.hits[:0]
	for _, h := range d.hits {
		sent := d.sents[h.sent]
		best, bestDist, own := -1, 1<<30, false
		for i := sent.start; i < sent.end; i++ {
			k := int(d.inDate[i]) - 1
			if k < 0 || (i > sent.start && d.inDate[i-1] == d.inDate[i]) {
				continue
			}
			m := d.dates[k]
			if !m.ok || m.citation || m.open && d.x.types[h.typ].noOpenSpans {
				continue
			}
			if m.modifier && (m.e != h.start || d.clause[m.s] != h.clause) {
				continue
			}
			sameClause := d.clause[m.s] == h.clause || d.clause[m.e-1] == h.clause
			if m.dateline {
				sameClause = false
			} else if !sameClause && owned[d.clause[m.s]] {
				continue
			}
			dist := m.s - h.end
			if m.e <= h.start {
				dist = h.start - m.e
			}
			if dist < 0 {
				dist = 0
			}
			if h.dateWindow > 0 && (dist > h.dateWindow || m.e <= h.start && dist > 1) {
				continue
			}
			if d.reserved(m, h) {
				continue
			}
			if m.dateline {
				dist += 1000 // the filing date dates nothing else is found for
			}
			if sameClause && !own || sameClause == own && dist < bestDist {
				best, bestDist, own = k, dist, sameClause
			}
		}
		if best < 0 {
			continue
		}
		m := d.dates[best]
		h.date = best
		h.conf *= m.conf
		if !own {
			h.conf *= 0.85
		}
		if h.status == event.Occurred && (m.future || d.after(m.from)) {
			h.status = event.Planned
		}
		out = append(out, h)
	}
	d.hits = out
	d.absorb()
}

// reserved reports whether date m modifies another hit's trigger right
// after it ("the July 28 presidential election") and so is not h's.
func (d *reader) reserved(m dateMention, h hit) bool {
	if h.start >= m.e && h.start <= m.e+2 {
		return false
	}
	for _, g := range d.hits {
		if g.sent == h.sent && g.start >= m.e && g.start <= m.e+2 && g.typ != h.typ {
			return true
		}
	}
	return false
}

// absorb drops hits that are part of an earlier hit's event: same clause,
// same date, no comma between, and a type the later one is absorbed by.
func (d *reader) absorb() {
	out := d.hits[:0]
	for k, h := range d.hits {
		absorbed := false
		for _, g := range d.hits[:k] {
			if g.clause != h.clause || g.date != h.date || g.end > h.start {
				continue
			}
			for _, a := range d.x.types[h.typ].absorbedBy {
				if a == g.typ && !d.commaBetween(g.end, h.start) {
					absorbed = true
				}
			}
		}
		if !absorbed {
			out = append(out, h)
		}
	}
	d.hits = out
}

func (d *reader) commaBetween(s, e int) bool {
	for i := s; i < e; i++ {
		if d.punct(i, ",") {
			return true
		}
	}
	return false
}
