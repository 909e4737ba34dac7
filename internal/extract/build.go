package extract

import (
	"math"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// maxRefinements bounds the finer events mergeCoarse compares a coarse
// one with.
const maxRefinements = 64

// maxSentence bounds the evidence sentence kept in an Event, in bytes.
const maxSentence = 600

// draftInfo is what build knows about an event being assembled, beside
// the event itself.
type draftInfo struct {
	typ         int
	first, last int32 // first and last sentence reporting it
	mentions    int
	// vague marks a short span told relatively ("last week's vote"),
	// which a day reported elsewhere may refine.
	vague bool
	// noun is the first word of the trigger that first reported it.
	noun string
	// hit is the hit that first reported it.
	hit hit
}

// draftKey groups events that may be the same: type and dates.
type draftKey struct{ typ, date, end string }

// build turns the hits into events: one per type and date in a sentence,
// then one per type, dates and overlapping actors in the document, with
// mentions counting the sentences that report it.
func (d *reader) build() []event.Event {
	out := make([]event.Event, 0, len(d.hits))
	// The events' actor and place lists are carved from two slabs, fresh
	// for each document since the events outlive the reader.
	d.actorSlab = make([]string, 0, slabPer*(len(d.hits)+len(d.orphans)))
	d.placeSlab = make([]event.Place, 0, placeSlabPer*(len(d.hits)+len(d.orphans)))
	d.info = d.info[:0]
	d.fields = grow(d.fields, len(d.dates))
	if d.byKey == nil {
		d.byKey = map[draftKey][]int32{}
	}
	clear(d.byKey)
	for i := 0; i < len(d.hits); {
		j := i
		for j < len(d.hits) && d.hits[j].sent == d.hits[i].sent {
			j++
		}
		out = d.sentenceEvents(d.hits[i:j], out)
		i = j
	}
	d.adoptOrphans(out)
	d.lendDatelinePlace(out)
	out = d.dropReadoutReactions(out)
	out = d.mergeCoarse(out)
	out = d.absorbAcross(out)
	for k := range out {
		ev := &out[k]
		ev.Mentions = d.info[k].mentions
		if t := d.x.types[d.info[k].typ]; t.countryPlace && len(ev.Places) == 0 {
			for _, a := range ev.Actors {
				if p, ok := d.x.countryPlaces[a]; ok {
					ev.Places = append(ev.Places, p) // "Gabon held its presidential election": in Gabon
					break
				}
			}
		}
		if ev.Title = d.headlineTitle(d.info[k].hit, ev.Status); ev.Title == "" {
			ev.Title = d.title(d.x.types[d.info[k].typ], *ev) // no headline in the evidence
		}
		ev.ID = event.ID(ev.Article.ID, ev.Type, ev.Date, ev.DateEnd, ev.Actors)
	}
	return out
}

// sentenceEvents adds the events of one sentence's hits to out: a hit of
// a type and date already reported in the sentence adds nothing; one
// reported in an earlier sentence (same type, dates and an actor in
// common) is merged into it.
func (d *reader) sentenceEvents(hits []hit, out []event.Event) []event.Event {
	cur := d.cur[:0]
	for _, h := range hits {
		t := d.x.types[h.typ]
		if (h.dateWindow > 0 && !d.x.triggers[h.trig].documentDate || d.passive(h)) && d.sharedDate(hits, h) {
			d.rejectHit(h, "reports another event of its sentence on the same date")
			continue // the report of an event of the sentence, not an event itself
		}
		lasted := lastedSpan(d.dates[h.date], h.days)
		m := &lasted
		date, end, prec := d.cachedFields(h, m)
		conf := round2(h.conf)
		dup := false
		for _, k := range cur {
			if o := &out[k]; o.Type == t.id && o.Date == date && o.DateEnd == end {
				o.Confidence = max(o.Confidence, conf)
				dup = true
			}
		}
		if dup {
			continue
		}
		actors, places := d.participants(h)
		if t.requiresActor && len(actors) == 0 && !d.speakerIn(h) {
			d.rejectHit(h, "no actor named or described")
			continue // "said on Sunday" with no one named or described: not yet a statement
		}
		key := draftKey{t.id, date, end}
		groups := d.counterparts(h, actors)
		if groups == nil {
			groups = [][]string{actors}
		}
		for _, actors := range groups {
			if k := d.findDraft(out, key, actors, places, h); k >= 0 {
				d.merge(&out[k], k, actors, places, conf, h)
				cur = append(cur, int32(k))
				continue
			}
			sent := d.sents[h.sent]
			out = append(out, event.Event{
				Type: t.id, CAMEO: t.cameo, Sentence: d.sentenceText(sent),
				Date: date, DateEnd: end, Precision: prec, DateText: d.str(m.s, m.e),
				Status: h.status, Actors: actors, Places: places,
				Article: event.ArticleRef{ID: d.doc.ArticleID, URL: d.doc.URL, Title: d.doc.Title,
					Feed: d.doc.Feed, Published: d.doc.Published.UTC()},
				Confidence: conf,
			})
			k := int32(len(out) - 1)
			d.info = append(d.info, draftInfo{typ: h.typ, first: h.sent, last: h.sent, mentions: 1,
				vague: end != "" && h.days < 2 && !strings.ContainsAny(d.str(m.s, m.e), "0123456789"),
				noun:  tokKey(d.toks[h.start], d.low), hit: h})
			d.byKey[key] = append(d.byKey[key], k)
			cur = append(cur, k)
		}
	}
	d.cur = cur
	return out
}

// maxCounterparts bounds the calls one sentence is split into.
const maxCounterparts = 16

// counterparts splits the actors of a call into one list per counterpart
// when hit h, a phone call or "spoke with", names two or more people of
// different countries after it: "The Prime Minister held separate
// telephone conversations with the US President Donald Trump and the
// French President Emmanuel Macron", "Those who she has spoken to so far
// are King Abdullah of Jordan; President Erdogan of Turkey; ..." are a
// call with each. A call is between two sides unless the text says it is
// joint. It returns nil when there is nothing to split.
func (d *reader) counterparts(h hit, actors []string) [][]string {
	if !d.x.types[h.typ].readout || !d.callWords(h) {
		return nil
	}
	sent := d.sents[h.sent]
	for i := sent.start; i < sent.end; i++ {
		switch tokKey(d.toks[i], d.low) {
		case "joint", "trilateral", "together", "conference", "jointly":
			return nil // "a joint call with the leaders of France and Germany"
		}
	}
	var them []person
	for _, p := range d.persons {
		if p.start >= sent.end {
			break
		}
		if p.start < h.end || p.country == "" && p.org == "" || d.quoted(p.start) {
			continue
		}
		if !slices.ContainsFunc(them, func(q person) bool { return q.name == p.name || q.country == p.country && q.org == p.org }) {
			them = append(them, p)
		}
		if len(them) > maxCounterparts {
			return nil
		}
	}
	if len(them) < 2 {
		return nil
	}
	sides := func(a string) bool {
		return slices.ContainsFunc(them, func(p person) bool { return a == p.name || a == p.country || a == p.org })
	}
	var base []string
	for _, a := range actors {
		if !sides(a) {
			base = append(base, a)
		}
	}
	groups := make([][]string, 0, len(them))
	for _, p := range them {
		g := append(slices.Clip(base), p.name)
		if p.country != "" {
			g = appendNew(g, p.country)
		}
		if p.org != "" {
			g = appendNew(g, p.org)
		}
		groups = append(groups, g)
	}
	return groups
}

// callWords reports whether hit h names a call or a conversation: "spoke
// with", "spoken to", "telephone conversations", "calls with".
func (d *reader) callWords(h hit) bool {
	for i := h.start; i < h.end; i++ {
		switch tokKey(d.toks[i], d.low) {
		case "spoke", "spoken", "speaking", "call", "calls", "conversation", "conversations", "phoned", "telephoned":
			return true
		}
	}
	return false
}

// dateStrings are a date mention's event fields, formatted once.
type dateStrings struct {
	date, end string
	prec      event.Precision
	done      bool
}

// cachedFields returns the event fields of hit h's date m, formatting each
// mention once however many events it dates.
func (d *reader) cachedFields(h hit, m *dateMention) (string, string, event.Precision) {
	if h.days >= 2 {
		return d.dateFields(m)
	}
	c := &d.fields[h.date]
	if !c.done {
		c.date, c.end, c.prec = d.dateFields(m)
		c.done = true
	}
	return c.date, c.end, c.prec
}

// passive reports whether reporting hit h is in the passive voice ("the
// loan was announced"): its subject is the event it reports.
func (d *reader) passive(h hit) bool {
	return d.x.types[h.typ].topicWindow > 0 && d.endsCue(h.start-1, cuePassive)
}

// sharedDate reports whether another event of reporting hit h's sentence
// ("Germany has delivered ..., the ministry confirmed on Monday", "the
// military said on Saturday it had shot down ...") took its date: then h
// only reports that event.
func (d *reader) sharedDate(hits []hit, h hit) bool {
	order := tokKey(d.toks[h.start], d.low) == "ordered" // an order's date is what it orders
	if m := d.dates[h.date]; !order && m.e <= h.start && d.sentOf[m.s] == h.sent && d.openingDate(m) && d.x.groupName(h.trig) == "statement.said" {
		// "On Saturday, in a brief but official statement, US President
		// Donald Trump said Hamza bin Laden has been killed": the day
		// frames the statement that follows; what it reports is undated.
		if h.status == event.Occurred && !slices.ContainsFunc(hits, func(g hit) bool {
			return g.date == h.date && g.dateWindow == 0 && (g.start < h.start || g.status != event.Occurred) && !d.quoted(g.start)
		}) {
			return false
		}
	}
	if !order && d.speakerNamed(h) {
		// "Greenstock said that the measures ...", "Sergio Vieira de
		// Mello said": a person speaking is news of its own.
		return false
	}
	for _, g := range hits {
		if g.dateWindow == 0 && g.date == h.date && g.start != h.start && !g.remembered && !(g.anaphoric && g.start > h.start) &&
			!(g.start > h.end && d.adverbialBetween(h.end, g.start)) {
			return true // "said on Monday it had shot down": the report of that event
		}
	}
	return false
}

// speakerNamed reports whether a person the text names by name is the
// subject of reporting hit h: named in its clause, outside any quotation,
// before it.
func (d *reader) speakerNamed(h hit) bool {
	sent := d.sents[h.sent]
	for _, p := range d.persons {
		if p.start >= h.start {
			break
		}
		if p.start < sent.start || d.clause[p.start] != h.clause || d.quoted(p.start) || d.possessive(p.end+1) {
			continue // "Sharif's party said": the party speaks
		}
		if d.objectOfPreposition(p.start) {
			continue // "After conferring with Secretary-General Kofi Annan, the High Commissioner said"
		}
		return true
	}
	return false
}

// objectOfPreposition reports whether the name starting at token s, past
// a title or two ("Secretary-General Kofi Annan"), follows "with", "by"
// or a locative: someone spoken with or of, not a subject.
func (d *reader) objectOfPreposition(s int) bool {
	k := s - 1
	for n := 0; n < 3 && k >= 0 && d.toks[k].kind == tokWord && d.toks[k].upper; n++ {
		k--
	}
	if k < 0 || d.toks[k].kind != tokWord || d.toks[k].upper {
		return false
	}
	return tokKey(d.toks[k], d.low) == "with" || d.word(k, wBy) || d.hasCue(k, cueLocative)
}

// openingDate reports whether date m opens its sentence, alone or after
// "On" ("Today, Portugal requested", "On Wednesday, an assembly of
// foreign ministers denounced"), and a comma or the subject follows it.
func (d *reader) openingDate(m dateMention) bool {
	s := int(d.sents[d.sentOf[m.s]].start)
	for s < m.s && d.toks[s].kind == tokPunct && d.opener(s) {
		s++
	}
	if d.word(s, wOn) || d.word(s, wIn) || d.word(s, wEarly) || d.word(s, wLate) || d.word(s, wLater) {
		s++
	}
	return s == m.s && !d.dash(m.e) && !d.punct(m.e, ':') // not "December 3, 2023: ...", the date heading an entry
}

// dropReadoutReactions drops the reactions a readout reports of its own
// meeting or call: "The Secretary commended Foreign Minister Bayramov ..."
// in the readout of their call is that call, not a statement of its own.
// Such a reaction is dated only by the document, and an event of a type
// marked readout (meetings, talks) that the text dates shares an actor
// with it ("met yesterday" in a readout dated today).
func (d *reader) dropReadoutReactions(out []event.Event) []event.Event {
	drop := false
	for k := range out {
		if d.info[k].hit.bind != bindDocument {
			continue
		}
		for j := range out {
			if j != k && d.x.types[d.info[j].typ].readout && d.info[j].hit.bind != bindDocument && overlap(out[j].Actors, out[k].Actors) {
				d.info[k].mentions = -1 // marks it dropped
				drop = true
				break
			}
		}
	}
	if !drop {
		return out
	}
	kept, info := out[:0], d.info[:0]
	for k := range out {
		if d.info[k].mentions >= 0 {
			kept = append(kept, out[k])
			info = append(info, d.info[k])
		}
	}
	d.info = info
	return kept
}

// slabPer is the room reserved in the slabs for each event's actors and
// places; a longer list grows on its own.
const (
	slabPer      = 4
	placeSlabPer = 2
)

// sentenceText returns the evidence text of a sentence, trimmed.
func (d *reader) sentenceText(s sentence) string {
	t := strings.TrimSpace(d.str(s.start, s.end))
	if len(t) > maxSentence {
		cut := maxSentence
		for cut > 0 && t[cut]&0xC0 == 0x80 {
			cut--
		}
		t = t[:cut] + "…"
	}
	return t
}

// findDraft returns the index of an earlier event reporting the same
// event: same type and dates, overlapping actors (or none on either side)
// and, when both name places, a place in common ("Ukraine hit Ryazan" and
// "Russia attacked Kharkiv" on the same day are two strikes); -1 when there
// is none.
func (d *reader) findDraft(out []event.Event, key draftKey, actors []string, places []event.Place, h hit) int {
	drafts := d.byKey[key]
	for _, k := range drafts[max(0, len(drafts)-maxDrafts):] {
		o := &out[k]
		if len(o.Places) > 0 && len(places) > 0 &&
			!slices.ContainsFunc(o.Places, func(p event.Place) bool {
				return slices.ContainsFunc(places, func(q event.Place) bool { return samePlace(p, q) })
			}) {
			continue
		}
		if d.x.types[d.info[k].typ].requiresActor && !d.refersBack(h, d.sents[h.sent]) && d.otherSpeakers(o.Actors, actors) {
			continue // the FAO's report and the Prosecutor's press conference of one day are two statements
		}
		if len(o.Actors) == 0 || len(actors) == 0 ||
			slices.ContainsFunc(o.Actors, func(a string) bool { return slices.Contains(actors, a) }) {
			return int(k)
		}
	}
	return -1
}

// otherSpeakers reports whether two actor lists each name people or
// bodies, not only countries, and none in common: a shared country (often
// only the article's main one) does not make two speakers one.
func (d *reader) otherSpeakers(a, b []string) bool {
	if pa, pb := slices.ContainsFunc(a, d.personNamed), slices.ContainsFunc(b, d.personNamed); pa && pb {
		// Erdogan's words and Katrougalos's reply of the same Wednesday,
		// whatever else both name: two people, two statements.
		return !slices.ContainsFunc(a, func(x string) bool { return d.personNamed(x) && slices.Contains(b, x) })
	}
	named := false
	for _, x := range a {
		if d.x.countries[x] {
			continue
		}
		named = true
		if slices.Contains(b, x) {
			return false
		}
	}
	return named && slices.ContainsFunc(b, func(y string) bool { return !d.x.countries[y] })
}

// maxDrafts bounds how many earlier events of the same type and dates a
// mention is compared with: the latest ones, so that a text of thousands
// of same-day mentions stays linear.
const maxDrafts = 64

// samePlace reports whether two places are one or lie within about 20 km
// of each other (Beirut and its southern suburbs, Dahiyeh).
func samePlace(p, q event.Place) bool {
	const near = 0.2 // degrees
	if p.Name == q.Name {
		return true
	}
	if p.Lat == 0 && p.Lon == 0 || q.Lat == 0 && q.Lon == 0 {
		return false // a place read from the text alone has no coordinates
	}
	return math.Abs(p.Lat-q.Lat) < near && math.Abs(p.Lon-q.Lon) < near
}

// merge folds a later mention, from hit h, into event o (index k).
func (d *reader) merge(o *event.Event, k int, actors []string, places []event.Place, conf float64, h hit) {
	for _, a := range actors {
		o.Actors = appendNew(o.Actors, a)
	}
	for _, p := range places {
		if !slices.ContainsFunc(o.Places, func(q event.Place) bool { return sameSpot(q, p) }) {
			o.Places = append(o.Places, p)
		}
	}
	if in := &d.info[k]; in.last != h.sent {
		in.last = h.sent
		in.mentions++
	}
	o.Confidence = min(1, max(o.Confidence, conf)+0.05)
	if o.Status != h.status && h.status == event.Occurred {
		o.Status = event.Occurred
	}
}

func round2(f float64) float64 {
	f = min(max(f, 0), 1)
	return float64(int(f*100+0.5)) / 100
}

// absorbAcross drops an event of a type absorbed in its sentence
// (absorbed_in_sentence) that another sentence reports as part of an
// event of an absorbing type on the same dates at a compatible place:
// "Russian missiles struck Dnipro on Monday. Four people were killed in
// Dnipro on Monday" is one strike.
func (d *reader) absorbAcross(out []event.Event) []event.Event {
	if len(out) > maxAbsorbing || !slices.ContainsFunc(d.info[:len(out)], func(in draftInfo) bool { return d.x.types[in.typ].absorbedInSentence }) {
		return out // a text of very many events keeps them all: the pairs are not compared
	}
	n := 0
	for k := range out {
		t := d.x.types[d.info[k].typ]
		absorbed := false
		for j := 0; j < len(out) && t.absorbedInSentence && !absorbed; j++ {
			if j == k || out[j].Date != out[k].Date || out[j].DateEnd != out[k].DateEnd || !slices.Contains(t.absorbedBy, d.info[j].typ) {
				continue
			}
			absorbed = len(out[k].Places) == 0 || len(out[j].Places) == 0 || slices.ContainsFunc(out[k].Places, func(p event.Place) bool {
				return slices.ContainsFunc(out[j].Places, func(q event.Place) bool { return sameSpot(p, q) })
			})
		}
		if !absorbed {
			out[n] = out[k]
			d.info[n] = d.info[k]
			n++
		}
	}
	return out[:n]
}

// maxAbsorbing bounds the events whose pairs absorbAcross compares.
const maxAbsorbing = 256

// adverbialBetween reports whether a clause of time opens between tokens
// s and e ("urged Eritrea and Ethiopia to heed the call for peace as
// members of the Security Council began meeting"): what follows happened
// beside the report, it is not what was reported.
func (d *reader) adverbialBetween(s, e int) bool {
	for k := s; k < e; k++ {
		switch tokKey(d.toks[k], d.low) {
		case "as", "while", "when", "whereas":
			return !d.lowIs(k+1, "well") // "as well as"
		}
	}
	return false
}

// personNamed reports whether name is a person the reader found.
func (d *reader) personNamed(name string) bool {
	return slices.ContainsFunc(d.persons, func(p person) bool { return p.name == name })
}
