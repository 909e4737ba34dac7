package extract

import (
	"slices"
	"strings"
	"unicode"
)

// News defines an organisation's acronym once and then uses it: "the
// National Transportation Safety Board (NTSB) said ... The NTSB said".
// readAcronyms takes a capitalised name followed by its acronym in
// brackets as the name of an organisation, an actor, and every later use
// of the acronym as that organisation. A name the gazetteer knows keeps
// its canonical form ("International Atomic Energy Agency (IAEA)").

// orgMention is one mention of an organisation read from the text.
type orgMention struct {
	start, end int
	name       string
	country    string
}

// maxOrgWords bounds the name before an acronym.
const maxOrgWords = 10

// readAcronyms fills d.orgs, in text order.
func (d *reader) readAcronyms() {
	d.orgs = d.orgs[:0]
	type def struct{ acronym, name, country string }
	var defs []def
	for i := 1; i+2 < len(d.toks); i++ {
		if !d.punct(i, '(') || !d.punct(i+2, ')') || d.toks[i+1].kind != tokWord || !d.toks[i+1].allUpper {
			continue
		}
		acr := d.text[d.toks[i+1].start:d.toks[i+1].end]
		if len(acr) < 2 || len(acr) > 8 {
			continue
		}
		s := d.orgNameBefore(i, acr)
		if s < 0 {
			continue
		}
		name, country := oneSpaced(d.str(s, i)), ""
		if en := d.entityCovering(s); en >= 0 && d.ents[en].end == i && d.ents[en].actor >= 0 {
			e := d.x.entities[d.ents[en].actor]
			name, country = e.name, e.country // the gazetteer's name
		} else {
			d.orgs = append(d.orgs, orgMention{start: s, end: i, name: name})
		}
		if !slices.ContainsFunc(defs, func(x def) bool { return x.acronym == acr }) {
			defs = append(defs, def{acr, name, country})
		}
		i += 2
	}
	if len(defs) == 0 {
		return
	}
	for i, t := range d.toks {
		if t.kind != tokWord || !t.allUpper || d.entityCovering(i) >= 0 || d.punct(i-1, '(') {
			continue
		}
		w := d.text[t.start:t.end]
		if k := slices.IndexFunc(defs, func(x def) bool { return x.acronym == w }); k >= 0 {
			d.orgs = append(d.orgs, orgMention{start: i, end: i + 1, name: defs[k].name, country: defs[k].country})
		}
	}
	slices.SortFunc(d.orgs, func(a, b orgMention) int { return a.start - b.start })
}

// orgNameBefore returns where the name that acronym acr abbreviates starts,
// the name ending at token e: capitalised words (with "of", "for", "and",
// "the" between them) whose initials spell the acronym's letters in order,
// the longest such ("Multilateral Sanctions Monitoring Team (MSMT)", not
// "Monitoring Team"). It returns -1 when the words before e do not fit.
func (d *reader) orgNameBefore(e int, acr string) int {
	letters := []rune(strings.ToUpper(acr))
	s, best := e, -1
	for s > 0 && e-s < maxOrgWords {
		if s < e && d.toks[s].newline {
			break // the name opens its line
		}
		t := d.toks[s-1]
		if t.kind != tokWord {
			break
		}
		if !t.upper {
			switch tokKey(t, d.low) {
			case "of", "for", "and", "on", "the", "de":
				s--
				continue
			}
			break
		}
		s--
		if r := []rune(d.text[t.start:t.end])[0]; unicode.ToUpper(r) == letters[0] && d.initialsFit(s, e, letters) {
			best = s
		}
	}
	return best
}

// initialsFit reports whether the capitalised words of tokens [s,e) begin
// with letters, in order, each word giving one letter or more (a word
// such as "Transportation" may stand for "T" alone).
func (d *reader) initialsFit(s, e int, letters []rune) bool {
	var initials []rune
	for i := s; i < e; i++ {
		if t := d.toks[i]; t.kind == tokWord && t.upper {
			initials = append(initials, []rune(d.text[t.start:t.end])[0])
		}
	}
	if len(initials) == 0 || len(initials) > len(letters) {
		return false
	}
	// Every initial must appear in the acronym, in order, starting with
	// its first letter.
	j := 0
	for _, r := range initials {
		for j < len(letters) && letters[j] != unicode.ToUpper(r) {
			j++
		}
		if j == len(letters) {
			return false
		}
		j++
	}
	return true
}
