package extract

import (
	"slices"
	"sort"

	"github.com/dateline/dateline/internal/event"
)

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
	// remembered is an event recalled by an anniversary: the day it is
	// marked does not date it.
	remembered bool
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
		if tg.anaphoric && !d.seenType(tg.typ) {
			continue
		}
		if tg.near >= 0 && !d.phraseNear(tg.near, s, e, tg.window, true, false) {
			continue
		}
		if tg.object >= 0 && !d.phraseNear(tg.object, s, e, tg.window, false, false) {
			continue
		}
		if neg, nw := d.x.types[tg.typ].negative, d.negWindow(tg); neg >= 0 && d.phraseNear(neg, s, e, nw, true, true) {
			continue
		}
		st, ok := d.status(s)
		if !ok {
			continue
		}
		h := hit{start: s, end: e, typ: tg.typ, status: st, date: -1,
			conf: tg.weight, sent: si, clause: d.clause[s], dateWindow: tg.dateWindow}
		if d.commemorated(s) {
			h.remembered = true // "the anniversary of the invasion": only its own date dates it
			if h.dateWindow == 0 || h.dateWindow > 3 {
				h.dateWindow = 3
			}
		}
		d.hits = append(d.hits, h)
	}
	d.bindDates()
}

// negWindow returns how far negative phrases reach from trigger tg.
func (d *reader) negWindow(tg trig) int {
	if w := d.x.types[tg.typ].negWindow; w > 0 {
		return w
	}
	return tg.window
}

// commemorated reports whether a commemoration cue ("the anniversary
// of") comes shortly before the trigger at s in its clause.
func (d *reader) commemorated(s int) bool {
	for k := s - 1; k >= 0 && k >= s-6 && d.clause[k] == d.clause[s]; k-- {
		if d.cueAt[k]&(1<<cueCommemoration) != 0 {
			return true
		}
	}
	return false
}

// seenType reports whether a hit of type typ was accepted already.
func (d *reader) seenType(typ int) bool {
	for _, h := range d.hits {
		if h.typ == typ {
			return true
		}
	}
	return false
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
// same clause. A phrase overlapping the trigger counts; one inside it
// counts only when self is true (negatives such as "hunger strike").
func (d *reader) phraseNear(set int32, s, e, window int, both, self bool) bool {
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
				if !both && int(m.start) < e || !self && int(m.start) >= s && int(m.end) <= e {
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
	return d.found[d.foundAt[i]:d.foundAt[i+1]]
}

// indexFound records where each token's matches start in d.found.
func (d *reader) indexFound() {
	d.foundAt = grow(d.foundAt, len(d.toks)+1)
	k := 0
	for i := 0; i <= len(d.toks); i++ {
		for k < len(d.found) && int(d.found[k].start) < i {
			k++
		}
		d.foundAt[i] = int32(k)
	}
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
	// A clause with a trigger of its own keeps its dates, except from
	// reporting verbs ("confirmed on Monday"), whose date is shared.
	owned := map[int32]bool{}
	for _, h := range d.hits {
		if h.dateWindow == 0 && !d.word(h.start-1, wOf) && !(d.word(h.start-1, wThe) && d.word(h.start-2, wOf)) {
			owned[h.clause] = true // "the bloodiest day of the uprising" owns nothing
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
func (d *reader) bestDate(h hit, owned map[int32]bool) (int, bool) {
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
		if m.modifier && (m.e != h.start || d.clause[m.s] != h.clause) {
			continue
		}
		sameClause := d.clause[m.s] == h.clause || d.clause[m.e-1] == h.clause
		if !sameClause && owned[d.clause[m.s]] {
			continue
		}
		dist := max(m.s-h.end, 0)
		if m.e <= h.start {
			dist = h.start - m.e
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

// weakDate reports whether a date follows "until", "by", "before" or
// "after" outside a span: a bound rather than the date of an event.
func (d *reader) weakDate(m dateMention) bool {
	return m.to.y == 0 && (d.word(m.s-1, wUntil) || d.word(m.s-1, wBy) || d.word(m.s-1, wBefore) || d.word(m.s-1, wAfter))
}

// reserved reports whether date m modifies another hit's trigger right
// after it ("the July 28 presidential election") and so is not h's.
func (d *reader) reserved(m dateMention, h hit) bool {
	if h.start >= m.e && h.start <= m.e+2 {
		return false
	}
	k := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= m.e })
	for ; k < len(d.hits) && d.hits[k].start <= m.e+2; k++ {
		if g := d.hits[k]; g.sent == h.sent && g.typ != h.typ && !d.punctBetween(m.e, g.start) {
			return true
		}
	}
	return false
}

// absorb drops hits that are part of an earlier hit's event: same clause,
// same date, no comma between, and a type the later one is absorbed by.
func (d *reader) absorb() {
	drop := make([]bool, len(d.hits))
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
			if tw := d.x.types[g.typ].topicWindow; tw > 0 && g.typ != h.typ && g.clause == h.clause &&
				h.start >= g.end && h.start-g.end <= tw && d.onlyDeterminers(g.end, h.start) {
				drop[k] = true // "condemned the strike": the strike is the topic
			}
			if g.clause != h.clause || g.date != h.date {
				continue
			}
			for _, a := range d.x.types[h.typ].absorbedBy {
				if a == g.typ && !(d.afterComma(h.start) && d.participle(h.start)) {
					drop[k] = true
				}
			}
		}
	}
	out := d.hits[:0]
	for k, h := range d.hits {
		if !drop[k] {
			out = append(out, h)
		}
	}
	d.hits = out
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

// punctBetween reports whether a punctuation token lies in [s,e).
func (d *reader) punctBetween(s, e int) bool {
	for i := s; i < e; i++ {
		if d.toks[i].kind == tokPunct {
			return true
		}
	}
	return false
}
