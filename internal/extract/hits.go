package extract

import (
	"slices"
	"sort"
	"strings"

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
	// anaphoric marks a hit that refers back ("the test").
	anaphoric bool
	// days is how long an event that ended on its date lasted ("the
	// two-day summit ended on Monday"); 0 when not said.
	days int
	// fixed is the date that modifies a dated noun ("Friday's signing"),
	// the only one that may date it; -1 for other hits.
	fixed int
	// trig is the trigger group that made the hit.
	trig int32
	// bind says how the hit got its date (bindOwn, bindDocument, ...).
	bind uint8
	// nearWaived marks a hit whose group wants a near phrase that is not
	// there, taken because a date modifies its noun ("the August 23
	// strikes"): another type's reading of the same words wins over it.
	nearWaived bool
}

// How a hit got its date; explanations name them (bindings).
const (
	bindOwn      uint8 = iota // a date of its own clause
	bindSentence              // a date elsewhere in its sentence
	bindModifier              // the date modifying its noun ("Friday's signing")
	bindEntry                 // the date heading its timeline or live-blog entry
	bindDocument              // the document's own date (document_date)
	bindBorrowed              // the date of the event it reacts to
	bindList                  // another date of a list or conjunct it is bound to
)

// bindings names the binding kinds.
var bindings = [...]string{
	bindOwn:      "a date in its own clause",
	bindSentence: "a date elsewhere in its sentence",
	bindModifier: "the date modifying the event noun",
	bindEntry:    "the date heading its timeline or live-blog entry",
	bindDocument: "the date the document gives itself (dateline, heading or signature line)",
	bindBorrowed: "the date of the event it reacts to",
	bindList:     "another date of the list or conjunct its first date is in",
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
		fixed := -1
		if d.x.triggers[m.p.id].calendar {
			if fixed = d.calendarDate(int(m.start), int(m.end)); fixed < 0 {
				continue // "President", "General": a calendar's words, outside one not worth explaining
			}
		}
		h, why := d.accept(m, fixed)
		if why != "" {
			if d.trace != nil {
				d.trace.reject(int(m.start), int(m.end), m.p.id, why)
			}
			continue
		}
		d.hits = append(d.hits, h)
		if d.seen == nil {
			d.seen = make([]bool, len(d.x.types))
		}
		d.seen[h.typ] = true
	}
	d.dropWaivedRivals()
	d.bindDates()
}

// dropWaivedRivals drops a hit taken without its near phrase when another
// type reads the same words with its conditions met: "I directed the
// August 23 strikes" is a military strike, not a walkout with no workers
// named.
func (d *reader) dropWaivedRivals() {
	if !slices.ContainsFunc(d.hits, func(h hit) bool { return h.nearWaived }) {
		return
	}
	out := d.hits[:0]
	for k, h := range d.hits {
		if h.nearWaived && d.rivalAt(k) {
			if d.trace != nil {
				d.trace.reject(h.start, h.end, h.trig, "another type reads the same words with its conditions met")
			}
			continue
		}
		out = append(out, h)
	}
	d.hits = out
}

// rivalAt reports whether a hit of another type, taken with its
// conditions met, overlaps hit k.
func (d *reader) rivalAt(k int) bool {
	h := d.hits[k]
	for j := k - 1; j >= 0 && d.hits[j].start > h.start-maxPhrase; j-- {
		if g := d.hits[j]; g.typ != h.typ && !g.nearWaived && g.start < h.end && h.start < g.end {
			return true
		}
	}
	for j := k + 1; j < len(d.hits) && d.hits[j].start < h.end; j++ {
		if g := d.hits[j]; g.typ != h.typ && !g.nearWaived && g.start < h.end && h.start < g.end {
			return true
		}
	}
	return false
}

// accept checks a trigger phrase against its group's conditions (near and
// object phrases, subject, negatives, status) and returns its hit, or why
// it is not one. fixed is the date of a calendar item's phrase, -1 for
// other phrases.
func (d *reader) accept(m match, fixed int) (hit, string) {
	s, e := int(m.start), int(m.end)
	si := d.sentOf[s]
	switch {
	case d.sents[si].excluded:
		return hit{}, "in a reference, byline or copyright line"
	case d.sents[si].dateline:
		return hit{}, "in a dateline"
	case d.inDate[s] != 0:
		return hit{}, "part of a date"
	case d.inEntity(s, e):
		return hit{}, "part of a name"
	}
	tg := d.x.triggers[m.p.id]
	if tg.named && !d.namesItself(s, e) {
		return hit{}, "not the head of a name of its own"
	}
	if tg.dated {
		if fixed = d.modifyingDate(s, e, tg.namingDate); fixed < 0 {
			if fixed = d.entryTitleDate(s); fixed < 0 {
				if fixed = d.onDateAfter(e); fixed < 0 && d.warNoun(e-1) {
					fixed = d.periodAfter(e) // "a costly war from 1980 to 1988", "a brief civil war in 1994"
				}
				if fixed < 0 && d.topicOrTime(s) {
					fixed = d.trailingDate(e)
				}
				if fixed < 0 {
					fixed = d.aspectualDate(s, e) // "Fighting in the northwest ... continued from 2004 to 2010"
				}
				if fixed < 0 && !d.lightVerbBefore(s) {
					return hit{}, "an event noun that no date modifies"
				}
			}
		}
	}
	switch {
	case tg.anaphoric && !d.seenType(tg.typ):
		return hit{}, "refers back to an event of its type that the text has not reported"
	}
	waived := tg.near >= 0 && !d.nearPhrase(tg, s, e) && !d.kindNear(tg.nearKinds, s, e, tg.window)
	switch {
	case waived && !d.datedNoun(s):
		return hit{}, "none of its group's near phrases in its clause"
	case tg.object >= 0 && !d.phraseNear(tg.object, s, e, tg.window, false, false) && !d.relativeObject(tg.object, s):
		return hit{}, "none of its group's objects after it"
	case tg.stateSubject && !d.stateSubject(s, e, tg.window):
		return hit{}, "its subject is not a country or capital with a place after it"
	case d.inTitle(s, e):
		return hit{}, "part of the name of a law or a body" // "the Sanctions Committee"
	}
	if sn := d.x.types[tg.typ].sentNegative; sn >= 0 && d.phraseInSentence(sn, s, e) {
		return hit{}, "a negative phrase of its type in its sentence (" + d.x.types[tg.typ].negReasons[d.sentNegativeAt(sn, s, e)] + ")"
	}
	if neg, nw := d.x.types[tg.typ].negative, d.negWindow(tg); neg >= 0 && d.phraseNear(neg, s, e, nw, true, true) {
		if d.trace != nil {
			return hit{}, d.negativeNear(tg, s, e)
		}
		return hit{}, "a negative phrase of its type nearby"
	}
	if d.modalAfter(e) {
		return hit{}, "a modal verb follows it: what would be, not what was" // "Kerry said Sunday that talks would resume"
	}
	st, ok := d.status(s)
	if !ok || (tg.anaphoric || d.participle(s) && !d.afterComma(s)) && d.hypotheticalAfter(s, e) {
		return hit{}, "hypothetical" // "A test ... would be its first", "sending troops could not be ruled out"
	}
	h := hit{start: s, end: e, typ: tg.typ, status: st, date: -1, fixed: fixed, anaphoric: tg.anaphoric, days: d.lasting(s), trig: m.p.id,
		conf: tg.weight, sent: si, clause: d.clause[s], dateWindow: tg.dateWindow, nearWaived: waived}
	if d.possessed(s) && h.dateWindow == 0 {
		h.dateWindow = 4 // "his recent election victory": only a date of its own dates it
	}
	if d.commemorated(s) || d.recalled(s, e) {
		// "the anniversary of the invasion", "a week after the
		// invasion": only its own date dates it.
		h.remembered = true
		if w := recalledWindow(d.participle(s)); h.dateWindow == 0 || h.dateWindow > w {
			h.dateWindow = w
		}
	}
	return h, ""
}

// recalledWindow bounds the reach of a recalled event's own date: a noun's
// date stands right by it ("a week after the invasion of 24 February"), a
// gerund's after its object ("since signing the Enhanced Defense
// Cooperation Agreement (EDCA) in 2014").
func recalledWindow(gerund bool) int {
	if gerund {
		return 12
	}
	return 3
}

// inTitle reports whether the capitalised trigger [s,e) is part of the name
// of a law or a body: capitalised words (joined by "and", "of", "on",
// "for") after it end in a head such as "Act" or "Commission".
func (d *reader) inTitle(s, e int) bool {
	if !d.toks[s].upper {
		return false
	}
	for k := e; k < len(d.toks) && k < e+5 && d.sentOf[k] == d.sentOf[s]; k++ {
		t := d.toks[k]
		if t.kind != tokWord {
			return false
		}
		w := d.low[t.start:t.end]
		if !t.upper {
			switch string(w) {
			case "and", "of", "on", "for":
				continue
			}
			return false
		}
		switch string(w) {
		case "act", "law", "code", "bill", "commission", "committee", "authority", "agency", "office", "institute",
			"centre", "center", "department", "ministry", "board", "unit", "monitor", "watch", "foundation", "network", "museum":
			return true
		}
	}
	return false
}

// hypotheticalAfter reports whether a hypothetical cue follows the noun
// trigger [s,e) closely in its clause: "A test in the coming weeks would
// be its first", "Delivery was originally targeted for late 2023".
func (d *reader) hypotheticalAfter(s, e int) bool {
	for k := e; k < len(d.toks) && k < e+statusWindow && d.clause[k] == d.clause[s]; k++ {
		if d.cueAt[k]&(1<<cueHypothetical) != 0 {
			return true
		}
	}
	return false
}

// negWindow returns how far negative phrases reach from trigger tg.
func (d *reader) negWindow(tg trig) int {
	if w := d.x.types[tg.typ].negWindow; w > 0 {
		return w
	}
	return tg.window
}

// recalled reports whether the trigger at s is the object of a recall
// preposition ("after the invasion", "since Russia's full-scale
// invasion"): a point of reference, not an event of its clause. Between
// them must stand a noun phrase's opening — a determiner or a possessive
// name, then modifiers — not a clause ("after Venezuela held a vote").
func (d *reader) recalled(s, e int) bool {
	p := -1
	for k := s - 1; k >= 0 && k >= s-7 && d.clause[k] == d.clause[s]; k-- {
		if d.endsCue(k, cueRecall) {
			p = k
			break
		}
	}
	if p < 0 {
		return false
	}
	if p < s-1 && d.hasCue(e, cueDeterminer) && !d.punct(e, '\'') && !d.punct(e, '’') {
		return false // "after the two countries signed a pact": a verb with its object opens a clause
	}
	opened := false
	for k := p + 1; k < s; k++ {
		switch {
		case d.hasCue(k, cueDeterminer) || d.endsCue(k, cueDeterminer):
			opened = true
		case d.possessive(k) || d.punct(k, '\'') || d.punct(k, '’') || d.toks[k].upper && d.possessive(k+2):
			opened = true // "Russia's"
		case opened && (d.toks[k].kind == tokWord || d.dash(k)) && d.inDate[k] == 0 && !d.trigAt[k]:
			// a modifier: "full-scale", "deadly"
		default:
			return false
		}
	}
	return opened || p == s-1
}

// possessed reports whether a possessive pronoun owns the trigger at s,
// with at most one modifier between: "his recent election victory", "their
// visit". Such a noun names an event the text refers to; only a date of
// its own dates it ("congratulated him on his election victory" is not an
// election on the day of the call).
func (d *reader) possessed(s int) bool {
	k := s - 1
	if k >= 0 && d.toks[k].kind == tokWord {
		switch tokKey(d.toks[k], d.low) {
		case "recent", "last", "latest", "previous", "first", "second", "new", "historic", "landmark", "surprise", "narrow", "decisive":
			k-- // "his recent", "their first"
		}
	}
	if k < 0 || d.toks[k].kind != tokWord {
		return false
	}
	switch tokKey(d.toks[k], d.low) {
	case "his", "her", "their", "its":
		return true
	}
	return false
}

// commemorationReach bounds how far before a trigger a commemoration cue
// is looked for ("the third anniversary of Russia's full-scale invasion").
const commemorationReach = 8

// commemorated reports whether a commemoration cue ("the anniversary
// of") comes shortly before the trigger at s in its clause.
func (d *reader) commemorated(s int) bool {
	for k := s - 1; k >= 0 && k >= s-commemorationReach && d.clause[k] == d.clause[s]; k-- {
		if d.cueAt[k]&(1<<cueCommemoration) != 0 {
			return true
		}
	}
	return false
}

// datedNoun reports whether a full date directly modifies the trigger at s
// ("the October 7, 2023, attack"): a dated noun is an event by itself.
func (d *reader) datedNoun(s int) bool {
	k := s - 1
	if d.punct(k, ',') {
		k--
	}
	if k < 0 || d.inDate[k] == 0 {
		return false
	}
	m := d.dates[d.inDate[k]-1]
	return m.ok && m.from.d != 0 && !m.citation && d.word(m.s-1, wThe)
}

// kindNear reports whether an organisation of one of kinds is named in
// the clause of the trigger [s,e), within window tokens of it.
func (d *reader) kindNear(kinds []string, s, e, window int) bool {
	if len(kinds) == 0 {
		return false
	}
	first := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].end > s-window })
	for _, en := range d.ents[first:] {
		if en.start >= e+window {
			break
		}
		if en.actor < 0 || d.clause[en.start] != d.clause[s] {
			continue
		}
		if e := d.x.entities[en.actor]; slices.Contains(kinds, e.orgKind) || e.role == rolePerson && slices.Contains(kinds, "person") {
			return true
		}
	}
	if slices.Contains(kinds, "person") {
		for _, p := range d.persons {
			if p.start >= e+window {
				break
			}
			if p.end > s-window && d.clause[p.start] == d.clause[s] {
				return true
			}
		}
	}
	return false
}

// modifyingDate returns the date mention that directly modifies the noun
// at token s, or -1: a possessive date ("Friday's", "last week's") or a
// date right before it ("the 2012 agreement", "the October 7 attack"),
// with at most two lower-case modifiers between ("the 2015 nuclear deal").
func (d *reader) modifyingDate(s, e int, naming bool) int {
	if k := d.namingDateAfter(e); naming && k >= 0 {
		return k // "Executive Order 13660 of March 6, 2014"
	}
	if d.warNoun(s) {
		// "the 1967 Arab-Israeli War", "the 2023 Vilnius Summit": a war or a
		// gathering named by its year and place
		k := s - 1
		for k > 0 && s-k <= 3 && d.inDate[k] == 0 && (d.toks[k].kind == tokWord && d.toks[k].upper || d.punct(k, '-') && !d.toks[k].space) {
			k--
		}
		if k >= 0 && k < s-1 && d.inDate[k] != 0 {
			if m := d.dates[d.inDate[k]-1]; m.ok && !m.citation && !m.dateline && m.e == k+1 && m.from.m == 0 {
				return int(d.inDate[k] - 1)
			}
		}
	}
	k := s - 1
	for n := 0; n < 2 && k >= 0 && d.toks[k].kind == tokWord && !d.toks[k].upper && d.inDate[k] == 0 && !d.trigAt[k] && !d.possessive(k) &&
		d.wi[k].concepts == 0 && !d.hasCue(k, cueDeterminer) && !d.hasCue(k, cueClauseBreak) && !d.hasCue(k, cueLocative); n++ {
		k--
	}
	if d.possessive(k) {
		k -= 2 // "Friday's"
	}
	if k < 0 || d.inDate[k] == 0 {
		return -1
	}
	m := d.dates[d.inDate[k]-1]
	if !m.ok || m.citation || m.dateline || m.e != k+1 {
		return -1
	}
	if d.toks[s].upper && m.to.y == 0 && m.from.m == 0 && !d.possessive(k+2) {
		return -1 // "the 1951 Convention", "the 2015 Paris Agreement": a title names the document, it dates no event
	}
	return int(d.inDate[k] - 1)
}

// namingDateAfter returns the date that names the document the noun
// ending at token e is ("Executive Order 13660 of March 6, 2014",
// "resolution 2231 (2015)"), or -1.
func (d *reader) namingDateAfter(e int) int {
	k := e
	if k < len(d.toks) && d.toks[k].kind == tokNum && d.inDate[k] == 0 {
		k++
	}
	if d.word(k, wOf) || d.word(k, wOn) || d.punct(k, '(') {
		k++
	}
	if k >= len(d.toks) || d.inDate[k] == 0 {
		return -1
	}
	if m := d.dates[d.inDate[k]-1]; m.naming && m.s == k && m.ok && !m.citation {
		return int(d.inDate[k] - 1)
	}
	return -1
}

// seenType reports whether a hit of type typ was accepted already.
func (d *reader) seenType(typ int) bool {
	return typ < len(d.seen) && d.seen[typ]
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
	// Names do not overlap, so only the last one starting before e can.
	k := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].start >= e })
	return k > 0 && d.ents[k-1].end > s
}

// phraseNear reports whether a phrase of set id occurs within window tokens
// after the trigger [s,e), or also before it when both is true, in the
// same clause. A phrase overlapping the trigger counts; one inside it
// counts only when self is true (negatives such as "hunger strike").
func (d *reader) phraseNear(set int32, s, e, window int, both, self bool) bool {
	if !d.setSeen[set] {
		return false // no phrase of the set anywhere in the text
	}
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

// antecedentNear reports whether a phrase of set stands in the antecedent
// of the relative clause holding token s: "The agreement, which was
// signed in Doha on November 15" is signed by whoever signed the
// agreement.
func (d *reader) antecedentNear(set int32, s int) bool {
	rel := d.relativeStart(s)
	reach := relativeReach
	if rel < 0 && s > 0 && d.punct(s-1, ',') && d.pastForm(s) {
		// "the Doha Framework for a Comprehensive Peace Agreement between
		// the Government and AFC/M23, signed in Doha on November 15": a
		// participle after a comma tells of the noun phrase before it.
		rel, reach = s, 2*relativeReach
	}
	if rel < 0 {
		return false
	}
	for i := max(rel-1-reach, 0); i < rel-1; i++ {
		for _, m := range d.phrasesAt(i) {
			if m.p.kind == payPhrase && m.p.id == set && int(m.end) <= rel-1 {
				return true
			}
		}
	}
	return false
}

// relativeObject reports whether the trigger at token s is the verb of a
// relative clause whose antecedent is a phrase of set: "the supplemental
// that I signed in April", "the agreement which the two leaders signed".
// The antecedent is the object the verb would otherwise take after it.
func (d *reader) relativeObject(set int32, s int) bool {
	for k := s - 1; k >= 0 && k >= s-4; k-- {
		w := tokKey(d.toks[k], d.low)
		if w != "that" && w != "which" {
			continue
		}
		for i := max(k-relativeReach, 0); i < k; i++ {
			for _, m := range d.phrasesAt(i) {
				if m.p.kind == payPhrase && m.p.id == set && int(m.end) == k {
					return true
				}
			}
		}
		return false
	}
	return false
}

// relativeReach bounds, in tokens before its comma, the antecedent of a
// relative clause.
const relativeReach = 6

// relativeStart returns the token of "which", "that" or "who" opening,
// after a comma, the clause that holds token s, or -1 when s's clause is
// not such a relative clause.
func (d *reader) relativeStart(s int) int {
	cl := d.clause[s]
	k := s
	for k > 0 && d.clause[k-1] == cl {
		k--
	}
	if k == 0 || !d.punct(k-1, ',') {
		return -1
	}
	switch tokKey(d.toks[k], d.low) {
	case "which", "who", "that":
		return k
	}
	return -1
}

// nearPhrase reports whether a near phrase of trigger group tg stands
// within its window of the trigger [s,e): in its clause, or in its
// sentence for groups that say so.
func (d *reader) nearPhrase(tg trig, s, e int) bool {
	if !d.setSeen[tg.near] {
		return false
	}
	if !tg.nearSentence {
		return d.phraseNear(tg.near, s, e, tg.window, true, false) || d.antecedentNear(tg.near, s)
	}
	si := d.sentOf[s]
	lo, hi := max(s-tg.window-maxPhrase, 0), min(e+tg.window, len(d.toks))
	for i := lo; i < hi; i++ {
		if d.sentOf[i] != si {
			continue
		}
		for _, m := range d.phrasesAt(i) {
			if m.p.kind == payPhrase && m.p.id == tg.near && int(m.end) > s-tg.window && (int(m.start) >= e || int(m.end) <= s) {
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
	d.setSeen = grow(d.setSeen, d.x.phraseSets)
	for _, m := range d.found {
		if m.p.kind == payPhrase {
			d.setSeen[m.p.id] = true
		}
	}
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
	for i := d.afterQuotes(sent.start, s); i < s; i++ {
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

// punctBetween reports whether a punctuation token lies in [s,e).
func (d *reader) punctBetween(s, e int) bool {
	for i := s; i < e; i++ {
		if d.toks[i].kind == tokPunct {
			return true
		}
	}
	return false
}

// possessive reports whether token k is the "s" of a possessive "'s".
func (d *reader) possessive(k int) bool {
	if k < 1 || k >= len(d.toks) || d.toks[k].kind != tokWord || d.toks[k].space || d.toks[k].end-d.toks[k].start != 1 || d.low[d.toks[k].start] != 's' {
		return false
	}
	return d.punct(k-1, '\'') || d.punct(k-1, '’')
}

// onDateAfter returns the day that follows the event noun ending at token
// e after "on" or "of" ("the attack on 12 December on a hotel in Kabul",
// "its missile launches of July 3 and July 28, 2017"), or -1.
func (d *reader) onDateAfter(e int) int {
	if !d.word(e, wOn) && !d.word(e, wOf) || e+1 >= len(d.toks) || d.inDate[e+1] == 0 {
		return -1
	}
	k := int(d.inDate[e+1] - 1)
	if m := d.dates[k]; m.s != e+1 || !m.ok || m.citation || m.dateline || m.naming || m.from.d == 0 {
		return -1
	}
	return k
}

// topicOrTime reports whether the event noun starting at token s is the
// topic of a reaction ("condemned Putin's appalling attacks") or follows a
// preposition of time ("after an attack in the capital"): a noun that
// stands for its event, which a date ending its phrase dates. Not the
// object of another verb ("launched a review of the pact in June").
func (d *reader) topicOrTime(s int) bool {
	for k, n := s-1, 0; k >= 0 && n < 5 && d.sentOf[k] == d.sentOf[s]; k, n = k-1, n+1 {
		switch {
		case d.word(k, wAfter) || d.word(k, wBefore) || d.word(k, wSince) || d.word(k, wDuring) || d.lowIs(k, "following") || d.lowIs(k, "amid"):
			return true
		case d.trigAt[k]:
			for _, m := range d.phrasesAt(k) {
				if m.p.kind == payTrigger && d.x.triggers[m.p.id].reaction {
					return true
				}
			}
			return false
		case d.toks[k].kind == tokPunct && !d.punct(k, '\'') && !d.punct(k, '’') && !d.punct(k, '-'):
			return false
		}
	}
	return false
}

// trailingReach bounds how far after an event noun the date ending its
// noun phrase may stand.
const trailingReach = 12

// trailingDate returns the date that ends the noun phrase of the event
// noun ending at token e, past its prepositional phrases: "attacks on
// civilian areas in Kyiv and elsewhere yesterday", "rocket attacks
// against Israeli forces earlier this week"; -1 when another trigger, a
// clause or punctuation comes first.
func (d *reader) trailingDate(e int) int {
	if !(d.word(e, wOn) || d.word(e, wIn) || d.hasCue(e, cueLocative) || d.lowIs(e, "against") || d.word(e, wOf)) {
		return -1 // "attacks yesterday" is onDateAfter's or no one's; a phrase must follow
	}
	si := d.sentOf[e]
	for k := e + 1; k < len(d.toks) && k <= e+trailingReach && d.sentOf[k] == si; k++ {
		if d.inDate[k] != 0 {
			m := d.dates[d.inDate[k]-1]
			if m.s != k || !m.ok || m.citation || m.dateline || m.naming || d.weakDate(m) {
				return -1
			}
			if m.e < len(d.toks) && d.sentOf[m.e] == si && !d.punct(m.e, '.') && !d.punct(m.e, ',') && !d.punct(m.e, ';') {
				return -1 // "attacks on Kyiv on Monday killed four": the date of what follows
			}
			return int(d.inDate[k] - 1)
		}
		switch {
		case d.trigAt[k], d.hasCue(k, cueSpeech):
			return -1
		case d.toks[k].kind == tokPunct && !d.punct(k, '-'):
			return -1
		case d.hasCue(k, cueClauseBreak) && !d.word(k, wAnd):
			return -1
		}
	}
	return -1
}

// lightVerbBefore reports whether the event noun at token s is the object
// of a verb that only says it happened: "conducted a rocket launch earlier
// this year", "began a military offensive on Wednesday", "staged an attack
// last week". Such a noun is dated as the verb is, by its clause.
func (d *reader) lightVerbBefore(s int) bool {
	for k, n := s-1, 0; k >= 0 && n < 4 && d.sentOf[k] == d.sentOf[s]; k, n = k-1, n+1 {
		t := d.toks[k]
		if t.kind == tokNum {
			continue // "carried out 12 strikes"
		}
		if t.kind != tokWord || t.upper && !d.hasCue(k, cueDeterminer) || d.inDate[k] != 0 {
			return false
		}
		w := tokKey(t, d.low)
		if w == "out" && k > 0 {
			switch tokKey(d.toks[k-1], d.low) {
			case "carried", "carries", "carry", "carrying":
				return true
			}
			return false
		}
		switch w {
		case "conducted", "conducts", "conducting", "began", "begins", "begun", "started", "starts", "staged", "stages",
			"mounted", "mounts", "undertook", "undertaken", "undertakes", "resumed", "resumes", "made", "makes", "held", "holds":
			return true
		}
		if d.trigAt[k] || d.hasCue(k, cueClauseBreak) || d.hasCue(k, cueLocative) || d.possessive(k) {
			return false
		}
	}
	return false
}

// modalAfter reports whether a modal verb follows the trigger ending at
// token e, at most one adverb between: "talks would resume", "the
// sanctions will stay", "a strike could follow". What it names is
// expected or possible; a date of its sentence is the date it was spoken
// of, not its own.
func (d *reader) modalAfter(e int) bool {
	for k := e; k < len(d.toks) && k < e+2 && d.sentOf[k] == d.sentOf[e-1]; k++ {
		t := d.toks[k]
		if t.kind != tokWord {
			return false
		}
		switch tokKey(t, d.low) {
		case "would", "will", "could", "might", "may", "should", "must", "can", "cannot", "shall":
			return true
		}
		if !strings.HasSuffix(tokKey(t, d.low), "ly") {
			return false
		}
	}
	return false
}

// phraseInSentence reports whether a phrase of set id occurs anywhere in
// the sentence of the trigger [s,e), outside the trigger itself.
func (d *reader) phraseInSentence(set int32, s, e int) bool {
	return d.sentNegativeAt(set, s, e) != ""
}

// sentNegativeAt returns the words of the first phrase of set id in the
// sentence of the trigger [s,e), outside the trigger, or "".
func (d *reader) sentNegativeAt(set int32, s, e int) string {
	if set < 0 || !d.setSeen[set] {
		return ""
	}
	sent := d.sents[d.sentOf[s]]
	for i := sent.start; i < sent.end; i++ {
		for _, m := range d.phrasesAt(i) {
			if m.p.kind != payPhrase || m.p.id != set || int(m.start) >= s && int(m.end) <= e {
				continue
			}
			words := make([]string, 0, m.end-m.start)
			for k := m.start; k < m.end; k++ {
				words = append(words, tokKey(d.toks[k], d.low))
			}
			return strings.Join(words, " ")
		}
	}
	return ""
}

// namesItself reports whether the trigger [s,e) is the capitalised head
// of a name whose own capitalised words follow ("Operation Desert Storm"),
// not a word inside a longer name ("Task Force Operation Inherent
// Resolve") nor a sentence's common noun ("Operations resumed").
func (d *reader) namesItself(s, e int) bool {
	if !d.toks[s].upper || e >= len(d.toks) || d.toks[e].kind != tokWord || !d.toks[e].upper || d.toks[e].newline {
		return false
	}
	if s > 0 && !d.toks[s].newline && d.sentOf[s-1] == d.sentOf[s] && d.toks[s-1].kind == tokWord && d.toks[s-1].upper {
		return false
	}
	for _, o := range d.orgs {
		if o.start <= s && s < o.end {
			return false
		}
	}
	if d.lowIs(s-1, "under") || d.lowIs(s-1, "codenamed") || d.lowIs(s-1, "dubbed") || d.lowIs(s-2, "part") && d.lowIs(s-1, "of") {
		return false // "deployed troops to Chad in 1986, under Operation Épervier": the name of that deployment
	}
	return d.inDate[e] == 0 && d.wi[e].month == 0 && d.wi[e].weekday == 0
}

// periodAfter returns the date right after an event noun ending at token
// e that says when it happened: "in 1994", "of 1991", "from 1980 to 1988"
// (a year or a month, or a span of them), or -1.
func (d *reader) periodAfter(e int) int {
	if !d.word(e, wIn) && !d.word(e, wOf) && !d.lowIs(e, "from") || e+1 >= len(d.toks) || d.inDate[e+1] == 0 {
		return -1
	}
	k := int(d.inDate[e+1] - 1)
	if m := d.dates[k]; m.s != e+1 || !m.ok || m.citation || m.dateline || m.naming || m.from.y == 0 || m.open {
		return -1
	}
	return k
}

// aspectReach bounds, in tokens after an event noun, where the verb that
// tells it began, went on or ended is looked for.
const aspectReach = 20

// aspectualDate returns the date of the sentence in which the event noun
// [s,e), its subject, began, went on or ended ("Fighting in the northwest
// between the government and the Houthis continued intermittently from
// 2004 to 2010", "Heavy fighting erupted in May 1995"), or -1. The noun
// opens its clause, past at most three words ("Heavy", "The").
func (d *reader) aspectualDate(s, e int) int {
	cl, si := d.clause[s], d.sentOf[s]
	for k, n := s-1, 0; k >= 0 && d.clause[k] == cl; k, n = k-1, n+1 {
		if n >= 3 || d.toks[k].kind != tokWord || d.inDate[k] != 0 {
			return -1
		}
	}
	for i := e; i < len(d.toks) && i < e+aspectReach && d.sentOf[i] == si; i++ {
		if d.trigAt[i] && i > e {
			return -1 // another event's trigger comes first
		}
		switch tokKey(d.toks[i], d.low) {
		case "began", "continued", "erupted", "broke", "resumed", "intensified", "escalated", "raged", "flared", "ended", "started", "lasted":
		default:
			continue
		}
		for j := i + 1; j < len(d.toks) && j < i+8 && d.sentOf[j] == si; j++ {
			if d.inDate[j] == 0 {
				continue
			}
			k := int(d.inDate[j] - 1)
			if m := d.dates[k]; m.s == j && m.ok && !m.citation && !m.dateline && !m.naming && m.from.y != 0 {
				return k
			}
			return -1
		}
		return -1
	}
	return -1
}

// warNoun reports whether token i is "war" or "fighting", or a gathering
// ("conference", "summit"): a noun for a period of fighting or a meeting,
// which a year or span after it dates ("war from 1980 to 1988", "a
// UN-sponsored Bonn Conference in 2001"); other event nouns may be
// another verb's object there ("a review of the pact in June").
func (d *reader) warNoun(i int) bool {
	switch tokKey(d.toks[i], d.low) {
	case "war", "wars", "fighting", "conference", "summit":
		return true
	}
	return false
}

// afterQuotes returns where the text of tokens [s,e) resumes after its
// last closed quotation, or s when none closes before e: a modal said
// inside a quote ("… should make any assumption …", Pompeo told the press)
// does not make the verb after it hypothetical.
func (d *reader) afterQuotes(s, e int) int {
	from, open := s, false
	for i := s; i < e; i++ {
		t := d.toks[i]
		if t.kind != tokPunct {
			continue
		}
		switch t.r {
		case '"':
			if open {
				from = i + 1
			}
			open = !open
		case '“':
			open = true
		case '”':
			if open {
				from = i + 1
			}
			open = false
		}
	}
	if open {
		return s // the trigger is inside a quotation: its own words count
	}
	return from
}
