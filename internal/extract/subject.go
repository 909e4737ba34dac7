package extract

import "sort"

// stateSubject reports whether the verb trigger [s,e) has a country or a
// capital as its subject and a place or country after it within window
// tokens of its clause: "Russia attacked Kyiv", "Israel struck Beirut's
// southern suburbs", "Ukraine hit an oil refinery in Ryazan". The subject
// is the name right before the verb, or before one lower-case adverb
// ("Russia again attacked"); a name after a preposition ("critics in Kyiv
// attacked") or in a possessive ("Egypt's opposition attacked") is not it.
func (d *reader) stateSubject(s, e, window int) bool {
	i := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].end >= s-1 })
	subject := false
	for ; i < len(d.ents) && d.ents[i].end <= s; i++ {
		en := d.ents[i]
		if en.end < s && !d.adverbGap(en.end, s) {
			continue
		}
		if en.actor < 0 || d.clause[en.start] != d.clause[s] || d.endsCue(en.start-1, cueLocative) || d.preposition(en.start-1) {
			continue
		}
		if ent := d.x.entities[en.actor]; ent.kind == entCountry && (ent.role == roleName || ent.role == roleMetonym) {
			subject = true
			break
		}
	}
	if !subject {
		return false
	}
	for ; i < len(d.ents) && d.ents[i].start < e+window; i++ {
		en := d.ents[i]
		if en.start < e || d.clause[en.start] != d.clause[s] {
			continue
		}
		if en.place >= 0 || en.actor >= 0 && d.x.entities[en.actor].kind == entCountry && d.x.entities[en.actor].role == roleName {
			return true
		}
	}
	return false
}

// adverbGap reports whether token k, the only one before s, is a
// lower-case word that is no trigger and no date: "Russia again attacked".
func (d *reader) adverbGap(k, s int) bool {
	return k == s-1 && d.toks[k].kind == tokWord && !d.toks[k].upper && !d.trigAt[k] && d.inDate[k] == 0 &&
		!d.hasCue(k, cueDeterminer) && !d.hasCue(k, cueClauseBreak) && !d.preposition(k)
}

// preposition reports whether token k is a preposition that makes the name
// after it no subject ("of", "from", "by", "against", "with", "to").
func (d *reader) preposition(k int) bool {
	if k < 0 || k >= len(d.toks) || d.toks[k].kind != tokWord {
		return false
	}
	switch string(d.low[d.toks[k].start:d.toks[k].end]) {
	case "of", "from", "by", "against", "with", "to", "for", "on", "at", "in", "near", "than":
		return true
	}
	return false
}
