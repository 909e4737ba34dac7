package extract

import (
	"slices"
	"sort"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// An event's actors and places come from the names of its clause, then
// of its sentence: gazetteer names, the people and places read from the
// text, the country a demonym places it in, and, when nothing is named,
// the article's protagonist and main country.

// participants returns the actors and places of a hit: those of its clause
// first, then those of the rest of its sentence. Countries named only as
// locations are actors when nothing else is; an event with no actor at all
// falls back to the document's main country.
func (d *reader) participants(h hit) ([]string, []event.Place) {
	sent := d.sents[h.sent]
	actors, located := d.newActors(), []string(nil)
	places := d.newPlaces()
	first := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].start >= sent.start })
	firstPerson := sort.Search(len(d.persons), func(i int) bool { return d.persons[i].start >= sent.start })
	// tail is where a subordinate part of h's clause begins after it ("in
	// the first election since the nation switched from Taiwan to
	// China"): its names are not the event's first.
	tail := d.subordinateTail(h, sent)
	armed := false // doers named as armed men: the country where they act is not theirs
	doer := d.doerAt(h)
	if k := doer; k >= 0 {
		if name := d.forcePhrase(k); name != "" {
			armed = !crowdNoun(tokKey(d.toks[k], d.low))
			// "Allied Air forces began an attack", "Iran-backed militias
			// attacked": the doers as the text names them.
			actors = appendNew(actors, name)
		} else if doer := tokKey(d.toks[k], d.low); nonStateDoer(doer) || doer == "police" {
			// "Gunmen killed a priest in Algiers": the gunmen, as the text names
			// them. A copy: the word shares the reader's buffer, which the
			// next document overwrites.
			actors = appendNew(actors, strings.Clone(doer))
		}
	}
	written := len(actors)
	// speech marks a statement told outside quotation marks: the people
	// its quotation names are not its speakers ("There were many times
	// that Ambassador Bolton and I disagreed", Pompeo told the press).
	speech := d.x.types[h.typ].requiresActor && !d.quoted(h.start)
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && len(actors) == 0 {
			if r := d.regionSubject(h); r != "" {
				actors = append(actors, r) // "Breakaway Abkhazia holds a parliamentary election"
			}
		}
		if pass == 1 && len(actors) == written && len(located) > 0 && !armed {
			// "In Germany, farmers blocked motorways": the country where
			// the clause's event happens is its actor.
			actors = append(actors, located...)
			located = located[:0]
		}
		if pass == 1 && len(actors) == 0 && d.x.types[h.typ].placeActor {
			for _, p := range places {
				if p.Country != "" {
					actors = appendNew(actors, p.Country) // "Workers at the port of Antwerp walked out": Belgium's
				}
			}
		}
		if pass == 1 && len(actors) == 0 {
			// The clause names no one ("In December it took control"):
			// the subject of the sentence before, and the article's main
			// country.
			if doer < 0 {
				actors = append(actors, d.previousActors(h.sent)...)
			}
			if d.main != "" {
				actors = appendNew(actors, d.main)
			}
		}
		for _, en := range d.ents[first:] {
			if en.start >= sent.end {
				break
			}
			if (d.clause[en.start] == h.clause && en.start < tail) != (pass == 0) {
				continue
			}
			if en.actor >= 0 && speech && d.x.entities[en.actor].person != "" && d.quoted(en.start) {
				actors = appendNew(actors, d.x.entities[en.actor].name) // a person the quotation names: their country alone
			} else if en.actor >= 0 {
				e := d.x.entities[en.actor]
				if e.role == roleDemonym && d.placeNounAt(en.end) {
					// "against Ukrainian cities", "on Russian soil": a place in that country
					if p, ok := d.x.countryPlaces[e.country]; ok && !slices.ContainsFunc(places, func(q event.Place) bool { return sameSpot(q, p) }) {
						places = append(places, p)
					}
				}
				if e.person != "" {
					actors = appendNew(actors, e.person)
				}
				if e.role == roleDemonym && d.peopleNamed(en) {
					actors = appendNew(actors, d.str(en.start, en.end)) // "the Serbs seized an observation post": the people, as written
				}
				actors = appendNew(actors, e.name)
				if e.national {
					actors = appendNew(actors, e.country)
				}
				if e.parent != "" {
					actors = appendNew(actors, e.parent)
				}
			}
			if en.place >= 0 {
				e := d.x.entities[en.place]
				np := event.Place{Name: d.placeName(en, e), Country: e.country, Lat: e.lat, Lon: e.lon}
				if !slices.ContainsFunc(places, func(p event.Place) bool { return sameSpot(p, np) }) {
					places = append(places, np)
				}
				if en.locCountry {
					located = appendNew(located, e.name)
				}
			}
		}
		places = d.loosePlaces(places, sent, func(i int) bool { return (d.clause[i] == h.clause && i < tail) == (pass == 0) })
		for _, o := range d.orgs {
			if o.start < sent.start || o.start >= sent.end || (d.clause[o.start] == h.clause && o.start < tail) != (pass == 0) {
				continue
			}
			actors = appendNew(actors, o.name)
			if o.country != "" {
				actors = appendNew(actors, o.country)
			}
		}
		for _, p := range d.persons[firstPerson:] {
			if p.start >= sent.end {
				break
			}
			if (d.clause[p.start] == h.clause && p.start < tail) != (pass == 0) {
				continue
			}
			if speech && d.quoted(p.start) {
				if p.country != "" {
					actors = appendNew(actors, p.country)
				}
				continue
			}
			actors = appendNew(actors, p.name)
			if p.org != "" {
				actors = appendNew(actors, p.org)
			}
			if p.country != "" {
				actors = appendNew(actors, p.country)
			}
		}
	}
	if len(actors) == 0 {
		actors = located
	}
	if p, ok := d.pronounSubject(h); ok {
		// "He was sentenced ... in 2014": the person named last before
		actors = appendNew(actors, p.name)
		if p.country != "" {
			actors = appendNew(actors, p.country)
		}
	}
	if len(d.author) > 0 && (d.firstPerson(h) || d.roleSubject(h)) {
		for _, a := range d.author {
			actors = appendNew(actors, a) // "I have directed ...": the author of the statement
		}
	}
	if p := d.x.types[h.typ].participants; p != "" && !slices.ContainsFunc(actors, crowdWritten) {
		actors = appendNew(actors, p) // "Hongkongers have been protesting since early June": protesters
	}
	if a := d.x.triggers[h.trig].actor; a != "" {
		actors = appendNew(actors, a) // "Executive Order 14024 of April 15, 2021": the United States'
	}
	if d.mainAct != "" && d.refersBack(h, sent) {
		// "their final communiqué", "The summit, held ...": the event
		// refers back to the article's protagonist.
		actors = appendNew(actors, d.mainAct)
	}
	if len(actors) > 0 && d.main != "" && !d.hasCountry(actors) {
		actors = append(actors, d.main) // "ELN fighters attacked a base": in the main country
	}
	if len(actors) == 0 {
		if doer < 0 {
			actors = d.previousActors(h.sent)
		}
		if d.main != "" {
			actors = appendNew(actors, d.main)
		}
	}
	if actors == nil {
		actors = []string{}
	}
	if len(places) == 0 && d.x.types[h.typ].targetPlace {
		if p, ok := d.targetCountry(h); ok {
			places = append(places, p) // "launched its further assault against Ukraine": there
		}
	}
	if len(places) == 0 {
		if p, ok := d.thatCountry(h); ok {
			places = append(places, p) // "ended its military presence in that country": the country just named
		}
	}
	return actors, places
}

// targetCountry returns the country hit h's clause names as the object of
// its verb, or right after "against", "on" or "upon" following the
// trigger: what a strike is aimed at ("Iraq seized Kuwait", "its assault
// against Ukraine", "strikes on Syria").
func (d *reader) targetCountry(h hit) (event.Place, bool) {
	k := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].start >= h.end })
	for ; k < len(d.ents) && d.ents[k].start < h.end+targetReach && d.clause[d.ents[k].start] == h.clause; k++ {
		en := d.ents[k]
		if en.actor < 0 || d.x.entities[en.actor].kind != entCountry || d.x.entities[en.actor].role != roleName {
			continue
		}
		switch {
		case en.start == h.end && d.toks[h.end-1].kind == tokWord && d.pastForm(h.end-1),
			tokKey(d.toks[en.start-1], d.low) == "against", tokKey(d.toks[en.start-1], d.low) == "on", tokKey(d.toks[en.start-1], d.low) == "upon":
			// "Iraq seized Kuwait", "its assault against Ukraine"
			p, ok := d.x.countryPlaces[d.x.entities[en.actor].name]
			return p, ok
		}
	}
	return event.Place{}, false
}

// targetReach bounds, in tokens after a trigger, where the country it is
// aimed at is looked for.
const targetReach = 6

// thatCountry returns the country that "in that country" or "in the
// country" in hit h's clause refers to: the last country named before it
// in the sentence ("at the request of the Government of Niger, the United
// States ended its limited military presence in that country").
func (d *reader) thatCountry(h hit) (event.Place, bool) {
	sent := d.sents[h.sent]
	for k := h.end; k+2 < sent.end; k++ {
		if d.clause[k] != h.clause {
			break
		}
		if !(d.word(k, wIn) || d.lowIs(k, "within")) || !(d.lowIs(k+1, "that") || d.word(k+1, wThe)) || !d.lowIs(k+2, "country") {
			continue
		}
		subject := true // the country nearest before the trigger is its subject, not "that country"
		for i := len(d.ents) - 1; i >= 0; i-- {
			en := d.ents[i]
			if en.start >= k || en.start < sent.start || en.actor < 0 {
				continue
			}
			e := d.x.entities[en.actor]
			if e.kind != entCountry {
				continue
			}
			if subject && en.start < h.start {
				subject = false
				continue
			}
			if en.start < h.start {
				p, ok := d.x.countryPlaces[e.name]
				return p, ok
			}
		}
		return event.Place{}, false
	}
	return event.Place{}, false
}

// speakerIn reports whether the clause of hit h describes a speaker it
// does not name: "a foreign ministry spokesman said", "state media
// published".
func (d *reader) speakerIn(h hit) bool {
	for i := d.sents[h.sent].start; i < d.sents[h.sent].end; i++ {
		if d.clause[i] == h.clause && (d.hasCue(i, cueSpeaker) || d.hasCue(i, cueTitle)) {
			return true
		}
	}
	return false
}

// placeNounAt reports whether token i is a noun of places ("cities",
// "territory", "soil") that a demonym before it locates in its country.
func (d *reader) placeNounAt(i int) bool {
	if i >= len(d.toks) || d.toks[i].kind != tokWord {
		return false
	}
	switch tokKey(d.toks[i], d.low) {
	case "city", "cities", "town", "towns", "village", "villages", "territory", "soil", "ports", "port", "capital", "border",
		"region", "regions", "positions", "infrastructure", "airspace", "waters", "coast":
		return true
	}
	return false
}

// placeName returns the name of place e as the event reports it: as the
// text writes it when that is a proper name ("Bab al-Mandeb Strait",
// "Kiev", "Washington, D.C."), so that the event reads as its article
// does; else the gazetteer's. Places are one place by their coordinates
// (sameSpot), whatever the spelling.
func (d *reader) placeName(en entMatch, e entity) string {
	end := en.end
	if e.kind == entPlace && d.adminWord(end) {
		end++ // "Katsina State", "Kharkiv Oblast": the region, as written
	} else if e.kind == entPlace && end+1 < len(d.toks) && d.lowIs(end, "international") && d.lowIs(end+1, "airport") && d.toks[end].upper {
		end += 2 // "Baghdad International Airport"
	} else if e.kind == entPlace && end < len(d.toks) && d.toks[end].upper && !d.toks[end].newline && (d.lowIs(end, "airport") || d.lowIs(end, "airbase")) {
		end++ // "Kabul Airport"
	}
	if end == en.end && d.str(en.start, en.end) == e.name {
		return e.name
	}
	w := oneSpaced(d.str(en.start, end))
	for _, the := range []string{"the ", "The "} {
		w = strings.TrimPrefix(w, the)
	}
	if w == "" || e.kind != entPlace || !properName(w) {
		return e.name // a country read as a place, "Rakhine state", "Beirut's southern suburbs": the gazetteer's name
	}
	return w // "Bab al-Mandeb Strait", "Kiev", "Washington, D.C.": as the text names it
}

// adminWord reports whether token i is a capitalised word that, after a
// place's name, makes it a region's ("State", "Oblast", "Province").
func (d *reader) adminWord(i int) bool {
	if i >= len(d.toks) || d.toks[i].kind != tokWord || !d.toks[i].upper || d.toks[i].newline {
		return false
	}
	switch tokKey(d.toks[i], d.low) {
	case "state", "province", "oblast", "governorate", "region", "county", "district", "prefecture", "krai", "raion", "municipality",
		"heights", "peninsula", "strait", "channel", "plateau", "valley", "corridor", "pass", "hills", "mountains":
		return true // "the Golan Heights", "the Crimean Peninsula", "the Miyako Strait": the area, as written
	}
	return false
}

// properName reports whether w is written as a proper name: every word
// capitalised but for particles ("Bab al-Mandeb Strait", "Strait of
// Hormuz"), no possessive.
func properName(w string) bool {
	if strings.Contains(w, "'s") || strings.Contains(w, "’s") || strings.ToUpper(w) == w {
		return false // a possessive; "PORT-AU-PRINCE" in capitals, as datelines write it
	}
	for rest := w; rest != ""; {
		var f string
		f, rest, _ = strings.Cut(rest, " ")
		if f == "" {
			continue
		}
		if c := f[0]; c >= 'a' && c <= 'z' {
			switch f {
			case "of", "al", "el", "de", "du", "la", "le", "and", "upon", "on", "an", "ad", "as", "ar", "az":
			default:
				if !strings.HasPrefix(f, "al-") && !strings.HasPrefix(f, "el-") && !strings.HasPrefix(f, "ad-") && !strings.HasPrefix(f, "as-") && !strings.HasPrefix(f, "ash-") && !strings.HasPrefix(f, "ar-") {
					return false
				}
			}
		}
	}
	return true
}

// sameSpot reports whether two places are one: the same name, or the same
// gazetteer coordinates under two names ("Kiev" and "Kyiv").
func sameSpot(a, b event.Place) bool {
	return a.Name == b.Name || (a.Lat != 0 || a.Lon != 0) && a.Lat == b.Lat && a.Lon == b.Lon
}

// subordinateTail returns the token where a recall preposition after hit
// h opens a subordinate part of its clause, or the sentence end.
func (d *reader) subordinateTail(h hit, sent sentence) int {
	for k := h.end; k < sent.end && d.clause[k] == h.clause; k++ {
		if d.hasCue(k, cueRecall) && k+1 < sent.end && d.inDate[k+1] == 0 {
			return k
		}
	}
	return sent.end
}

// refersBack reports whether hit h is a definite description that refers
// back to the story: a possessive before it ("their communiqué") or "The"
// opening its sentence ("The summit, held ...").
func (d *reader) refersBack(h hit, sent sentence) bool {
	if d.word(sent.start, wThe) && d.inDate[sent.start] == 0 && h.start-sent.start <= 5 && d.clause[h.start] == d.clause[sent.start] && !d.entityAt(sent.start+1) && !d.entityAt(sent.start) {
		return true // "The measures, agreed in principle by ...", "The summit, held ..."
	}
	if d.word(h.start-1, wThe) {
		return false
	}
	// "their final communiqué"; not "The Kremlin said", whose name is its own subject
	return d.endsCue(h.start-1, cueDeterminer) || d.endsCue(h.start-2, cueDeterminer) && d.toks[h.start-1].kind == tokWord && d.entityCovering(h.start-1) < 0
}

// newActors returns an empty actor list with room carved from the slab.
func (d *reader) newActors() []string {
	if cap(d.actorSlab)-len(d.actorSlab) < slabPer {
		return make([]string, 0, slabPer)
	}
	n := len(d.actorSlab)
	d.actorSlab = d.actorSlab[:n+slabPer]
	return d.actorSlab[n : n : n+slabPer]
}

// newPlaces returns an empty, non-nil place list with room carved from the
// slab.
func (d *reader) newPlaces() []event.Place {
	if cap(d.placeSlab)-len(d.placeSlab) < placeSlabPer {
		return make([]event.Place, 0, placeSlabPer)
	}
	n := len(d.placeSlab)
	d.placeSlab = d.placeSlab[:n+placeSlabPer]
	return d.placeSlab[n : n : n+placeSlabPer]
}

// entityAt reports whether an accepted gazetteer name starts at token i.
func (d *reader) entityAt(i int) bool {
	k := sort.Search(len(d.ents), func(j int) bool { return d.ents[j].start >= i })
	return k < len(d.ents) && d.ents[k].start == i
}

// hasCountry reports whether any of the actors is a country.
func (d *reader) hasCountry(actors []string) bool {
	for _, a := range actors {
		if d.x.countries[a] {
			return true
		}
	}
	return false
}

// previousActors returns the first actor named in the sentence before si
// (the likely antecedent of "it", "they"), if any.
func (d *reader) previousActors(si int32) []string {
	if si == 0 || d.sents[si-1].excluded {
		return nil
	}
	prev := d.sents[si-1]
	first := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].start >= prev.start })
	for _, en := range d.ents[first:] {
		if en.start >= prev.start && en.start < prev.end && en.actor >= 0 {
			return []string{d.x.entities[en.actor].name}
		}
	}
	return nil
}

// pronounReach bounds, in sentences, how far back a pronoun's person is
// looked for.
const pronounReach = 3

// pronounSubject returns the person a "he" or "she" opening hit h's
// sentence stands for: the last one named in the sentences before, when
// the sentence names none itself.
func (d *reader) pronounSubject(h hit) (person, bool) {
	sent := d.sents[h.sent]
	i := sent.start
	if i >= len(d.toks) || d.toks[i].kind != tokWord {
		return person{}, false
	}
	if w := tokKey(d.toks[i], d.low); w != "he" && w != "she" {
		return person{}, false
	}
	k := sort.Search(len(d.persons), func(j int) bool { return d.persons[j].start >= sent.start })
	if k < len(d.persons) && d.persons[k].start < sent.end {
		return person{}, false // the sentence names its people
	}
	if k == 0 {
		return person{}, false
	}
	p := d.persons[k-1]
	if h.sent-d.sentOf[p.start] > pronounReach {
		return person{}, false
	}
	return p, true
}

// appendNew appends s to list unless it is there already.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// doerAt returns the index of the common noun with which the clause of
// hit h names who acted, before it ("Rebel forces captured Huambo",
// "Gunmen killed a priest", "Police arrested 40 activists"), or -1 when a
// pronoun or nothing does: then the sentence before names someone else,
// not them.
func (d *reader) doerAt(h hit) int {
	s := d.sents[h.sent].start
	for k := h.start; k >= s && d.clause[k] == h.clause; k-- { // from the trigger: "protesters marched"
		t := d.toks[k]
		if t.kind != tokWord {
			continue
		}
		w := tokKey(t, d.low)
		switch w {
		case "it", "they", "he", "she", "we", "its", "their", "his", "her", "our", "this", "these", "those":
			return -1
		}
		if groupNoun(w) || slices.Contains(groupNouns, w) || nonStateDoer(w) || w == "police" {
			return k // "police said on Sunday": the police, as written, with the country
		}
	}
	return -1
}

// nonStateDoer reports whether doer (lower case) names armed men or a
// crowd no state stands for, whom an event names as they are written
// when the text names them no better ("gunmen", "militia", "protesters").
func nonStateDoer(doer string) bool {
	switch doer {
	case "gunmen", "militia", "militias", "militiamen", "rebels", "militants", "insurgents", "jihadists", "terrorists",
		"fighters", "protesters", "demonstrators", "rioters", "assailants", "attackers", "pirates", "kidnappers",
		"farmers", "students", "strikers":
		return true
	}
	return false
}

// forcePhrase returns the doers named at token k as the text writes them
// when words qualify the noun ("Allied Air forces", "Serb forces",
// "government forces", "Iran-backed militias", "anti-Brexit protesters",
// "U.S.-led coalition forces"), or "" when the noun stands alone, names no
// armed body or crowd, or a group's name read elsewhere qualifies it.
func (d *reader) forcePhrase(k int) string {
	if !forceNoun(tokKey(d.toks[k], d.low)) {
		return ""
	}
	s := k
	for j := k - 1; j >= 0 && k-j <= 8 && !d.toks[j+1].newline; j-- {
		t := d.toks[j]
		if e := d.entityCovering(j); e >= 0 && d.ents[e].actor >= 0 {
			j = d.ents[e].start // "U.S.-led", "Bosnian Serb": a name the gazetteer knows
			s = j
			continue
		}
		switch {
		case t.kind == tokWord && (t.upper || t.allUpper):
			w := tokKey(t, d.low)
			if d.inDate[j] != 0 || d.hasCue(j, cueDeterminer) || d.hasCue(j, cueTitle) || quantifier(w) || d.inOrg(j) {
				return d.phraseFrom(s, k)
			}
		case t.kind == tokWord && forceModifier(tokKey(t, d.low)):
		case d.punct(j, '-') && !t.space && j > 0 && !d.toks[j+1].space:
		default:
			return d.phraseFrom(s, k)
		}
		s = j
	}
	return d.phraseFrom(s, k)
}

// phraseFrom returns the text of tokens s..k when s is before k.
func (d *reader) phraseFrom(s, k int) string {
	for s < k && d.toks[s].kind == tokPunct {
		s++ // a hyphen or stop the walk ended on
	}
	if s >= k {
		return ""
	}
	return oneSpaced(d.str(s, k+1))
}

// inOrg reports whether token i is inside a group or organisation name
// the reader took from the text ("Popular Resistance Committees
// terrorists"): that name is the actor, not the phrase around it.
func (d *reader) inOrg(i int) bool {
	for _, o := range d.orgs {
		if o.start <= i && i < o.end {
			return true
		}
	}
	return false
}

// forceNoun reports whether w (lower case) names an armed body or a crowd
// that a text qualifies with who they are.
func forceNoun(w string) bool {
	switch w {
	case "forces", "troops", "army", "navy", "soldiers", "militia", "militias", "police", "fighters", "rebels",
		"militants", "guards", "marines", "gunmen", "terrorists", "insurgents", "jihadists", "guerrillas",
		"protesters", "demonstrators", "paramilitaries":
		return true
	}
	return false
}

// crowdNoun reports whether w (lower case) names people who act where
// they live: "In Germany, riot police", "Hong Kong protesters".
func crowdNoun(w string) bool {
	switch w {
	case "police", "protesters", "demonstrators":
		return true
	}
	return false
}

// forceModifier reports whether w (lower case) qualifies an armed body or
// a crowd ("government forces", "rebel fighters", "Iran-backed").
func forceModifier(w string) bool {
	switch w {
	case "government", "security", "opposition", "rebel", "allied", "coalition", "armed", "special", "federal",
		"regime", "paramilitary", "air", "ground", "naval", "riot", "border", "anti", "pro", "backed", "led",
		"affiliated", "aligned", "supported", "sponsored", "islamist", "separatist", "separatists", "tribal",
		"militia", "jihadist", "pro-government", "anti-government", "student", "opposition-held":
		return true
	}
	return false
}

// quantifier reports whether w (lower case) counts or picks out the
// people it comes before ("Both forces", "Thousands of protesters").
func quantifier(w string) bool {
	switch w {
	case "both", "some", "many", "several", "other", "all", "most", "few", "thousands", "hundreds", "dozens",
		"more", "no", "any", "each", "such", "their", "his", "her", "its", "our", "your":
		return true
	}
	return false
}

// regionSubject returns the region that is the subject of hit h's clause
// ("Breakaway Abkhazia holds a parliamentary election", "Catalonia
// declared independence"): a region the gazetteer knows, before the
// trigger in its clause and after no preposition; "" when there is none.
func (d *reader) regionSubject(h hit) string {
	sent := d.sents[h.sent]
	for _, en := range d.ents {
		if en.start >= h.start || en.start < sent.start {
			if en.start >= h.start {
				break
			}
			continue
		}
		if en.place < 0 || d.clause[en.start] != h.clause || !d.x.entities[en.place].region {
			continue
		}
		if en.start > 0 {
			switch tokKey(d.toks[en.start-1], d.low) {
			case "in", "at", "on", "from", "to", "near", "across", "of", "into", "over", "for", "against", "by", "with", "and":
				continue
			}
		}
		return d.x.entities[en.place].name
	}
	return ""
}

// peopleNamed reports whether demonym en names a people as the noun of
// its phrase: plural, after "the" or opening the sentence, and not
// followed by the noun it would qualify ("the Serbs seized", "the Houthis
// said", not "Serb forces").
func (d *reader) peopleNamed(en entMatch) bool {
	if en.end-en.start != 1 || !d.plural(en.start) {
		return false
	}
	if !d.word(en.start-1, wThe) && en.start != d.sents[d.sentOf[en.start]].start {
		return false
	}
	return en.end >= len(d.toks) || d.toks[en.end].kind != tokWord || !d.toks[en.end].upper && !groupNoun(tokKey(d.toks[en.end], d.low)) && !d.nounAfter(en.end)
}

// nounAfter reports whether token i is a common noun a demonym would
// qualify ("Serb forces", "Kurdish fighters"): a lower-case word the
// reader knows as a group or crowd noun.
func (d *reader) nounAfter(i int) bool {
	w := tokKey(d.toks[i], d.low)
	return forceNoun(w) || crowdNoun(w) || nonStateDoer(w)
}

// crowdWritten reports whether actor a is a crowd named as written
// ("protesters", "anti-Brexit protesters", "students").
func crowdWritten(a string) bool {
	i := strings.LastIndexByte(a, ' ')
	return nonStateDoer(strings.ToLower(a[i+1:]))
}
