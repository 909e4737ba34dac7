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
	out := d.bound[:0] // d.hits is read while binding: filter into another buffer
	for _, h := range d.hits {
		best, own := d.bestDate(h, owned, false)
		h.bind = bindSentence
		if own {
			h.bind = bindOwn
		}
		if h.fixed >= 0 && !(h.remembered && d.dates[h.fixed].guessedYear) { // not "the Anniversary of the October 7th Attacks": which year is not said
			best, own, h.bind = h.fixed, true, bindModifier
		}
		if best < 0 {
			if k := d.entryDate(h); k >= 0 {
				best, own, h.bind = k, false, bindEntry // a timeline or live-blog entry's date
				h.conf *= 0.9
			}
		}
		if best < 0 && h.remembered {
			if k := d.afterOpening(h); k >= 0 {
				// "After talks with the Emir in Doha, Putin said on
				// Tuesday": the talks were that day too.
				best, own, h.bind = k, false, bindSentence
				h.conf *= 0.8
			}
		}
		if tg := d.x.triggers[h.trig]; best < 0 && tg.documentDate {
			if d.docDate >= 0 && (!d.dates[d.docDate].dateline || d.lead(h.sent)) && !d.headline(d.sents[h.sent]) &&
				!d.endsCue(h.start-1, cuePassive) { // "The operation was condemned by members of the EU": told, not said that day

				best, own, h.bind = d.docDate, false, bindDocument // "The Secretary-General condemns ...": the document's day
			} else if d.pastForm(h.start) {
				best, own = d.bestDate(h, owned, true) // "Ukraine condemned the strike on Monday": that day too
				h.bind = bindBorrowed
			}
			h.conf *= 0.9
		}
		if best < 0 {
			d.orphans = append(d.orphans, h)
			d.rejectHit(h, "no date in its sentence can be its")
			continue
		}
		m := d.dates[best]
		h.date = best
		h.conf *= m.conf
		if !own {
			h.conf *= 0.85
		}
		if h.status == event.Occurred && (m.future || d.after(m.from)) {
			if d.x.types[h.typ].topicWindow > 0 {
				// "has announced a new round for this September": the date is the plan's, not the statement's
				d.rejectHit(h, "its only date lies ahead, and is the plan's, not the statement's")
				continue
			}
			h.status = event.Planned
		}
		if st := d.x.types[h.typ].statuses; len(st) > 0 && !slices.Contains(st, string(h.status)) {
			d.rejectHit(h, "its type admits no "+string(h.status)+" events")
			continue
		}
		out = append(out, h)
		d.coord = d.coordinatedDates(best, h, d.coord)
		for _, j := range d.coord {
			if m := d.dates[j]; m.ok && !m.citation && !m.naming && !m.dateline && !(m.open && d.x.types[h.typ].noOpenSpans) {
				c := h
				c.date, c.bind = j, bindList
				out = append(out, c) // "strikes on March 3, March 9 and April 1": one strike a date
			}
		}
	}
	d.hits, d.bound = out, d.hits
	d.absorb()
}

// bestDate returns the date mention that dates hit h, -1 when none, and
// whether it lies in h's own clause. Own-clause dates win; then the
// nearest, a date after the trigger winning ties. A reporting hit does not
// reach across another event's trigger for a date unless across is set.
func (d *reader) bestDate(h hit, owned []bool, across bool) (int, bool) {
	sent := d.sents[h.sent]
	best, bestDist, own := -1, 1<<30, false
	first := sort.Search(len(d.dates), func(k int) bool { return d.dates[k].e > sent.start })
	for k := first; k < len(d.dates) && d.dates[k].s < sent.end; k++ {
		m := d.dates[k]
		if !m.ok || m.citation || m.dateline || m.naming || m.yearHeading || m.comparison && m.s >= h.end || m.open && d.x.types[h.typ].noOpenSpans {
			continue
		}
		if d.asOf(m) {
			continue // "as of Thursday, 4,600 deaths": a count's date, not an event's
		}
		if !across && d.x.types[h.typ].topicWindow > 0 && m.s >= h.end && d.hitBetween(h, m.s) {
			continue // "condemned the attack on 12 December": the attack's date, not the condemnation's
		}
		if m.onlyAfter && h.start < m.s || d.barrierBetween(k, h) || d.onlyAfterBetween(h, k) {
			continue
		}
		if m.modifier && (d.clause[m.s] != h.clause || !d.modifies(m, h)) {
			continue
		}
		if h.remembered && m.guessedYear {
			continue // "the anniversary of the invasion on 24 February", "the Anniversary of the October 7th Attacks": the day it is marked, not the year it happened
		}
		sameClause := d.clause[m.s] == h.clause || d.clause[m.e-1] == h.clause
		if !sameClause && (owned[d.clause[m.s]] || d.perfect(h) && !m.open) && !d.whenClauseOf(m, h) && !d.whereClauseAfter(m, h) {
			continue // "the war, which escalated in 2015, has killed thousands"
		}
		dist := gap(h, m)
		if h.anaphoric && d.word(h.start, wThe) && dist > d.nearestHit[k]+2 {
			continue // "documented the raid in a report published in April 2020": the report's date
		}
		if d.deadline(m) {
			continue // "expects to deliver the rest by the end of 2026": a deadline or projection
		}
		if dist > d.nearestHit[k]+2 {
			dist += 15 // the date is another trigger's: take it only if nothing else is near
		}
		opening := (m.s <= sent.start+1 && (d.punct(m.e, ',') || d.openingRest(m.e, h.start) || !d.trigBetween(m.e, h.start)) ||
			d.afterSubjectName(m, sent) || d.onlyNameBetween(m.e, h.start)) && !h.remembered // "On Monday, ...": dates the whole sentence
		if d.perfect(h) && m.e <= h.start && !opening && !m.open && d.commaBetween(m.e, h.start) {
			continue // "the war, which escalated in March 2015, has killed thousands"
		}
		if h.anaphoric && m.e <= h.start && !opening {
			continue // "said on Tuesday that the test ...": the test was reported, not held, then
		}
		if m.s >= h.end && d.sequenceBetween(h.end, m.s) {
			continue // "The exercises followed Lai's designation ... on 13 March"
		}
		if h.dateWindow > 0 && !opening && !across && (dist > h.dateWindow && !d.plainReach(h, m) || m.e <= h.start && (dist > 1 || d.punctBetween(m.e, h.start))) {
			continue
		}
		if d.reserved(m, h) {
			continue
		}
		if d.weakDate(m) {
			if d.word(m.s-1, wBy) || d.word(m.s-1, wUntil) {
				continue // "by 2030", "by Aug. 8": a deadline or projection; "until Friday": a bound
			}
			dist += 20 // "until December": a bound, not a date of the event
		}
		if m.s >= h.end && m.to.y == 0 && d.word(m.s-1, wTo) && d.x.types[h.typ].topicWindow > 0 {
			dist += 20 // "extended the lockdown to May 1": the new end, not the day of the decision
		}
		if m.onlyAfter {
			dist += 6 // "came three days after ... attacked on Saturday": the explicit date wins
		}
		if m.e <= h.start {
			dist++ // on a tie, the date after the trigger wins
			if d.coordinated(m.e, h.start) {
				dist += 10 // "switched in 2019 and signed a pact in 2022": the date of the first verb
			}
		}
		if d.relativeDates(m, h) {
			sameClause, dist = true, 0 // "the combat operations in Afghanistan, which began on October 7, 2001"
		}
		if sameClause && !own || sameClause == own && dist < bestDist {
			best, bestDist, own = k, dist, sameClause
		}
	}
	return best, own
}

// relativeDates reports whether date m stands in a relative clause that
// tells when the event of hit h, its antecedent, took place: "the combat
// operations in Afghanistan ..., which began on October 7, 2001", "the
// summit, which took place on 12 May". No other hit stands between the
// trigger and the comma.
func (d *reader) relativeDates(m dateMention, h hit) bool {
	if m.s < h.end {
		return false
	}
	rel := d.relativeStart(m.s)
	if rel < 0 || rel-1 < h.end || rel-1-h.end > 2*relativeReach || d.sentOf[rel] != h.sent {
		return false
	}
	v := rel + 1
	if w := tokKey(d.toks[v], d.low); w == "was" || w == "were" || w == "had" || w == "has" {
		v++
	}
	switch tokKey(d.toks[v], d.low) {
	case "began", "begun", "started", "took", "occurred", "happened", "held", "ended", "erupted", "broke", "signed",
		"launched", "adopted", "reached", "concluded", "convened", "opened", "struck":
	default:
		return false
	}
	k := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= h.end })
	return k >= len(d.hits) || d.hits[k].start >= rel
}

// afterOpening returns, for a hit inside an opening "After ..." phrase of
// its sentence ("After talks with the Emir in Doha, Putin said on
// Tuesday"), the first usable day-precise date of the main clause after
// the phrase's comma; -1 otherwise.
func (d *reader) afterOpening(h hit) int {
	sent := d.sents[h.sent]
	if !d.word(sent.start, wAfter) || h.start > sent.start+6 {
		return -1
	}
	comma := -1
	for i := h.end; i < sent.end && i < h.end+12; i++ {
		if d.punct(i, ',') {
			comma = i
			break
		}
		if d.inDate[i] != 0 {
			return -1 // "After talks on Monday, ...": dated already
		}
	}
	if comma < 0 {
		return -1
	}
	for k := range d.dates {
		if m := d.dates[k]; m.s > comma && m.s < sent.end && m.ok && !m.citation && !m.naming && m.from.d != 0 && !m.open {
			return k
		}
	}
	return -1
}

// whenClauseOf reports whether hit h lies in the "when" clause right after
// date m, which tells what happened then: "since January 25, when it fired
// a cruise missile".
func (d *reader) whenClauseOf(m dateMention, h hit) bool {
	return m.e+2 < len(d.toks) && d.punct(m.e, ',') && tokKey(d.toks[m.e+1], d.low) == "when" && d.clause[m.e+1] == h.clause
}

// whereClauseAfter reports whether hit h opens a ", where" clause right
// after the clause of date m: the same occasion, "met Blinken in Kyiv on
// Thursday, where Blinken announced $1 billion in new aid".
func (d *reader) whereClauseAfter(m dateMention, h hit) bool {
	for k := m.e; k < h.start && k < m.e+12; k++ {
		if d.punct(k, ',') && tokKey(d.toks[k+1], d.low) == "where" {
			return d.clause[k+1] == h.clause && h.start-k <= 6
		}
		if d.toks[k].kind == tokPunct && !d.punct(k, '-') {
			return false
		}
	}
	return false
}

// hitBetween reports whether a hit of another type than h starts between
// h's trigger and token e, in h's sentence.
func (d *reader) hitBetween(h hit, e int) bool {
	k := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= h.end })
	for ; k < len(d.hits) && d.hits[k].start < e; k++ {
		if g := d.hits[k]; g.typ != h.typ && g.sent == h.sent {
			return true
		}
	}
	return false
}

// asOf reports whether date m follows "as of": the date of a count or a
// state of affairs, never of an event.
func (d *reader) asOf(m dateMention) bool {
	return d.word(m.s-1, wOf) && m.s >= 2 && tokKey(d.toks[m.s-2], d.low) == "as"
}

// barrierBetween reports whether a ", days after" barrier lies between an
// earlier date k and the trigger of h after it.
func (d *reader) barrierBetween(k int, h hit) bool {
	if d.dates[k].e > h.start {
		return false
	}
	for j := k + 1; j < len(d.dates) && d.dates[j].s < h.start; j++ {
		if d.dates[j].barrier {
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

// deadline reports whether date mention m follows "by" or "by the" ("by
// the end of 2026", "by mid-2025"): a target or projection, never the date
// of an event.
func (d *reader) deadline(m dateMention) bool {
	if d.possessive(m.e + 1) {
		return false // "shocked by today's missile attacks": the attacks' day
	}
	k := m.s - 1
	if d.word(k, wThe) && !d.word(m.s, wThe) {
		k--
	}
	return d.word(k, wBy)
}

// weakDate reports whether a date follows "until", "by", "before" or
// "after" outside a span: a bound rather than the date of an event.
func (d *reader) weakDate(m dateMention) bool {
	return m.to.y == 0 && !d.possessive(m.e+1) && (d.word(m.s-1, wUntil) || d.word(m.s-1, wBy) || d.word(m.s-1, wBefore) || d.word(m.s-1, wAfter))
}

// reserved reports whether date m modifies another hit's trigger right
// after it ("the July 28 presidential election") and so is not h's.
func (d *reader) reserved(m dateMention, h hit) bool {
	if h.start >= m.e && h.start <= m.e+2 || d.word(m.e, wTo) || m.anchored {
		return false // "on February 3 to postpone it": not a modifier
	}
	if h.end == m.s {
		return false // "A U.S. drone strike Friday reportedly killed ...": the strike's day
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

// coordinated reports whether "and" joins, in tokens [s,e), a clause
// ending with a date to the trigger at e: "in 2019 and signed".
func (d *reader) coordinated(s, e int) bool {
	return e-s <= 3 && e > s && d.word(s, wAnd) || e-s <= 3 && d.punct(s, ',') && d.word(s+1, wAnd)
}

// onlyAfterBetween reports whether a "came N days after" mention lies
// between hit h and the later date k: "The strikes came two days after
// the Council voted on Wednesday" does not date the strikes Wednesday.
func (d *reader) onlyAfterBetween(h hit, k int) bool {
	if d.dates[k].s < h.end {
		return false
	}
	for j := k - 1; j >= 0 && d.dates[j].s >= h.end; j-- {
		if d.dates[j].onlyAfter {
			return true
		}
	}
	return false
}

// perfect reports whether hit h is in the present perfect ("has killed").
func (d *reader) perfect(h hit) bool {
	return d.endsCue(h.start-1, cuePerfect) || d.adverb(h.start-1) && d.endsCue(h.start-2, cuePerfect)
}

// adverb reports whether token i is a lower-case adverb that may stand
// between an auxiliary and its verb ("has now removed", "have repeatedly
// said"): a word ending in "ly", or "now", "already", "also", "just".
func (d *reader) adverb(i int) bool {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tokWord || d.toks[i].upper {
		return false
	}
	switch w := tokKey(d.toks[i], d.low); w {
	case "now", "already", "also", "just":
		return true
	default:
		return len(w) > 4 && w[len(w)-2:] == "ly"
	}
}

// sequenceBetween reports whether a sequence verb that relates the event
// before it to another one after it ("followed the vote", "came after")
// lies in tokens [s,e): the dates after it are the other event's. "came
// on Monday" and "came into force" relate nothing.
func (d *reader) sequenceBetween(s, e int) bool {
	for q := s; q < e-1; q++ {
		if !d.word(q, wSequence) {
			continue
		}
		n := q + 1
		if d.word(n, wAfter) || d.word(n, wBefore) {
			return true
		}
		if d.hasCue(n, cueDeterminer) || d.toks[n].upper && d.inDate[n] == 0 {
			return true // "followed Lai's designation", "followed the vote"
		}
	}
	return false
}

// modifies reports whether modifier date m ("the 2022 invasion",
// "Saturday's poll") dates hit h: h is the noun it modifies, or another
// trigger of the same type in its clause ("took 56% of the vote in
// Saturday's poll").
func (d *reader) modifies(m dateMention, h hit) bool {
	noun := m.e
	if d.possessive(m.e + 1) {
		noun = m.e + 2
	}
	if h.start == noun || d.prepositionTo(h.end, m.s) {
		return true // "were killed in yesterday's quake": dated by what it happened in
	}
	if d.possessive(m.e+1) && h.start > noun && h.start-noun <= 4 && d.adjectivesOnly(noun, h.start) {
		return true // "today's large-scale missile attacks", "Monday's deadly twin bombings"
	}
	if d.hasCue(noun, cueEventOf) && h.start > noun && h.start-noun <= eventOfReach && d.clause[h.start] == d.clause[noun] && d.ofBetween(noun, h.start) {
		return true // "today's announcement of an extension of the truce": the truce's extension is today's
	}
	if h.start > noun && h.start-noun <= 3 && d.warNoun(h.start) && d.namesOnly(noun, h.start) {
		return true // "the 2022 Madrid Summit", "the 1967 Arab-Israeli War": a gathering or a war named by its year and place
	}
	k := sort.Search(len(d.hits), func(i int) bool { return d.hits[i].start >= noun })
	return k < len(d.hits) && d.hits[k].start == noun && d.hits[k].typ == h.typ
}

// namesOnly reports whether tokens [s,e) are capitalised words and the
// hyphens that join them: a place or a people naming what follows.
func (d *reader) namesOnly(s, e int) bool {
	for k := s; k < e; k++ {
		t := d.toks[k]
		if !(t.kind == tokWord && t.upper || d.punct(k, '-') && !t.space) || d.inDate[k] != 0 || d.trigAt[k] {
			return false
		}
	}
	return true
}

// adjectivesOnly reports whether tokens [s,e) are lower-case words,
// numbers and the hyphens that join them, none a trigger, a date or a
// clause break: what may stand between a possessive date and its noun.
func (d *reader) adjectivesOnly(s, e int) bool {
	for k := s; k < e; k++ {
		t := d.toks[k]
		switch {
		case d.trigAt[k] || d.inDate[k] != 0 || d.hasCue(k, cueClauseBreak):
			return false
		case t.kind == tokWord && !t.upper:
		case t.kind == tokNum:
		case d.punct(k, '-') && !t.space && k+1 < e && !d.toks[k+1].space:
		default:
			return false
		}
	}
	return true
}

// eventOfReach bounds how far after an act noun ("announcement") the event
// it is of may stand.
const eventOfReach = 6

// ofBetween reports whether "of" lies in tokens (s,e).
func (d *reader) ofBetween(s, e int) bool {
	for i := s + 1; i < e; i++ {
		if d.word(i, wOf) {
			return true
		}
	}
	return false
}

// plainReach bounds how far after a reporting verb a date may stand when
// nothing but its own complement lies between them.
const plainReach = 8

// plainReach reports whether date m follows reporting hit h in its clause
// within plainReach tokens with no other trigger, punctuation or clause
// opener between them: "conceded defeat at Dublin Castle on Saturday"
// dates the concession, "said the army shelled the town on Saturday" does
// not date the saying.
func (d *reader) plainReach(h hit, m dateMention) bool {
	if m.s < h.end || m.s-h.end > plainReach || d.clause[m.s] != h.clause || d.hasCue(h.start, cueSpeech) || d.weakDate(m) {
		return false // "said the office would stay closed through Monday": a clause of its own
	}
	for k := h.end; k < m.s; k++ {
		if d.trigAt[k] || d.toks[k].kind == tokPunct || d.cueAt[k]&(1<<cueClauseBreak|1<<cueSpeech|1<<cueHypothetical|1<<cuePlanned|1<<cueReportedPlan|1<<cuePassive) != 0 {
			return false
		}
	}
	return true
}

// prepositionTo reports whether tokens [s,e) are one to three words that
// lead from an event to the dated noun it happened in or during: "in",
// "during", "in the".
func (d *reader) prepositionTo(s, e int) bool {
	if e <= s || e-s > 3 || !(d.word(s, wIn) || d.word(s, wDuring)) {
		return false
	}
	for k := s + 1; k < e; k++ {
		if !d.hasCue(k, cueDeterminer) {
			return false
		}
	}
	return true
}

// commaBetween reports whether a comma lies in tokens [s,e).
func (d *reader) commaBetween(s, e int) bool {
	for i := s; i < e; i++ {
		if d.punct(i, ',') {
			return true
		}
	}
	return false
}

// openingRest reports whether a date that opens its sentence without a
// comma still dates the whole sentence: the subject follows it at once
// ("This Thursday the United States Commission ... criticized the move"),
// or a short place phrase and a comma do ("On Friday in Istanbul, as a
// part of an election rally, Erdogan said"). e is where the date ends,
// h where the trigger starts.
func (d *reader) openingRest(e, h int) bool {
	if e >= h || e >= len(d.toks) {
		return false
	}
	if d.word(e, wIn) || d.word(e, wAt) {
		for k := e + 1; k < h && k <= e+5; k++ {
			if d.punct(k, ',') {
				return true
			}
			if t := d.toks[k]; t.kind != tokWord || !t.upper && !d.word(k, wThe) {
				return false
			}
		}
		return false
	}
	t := d.toks[e]
	return t.kind == tokWord && (t.upper || d.word(e, wThe)) && d.inDate[e] == 0
}

// afterSubjectName reports whether date m follows right after the name
// that opens its sentence, as wire copy writes a subject's day ("President
// Bush September 24, in accordance with the War Powers Resolution,
// formally notified Congress", "Kofi Annan on May 15 urged"): the date
// of the sentence's main verb.
func (d *reader) afterSubjectName(m dateMention, sent sentence) bool {
	e := m.s
	if e > sent.start && (d.word(e-1, wOn) || d.lowIs(e-1, "on")) {
		e--
	}
	if e-sent.start < 1 || e-sent.start > 6 {
		return false
	}
	for k := sent.start; k < e; k++ {
		t := d.toks[k]
		if !(t.kind == tokWord && t.upper && d.inDate[k] == 0) && !(d.punct(k, '.') && !t.space) {
			return false
		}
	}
	return d.toks[e-1].kind == tokWord && d.entityCovering(e-1) >= 0 || d.personEndsAt(e)
}

// personEndsAt reports whether a person the reader found ends at token e.
func (d *reader) personEndsAt(e int) bool {
	// d.persons is in text order and names do not overlap: only the last
	// one starting before e can end there.
	k := sort.Search(len(d.persons), func(j int) bool { return d.persons[j].start >= e })
	return k > 0 && d.persons[k-1].end == e
}

// trigBetween reports whether a trigger phrase starts in tokens [s,e).
func (d *reader) trigBetween(s, e int) bool {
	for k := s; k < e; k++ {
		if d.trigAt[k] {
			return true
		}
	}
	return false
}

// onlyNameBetween reports whether tokens [s,e) are the name of the
// subject alone, a date standing right before it ("… to the Security
// Council last month Mr. Kubiš said"): the date is the verb's.
func (d *reader) onlyNameBetween(s, e int) bool {
	if e-s < 1 || e-s > 5 {
		return false
	}
	for k := s; k < e; k++ {
		t := d.toks[k]
		if !(t.kind == tokWord && t.upper) && !(d.punct(k, '.') && !t.space) {
			return false
		}
	}
	return d.personEndsAt(e) || d.entityCovering(e-1) >= 0
}
