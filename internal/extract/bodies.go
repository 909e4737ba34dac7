package extract

import (
	"slices"
	"strings"
)

// Police forces, commissions, task forces and courts act in the news long
// before any gazetteer lists them: "Thames Valley Police announced on
// Sunday", "the Strategic Partnership Commission met in Washington", "the
// Supreme Court of Georgia grants ...". readBodies takes a capitalised
// name that ends in a word for a body ("Police", "Commission", "Force",
// "Court") as an organisation, an actor of its clause's events, when no
// gazetteer name covers it. A name made only of generic words ("Supreme
// Court", "Foreign Ministry", "Air Force") says whose it is only with a
// country ("the Supreme Court of Georgia", "Israeli Air Force"); without
// one it is left out rather than guessed. The country a name carries is
// its actor too.

// maxBodyWords bounds the capitalised words of a body's name.
const maxBodyWords = 8

// bodyHead reports whether w (lower case) ends the name of a body.
func bodyHead(w string) bool {
	switch w {
	case "police", "commission", "committee", "council", "agency", "organization", "organisation", "ministry",
		"department", "office", "mission", "army", "navy", "command", "court", "tribunal", "party", "movement",
		"front", "bank", "institute", "association", "authority", "service", "guard", "corps", "force", "forces",
		"brigade", "brigades", "coalition", "assembly", "parliament", "senate", "congress", "board", "secretariat",
		"administration", "cabinet", "government", "company", "corporation", "foundation", "federation", "league",
		"alliance", "bureau", "directorate", "embassy", "consulate", "militia", "regiment", "battalion", "division",
		"fleet", "union", "gendarmerie", "constabulary", "prosecutor's", "inspectorate", "taskforce":
		return true
	}
	return false
}

// genericBodyWord reports whether w (lower case) is a word that many
// countries' bodies share, so that a name made only of such words and a
// head ("Supreme Court", "Coast Guard") does not say whose body it is.
func genericBodyWord(w string) bool {
	switch w {
	case "supreme", "constitutional", "foreign", "defence", "defense", "interior", "national", "air", "coast",
		"border", "armed", "high", "federal", "state", "central", "presidential", "electoral", "election",
		"security", "special", "joint", "general", "justice", "finance", "health", "education", "home", "public",
		"prosecution", "prosecutor", "district", "regional", "local", "city", "municipal", "provincial", "military",
		"civil", "royal", "republican", "revolutionary", "people's", "peoples", "democratic", "labour", "labor",
		"conservative", "liberal", "green", "socialist", "communist", "the", "of", "for", "and", "new", "european",
		"international", "united", "world", "interim", "transitional", "executive", "legislative", "ground",
		"naval", "marine", "navy", "army", "intelligence", "secret", "police", "traffic", "riot", "emergency":
		return true
	}
	return false
}

// readBodies adds to d.orgs the bodies named by a capitalised name ending
// in a body's word.
func (d *reader) readBodies() {
	added := false
	var lw map[string]bool
	lower := func() map[string]bool {
		if lw == nil {
			lw = d.lowerWords()
		}
		return lw
	}
	for i, t := range d.toks {
		if t.kind != tokWord || !t.upper || t.allUpper || !bodyHead(tokKey(t, d.low)) || d.entityCovering(i) >= 0 {
			continue
		}
		sent := d.sents[d.sentOf[i]]
		if sent.excluded || sent.dateline || d.headline(sent) {
			continue
		}
		s, country, ok := d.bodyStart(i, sent.start, lower)
		if !ok {
			continue
		}
		e, c2 := d.bodyEnd(i + 1)
		if country == "" {
			country = c2
		}
		if e-s < 2 || d.orgAt(s, e) {
			continue
		}
		for n := 0; n < 3 && e < len(d.toks) && d.toks[e].kind == tokWord && d.toks[e].upper && !d.toks[e].newline &&
			d.entityCovering(e) < 0 && d.inDate[e] == 0 && d.wi[e].month == 0 && d.wi[e].weekday == 0 && !d.inPerson(e, len(d.persons)); n++ {
			e++ // "the Combined Joint Task Force Operation Inherent Resolve"
		}
		if d.punct(e, ':') || strings.HasSuffix(tokKey(d.toks[s], d.low), "ing") {
			continue // "Implementing Trilateral Coast Guard Exercises:": a list item's label
		}
		generic := true
		for k := s; k < e; k++ {
			if d.toks[k].kind == tokWord && d.entityCovering(k) < 0 && !genericBodyWord(tokKey(d.toks[k], d.low)) && !bodyHead(tokKey(d.toks[k], d.low)) {
				generic = false
			}
		}
		if generic && country == "" {
			continue // "the Supreme Court said": whose court, the text does not say here
		}
		d.orgs = append(d.orgs, orgMention{start: s, end: e, name: oneSpaced(d.str(s, e)), country: country})
		added = true
	}
	if added {
		slices.SortFunc(d.orgs, func(a, b orgMention) int { return a.start - b.start })
	}
}

// bodyStart returns where the name ending in the head at token h starts,
// and the country a demonym, a country name or a possessive owner at its
// start gives ("Israeli Air Force", "Kenya Police", "Georgia's Supreme
// Court"). ok is false when no capitalised word precedes the head, or
// only a sentence's first word that the text also writes in lower case.
func (d *reader) bodyStart(h, sentStart int, lower func() map[string]bool) (int, string, bool) {
	s, country := h, ""
	for k := h - 1; k >= sentStart && h-k <= maxBodyWords; k-- {
		t := d.toks[k]
		if t.kind != tokWord {
			if (d.punct(k, '\'') || d.punct(k, '’')) && !t.space && k > 0 {
				if en := d.entityCovering(k - 1); en >= 0 && d.ents[en].actor >= 0 {
					country = d.x.entities[d.ents[en].actor].country // "Georgia's Supreme Court"
				}
			}
			break
		}
		if !t.upper {
			w := tokKey(t, d.low)
			if (w == "of" || w == "for" || w == "and") && k-1 >= sentStart && d.toks[k-1].kind == tokWord && d.toks[k-1].upper {
				continue // "Ministry of Foreign Affairs Office": the small words of a name
			}
			break
		}
		if d.inDate[k] != 0 || d.wi[k].month != 0 || d.wi[k].weekday != 0 || d.inPerson(k, len(d.persons)) || d.hasCue(k, cueTitle) {
			break
		}
		if en := d.entityCovering(k); en >= 0 {
			if em := d.ents[en]; em.actor >= 0 {
				switch e := d.x.entities[em.actor]; {
				case e.role == roleDemonym || e.kind == entCountry:
					s, country = em.start, e.country // "Israeli Air Force", "Kenya Police"
				case e.kind == entOrg:
					s, country = em.start, e.country // "NATO Parliamentary Assembly": the organisation's own body
				}
			}
			break
		}
		s = k
	}
	for s < h && (!d.toks[s].upper || d.hasCue(s, cueDeterminer)) {
		s++ // "of" or "The" first: not a word of the name
	}
	if s == h {
		return h, "", false
	}
	if s == sentStart && s+1 == h && lower()[tokKey(d.toks[s], d.low)] {
		return h, "", false // "Federal Police said": a sentence's first word may be a common one
	}
	return s, country, true
}

// bodyEnd returns where a body's name that ends in a head at token e-1
// goes on: "of" or "for" and a capitalised name or a country ("Supreme
// Court of Georgia", "Ministry of Defence", "Office for Democratic
// Institutions"), and the country so named.
func (d *reader) bodyEnd(e int) (int, string) {
	if !d.word(e, wOf) && !d.lowIs(e, "for") {
		return e, ""
	}
	k := e + 1
	if d.word(k, wThe) {
		k++
	}
	if c, _, end := d.entityAt2(k); end > 0 {
		if d.possessive(end + 1) {
			return e, "" // "the Standing Committee of China's National People's Congress"
		}
		return end, c
	}
	n := 0
	for k < len(d.toks) && n < 4 && d.toks[k].kind == tokWord && d.toks[k].upper && !d.toks[k].newline &&
		d.inDate[k] == 0 && d.wi[k].month == 0 && d.wi[k].weekday == 0 && !d.inPerson(k, len(d.persons)) {
		k++
		n++
		if d.word(k, wAnd) && k+1 < len(d.toks) && d.toks[k+1].upper {
			k++
		}
	}
	if n == 0 {
		return e, ""
	}
	return k, ""
}

// orgAt reports whether an organisation read already covers [s,e).
func (d *reader) orgAt(s, e int) bool {
	for _, o := range d.orgs {
		if o.start < e && s < o.end {
			return true
		}
	}
	return false
}
