package extract

import (
	"slices"
	"sort"
	"strings"
)

// Gazetteers name the countries, organisations and best-known figures;
// news names many more people, and they are the actors of its events:
// "NTSB Chair Jennifer Homendy told reporters", "Kerry said Sunday",
// "French President Emmanuel Macron". readPersons finds them:
//
//   - a title of office or address, then a name ("Secretary Blinken",
//     "Foreign Minister Yoko Kamikawa", "Mr. Annan"); the country or
//     organisation is the one named right before the title ("French
//     President", "Russia's Foreign Minister", "UN Secretary-General",
//     "Kremlin spokesman") or after it ("the Foreign Minister of Japan",
//     "President Erdogan of Turkey");
//   - a full name of two or more words right before a reporting verb
//     ("Jennifer Homendy told reporters") or right after one ("said John
//     Kirby, a spokesman");
//   - the surname alone of anyone named so before ("Homendy said"), which
//     is the same person.
//
// A name the gazetteer knows (people*.yaml) takes its canonical form and
// country. A person is an actor by name, with their country or
// organisation beside them.

// person is one mention of a person in the text.
type person struct {
	start, end int    // the name's tokens
	name       string // the full name, canonical when the gazetteer knows it
	country    string // canonical country, "" when the text gives none
	org        string // canonical organisation, "" when none
	words      int    // words of the name as written
}

// maxNameTokens bounds a person's name, particles and initials included.
const maxNameTokens = 8

// readPersons fills d.persons, in text order.
func (d *reader) readPersons() {
	d.persons = d.persons[:0]
	for k := 0; k < len(d.found); k++ {
		m := d.found[k]
		if m.p.kind != payCue || m.p.id != cueTitle {
			continue
		}
		end := int(m.end)
		for k+1 < len(d.found) && d.found[k+1].start == m.start {
			k++
			if f := d.found[k]; f.p.kind == payCue && f.p.id == cueTitle && int(f.end) > end {
				end = int(f.end)
			}
		}
		d.titled(int(m.start), end)
	}
	for i := range d.toks {
		if d.hasCue(i, cueSpeech) {
			d.speakerNear(i)
		}
	}
	for si := range d.sents {
		d.subjectName(d.sents[si])
	}
	d.echoedNames()
	slices.SortFunc(d.persons, func(a, b person) int { return a.start - b.start })
	d.persons = dedupPersons(d.persons)
	d.surnames()
}

// placeAsGivenName reads a name after a title whose first word is also a
// place of the gazetteer ("Foreign Minister Surin Pitsuwan", Surin being a
// Thai province): a one-word place, no country or actor, followed by a
// name. The place reading is dropped. It returns -1, -1 when there is none.
func (d *reader) placeAsGivenName(j int) (int, int) {
	en := d.entityCovering(j)
	if en < 0 || d.ents[en].start != j || d.ents[en].end != j+1 || d.ents[en].actor >= 0 || !d.toks[j].upper || d.toks[j].allUpper {
		return -1, -1
	}
	if j+1 >= len(d.toks) || d.toks[j+1].space == false || !d.nameWord(j+1) {
		return -1, -1
	}
	_, ne := d.nameAt(j + 1)
	if ne < 0 {
		return -1, -1
	}
	d.ents = slices.Delete(d.ents, en, en+1)
	// Later, the given name alone is the person too ("Surin arrived here
	// Wednesday"), not the place.
	w := d.text[d.toks[j].start:d.toks[j].end]
	for k := len(d.ents) - 1; k >= 0 && d.ents[k].start > ne; k-- {
		if e := d.ents[k]; e.end == e.start+1 && e.actor < 0 && d.text[d.toks[e.start].start:d.toks[e.start].end] == w {
			d.ents = slices.Delete(d.ents, k, k+1)
		}
	}
	return j, ne
}

// echoedNames adds the names of two to four capitalised words whose last
// word comes back alone later ("Trump granted Angela Ronae Stanton a
// pardon. Stanton was convicted ..."): a text that calls something by its
// last word alone is naming a person. A word the text also writes in
// lower case ("the Security Council ... the council") is no surname.
func (d *reader) echoedNames() {
	var lower map[string]bool // lower-case words of the text, made on first need
	n := len(d.persons)
	for si := range d.sents {
		s := d.sents[si]
		if s.excluded || s.headline {
			continue
		}
		for j := s.start; j < s.end; j++ {
			if !d.nameWord(j) || j > s.start && d.nameWord(j-1) {
				continue
			}
			ns, ne := d.nameAt(j)
			if ns < 0 || ne > s.end || d.inPerson(ns, n) || d.inPerson(ne-1, n) {
				continue
			}
			last := ne - 1
			for last > ns && (d.toks[last].kind != tokWord || isSuffix(tokKey(d.toks[last], d.low))) {
				last--
			}
			words := 0
			for k := ns; k <= last; k++ {
				if d.toks[k].kind == tokWord && d.toks[k].upper {
					words++
				}
			}
			if words < 2 || words > 4 || d.toks[last].allUpper || d.toks[last].end-d.toks[last].start < 3 {
				continue
			}
			w := d.text[d.toks[last].start:d.toks[last].end]
			if !d.echoed(w, ne) {
				continue
			}
			if lower == nil {
				lower = d.lowerWords()
			}
			if lower[strings.ToLower(w)] {
				continue
			}
			if ns == s.start && lower[tokKey(d.toks[ns], d.low)] {
				ns++ // "Yesterday Pete Buttigieg": a sentence's first word may be no name
				if words == 2 {
					continue
				}
			}
			d.addPerson(ns, ne, "", "")
			j = ne - 1
		}
	}
}

// echoed reports whether w comes back after token from as a lone
// capitalised word that can be a surname.
func (d *reader) echoed(w string, from int) bool {
	if from >= len(d.toks) || !strings.Contains(d.text[d.toks[from].start:], w) {
		return false // the word does not come back at all
	}
	for k := from; k < len(d.toks); k++ {
		t := d.toks[k]
		if t.kind != tokWord || !t.upper || int(t.end-t.start) != len(w) || d.text[t.start:t.end] != w {
			continue
		}
		if d.sents[d.sentOf[k]].excluded || !d.loneSurname(k) || k+1 < len(d.toks) && d.nameWord(k+1) {
			continue
		}
		if k > 0 && (d.word(k-1, wThe) || d.hasCue(k-1, cueDeterminer)) {
			continue // "the Commission"
		}
		return true
	}
	return false
}

// lowerWords returns the set of words the text writes in lower case.
func (d *reader) lowerWords() map[string]bool {
	m := make(map[string]bool, len(d.toks)/2)
	for _, t := range d.toks {
		if t.kind == tokWord && !t.upper {
			m[tokKey(t, d.low)] = true
		}
	}
	return m
}

// titled reads the person a title [ts,te) introduces, if any.
func (d *reader) titled(ts, te int) {
	si := d.sentOf[ts]
	if d.sents[si].excluded || d.inDate[ts] != 0 || d.sents[si].headline {
		return
	}
	j := te
	if d.punct(j, '.') && !d.toks[j].space {
		j++ // "Gen.", "Mr."
	}
	country, org := d.entityBefore(ts, te)
	if d.word(j, wOf) {
		if c, o, e := d.entityAt2(j + 1); e > 0 {
			country, org = firstNonEmpty(country, c), firstNonEmpty(org, o)
			j = e // "the Foreign Minister of Japan"
			if d.punct(j, ',') {
				j++ // "the President of the United States, Joe Biden,"
			}
		}
	}
	ns, ne := d.nameAt(j)
	if ns < 0 {
		ns, ne = d.placeAsGivenName(j)
	}
	if ns < 0 || d.sentOf[ns] != si {
		return
	}
	if d.word(ne, wOf) {
		if c, o, e := d.entityAt2(ne + 1); e > 0 {
			country, org = firstNonEmpty(country, c), firstNonEmpty(org, o) // "President Erdogan of Turkey"
		}
	}
	d.addPerson(ns, ne, country, org)
}

// speakerNear reads a full name of two or more words ending right before
// the reporting verb at token i ("Jennifer Homendy told"), or starting
// right after it and followed by a comma ("said John Kirby, a spokesman").
func (d *reader) speakerNear(i int) {
	if s := d.nameBefore(i); s >= 0 {
		d.addPerson(s, i, "", "")
		return
	}
	if j := d.beforeDay(i); j < i {
		if s := d.nameBefore(j); s >= 0 {
			d.addPerson(s, j, "", "") // "Neil Basu, on Sunday said"
			return
		}
	}
	if k := i - 1; k >= 0 && d.loneSurname(k) {
		d.addPerson(k, i, "", "") // "Kerry said Sunday"
		return
	}
	if ns, ne := d.nameAt(i + 1); ns >= 0 && d.punct(ne, ',') && d.sentOf[ns] == d.sentOf[i] {
		d.addPerson(ns, ne, "", "")
	}
}

// subjectName reads a full name of two or more words opening sentence s,
// or its main clause after a short opening ("On Thursday, ..."),
// and followed by a lower-case word or an apposition: "Crystal Munoz was
// convicted", "Deval Patrick, the former governor, ended his campaign".
func (d *reader) subjectName(s sentence) {
	if s.excluded || s.dateline || s.end-s.start < 3 || s.headline {
		return
	}
	i := s.start
	if k := sort.Search(len(d.dates), func(k int) bool { return d.dates[k].s >= i }); k < len(d.dates) && d.dates[k].s == i &&
		d.dates[k].e < s.end && (d.dash(d.dates[k].e) || d.punct(d.dates[k].e, ':')) {
		i = d.dates[k].e + 1 // "9 April – Anatoly Bibilov wins the presidential election": past the entry's date
	}
	for i < s.end && d.toks[i].kind == tokPunct && (d.opener(i) || d.dash(i)) {
		i++
	}
	d.subjectAt(i, s)
	for k := i + 1; k < s.end && k <= i+6; k++ {
		if d.punct(k, ',') {
			d.subjectAt(k+1, s) // "On Thursday, Sergei Sobyanin, the mayor of Moscow, extended ..."
			break
		}
	}
}

// subjectAt adds the name of two or more words starting at token i of
// sentence s when a verb, an apposition ("John Smith, the mayor") or a
// relative clause follows it.
func (d *reader) subjectAt(i int, s sentence) {
	ns, ne := d.nameAt(i)
	if ns < 0 || ne >= s.end || ne-ns < 2 {
		return
	}
	words := 0
	for k := ns; k < ne; k++ {
		if d.toks[k].kind == tokWord && d.toks[k].upper {
			words++
		}
	}
	next := d.toks[ne]
	switch {
	case words < 2:
	case next.kind == tokWord && groupNoun(tokKey(next, d.low)):
		// "Allied Air forces began an attack": a name's modifier, not a person
	case next.kind == tokWord && !next.upper && !d.hasCue(ne, cueNameParticle):
		d.addPerson(ns, ne, "", "")
	case d.punct(ne, ',') && ne+1 < len(d.toks) && (d.hasCue(ne+1, cueDeterminer) || d.word(ne+1, wThe) || tokKey(d.toks[ne+1], d.low) == "who"):
		d.addPerson(ns, ne, "", "")
	}
}

// headline reports whether sentence s is written in title case, as
// headlines are ("Secretary-General Announces Agreement on Time for
// Cessation of Hostilities"); markHeadlines computes it once.
func (d *reader) headline(s sentence) bool { return s.headline || s.titleLine }

// markHeadlines marks the sentences written in title case.
func (d *reader) markHeadlines() {
	for si := range d.sents {
		d.sents[si].headline = d.titleCase(d.sents[si])
	}
	if len(d.sents) > 1 && d.firstLineTitle(d.sents[0]) {
		d.sents[0].titleLine = true // "UK urges US to waive immunity ..." above the story
	}
}

// maxTitleTokens bounds a title line.
const maxTitleTokens = 30

// firstLineTitle reports whether sentence s, the first of the text, is its
// title in sentence case: a whole line of four words or more, with no
// closing punctuation, that the text goes on after.
func (d *reader) firstLineTitle(s sentence) bool {
	if s.dateline || s.end-s.start < 4 || s.end-s.start > maxTitleTokens || s.end >= len(d.toks) || !d.toks[s.end].newline {
		return false
	}
	if last := s.end - 1; d.toks[last].kind == tokPunct && (d.punct(last, '.') || d.punct(last, '!') || d.punct(last, '?') || d.punct(last, ':')) {
		return false
	}
	words := 0
	for i := s.start; i < s.end; i++ {
		if d.toks[i].kind == tokWord {
			words++
		}
	}
	return words >= 4
}

// titleCase reports whether most of the longer words of s are capitalised
// and it does not end as a sentence does: "Senator Amy Klobuchar of
// Minnesota won 7 delegates on Saturday." is told, not a headline.
func (d *reader) titleCase(s sentence) bool {
	if s.end > s.start && d.punct(s.end-1, '.') && s.end-s.start > 6 {
		return false
	}
	long, upper := 0, 0
	for i := s.start; i < s.end; i++ {
		if t := d.toks[i]; t.kind == tokWord && t.end-t.start >= 4 {
			long++
			if t.upper {
				upper++
			}
		}
	}
	return long >= 4 && upper*10 >= long*7
}

// loneSurname reports whether token k, right before a reporting verb, is
// a surname used alone: a capitalised word that starts no phrase of the
// rules, not a plural ("Analysts") and not in capitals.
func (d *reader) loneSurname(k int) bool {
	t := d.toks[k]
	if !d.nameWord(k) || t.allUpper || t.end-t.start < 3 || d.wi[k].concepts != 0 || len(d.phrasesAt(k)) > 0 {
		return false // a word the rules know ("Officials", "Witnesses") is no name
	}
	if d.low[t.end-1] == 's' {
		return false
	}
	return k == d.sents[d.sentOf[k]].start || !d.toks[k-1].upper || d.toks[k-1].kind != tokWord
}

// nameBefore returns where a name of two to four capitalised words ending
// at token e starts, or -1.
func (d *reader) nameBefore(e int) int {
	s := e
	for s > 0 && e-s < 4 && d.nameWord(s-1) && d.sentOf[s-1] == d.sentOf[e] {
		s--
	}
	if e-s < 2 {
		return -1
	}
	if ns, ne := d.nameAt(s); ns != s || ne != e {
		return -1
	}
	return s
}

// nameWord reports whether token i can be a word of a name: capitalised,
// no title, month, weekday or stop word, and no gazetteer name but a
// person's.
func (d *reader) nameWord(i int) bool {
	t := d.toks[i]
	if t.kind != tokWord || !t.upper || d.inDate[i] != 0 || d.wi[i].month != 0 || d.wi[i].weekday != 0 {
		return false
	}
	if n := t.end - t.start; n <= 2 && t.allUpper && !(n == 1 && d.punct(i+1, '.') && !d.toks[i+1].space) {
		return false // "Q", "NA"; an initial is "J."
	}
	if t.allUpper && t.end-t.start > 2 && !(i > 0 && d.toks[i-1].kind == tokWord && d.toks[i-1].upper && !d.toks[i-1].allUpper) {
		return false // "NATO", "UN"; a surname in capitals after a given name ("Carlos Saul MENEM") is a name
	}
	if d.hasCue(i, cueNameStop) || d.hasCue(i, cueTitle) || d.wi[i].abbrev && d.punct(i+1, '.') {
		return false
	}
	if en := d.entityCovering(i); en >= 0 {
		e := d.ents[en]
		return e.actor >= 0 && d.x.entities[e.actor].role == rolePerson
	}
	return true
}

// nameAt returns the tokens [s,e) of a person's name starting at token j:
// capitalised words, initials ("J."), particles ("al-", "bin", "van")
// inside it, hyphenated and apostrophised parts ("Al-Sisi", "O'Brien");
// -1, -1 when none starts there.
func (d *reader) nameAt(j int) (int, int) {
	n := len(d.toks)
	k, words := j, 0
	for k < n && k-j < maxNameTokens {
		if k > j && d.toks[k].newline {
			break
		}
		switch {
		case d.nameWord(k):
			words++
			k++
			for k+1 < n && (d.punct(k, '-') || d.punct(k, '\'') || d.punct(k, '’')) && !d.toks[k].space && !d.toks[k+1].space &&
				d.toks[k+1].kind == tokWord && d.toks[k+1].upper {
				k += 2 // "Al-Sisi", "O'Brien"
			}
			if words >= 2 && d.koreanPart(k) {
				k += 2 // "Kim Hong-kyun", "Lee Jae-myung": a given name's lower-case second syllable
			}
			if d.toks[k-1].end-d.toks[k-1].start == 1 && d.punct(k, '.') && !d.toks[k].space {
				k++ // an initial: "John F. Kennedy"
			}
		case words > 0 && d.toks[k].kind == tokWord && !d.toks[k].upper && d.hasCue(k, cueNameParticle) && k+1 < n &&
			(d.toks[k+1].upper || d.punct(k+1, '-') && k+2 < n && d.toks[k+2].upper):
			k++ // "bin", "al-"
			if d.punct(k, '-') && !d.toks[k].space {
				k++
			}
		default:
			if words == 0 {
				return -1, -1
			}
			return j, d.suffixEnd(k)
		}
	}
	if words == 0 {
		return -1, -1
	}
	return j, d.suffixEnd(k)
}

// koreanPart reports whether token k is a hyphen joined to a short
// lower-case word that ends a given name ("Hong-kyun", "Jae-in"), not a
// compound's suffix ("Hong Kong-based", "President-elect").
func (d *reader) koreanPart(k int) bool {
	if k+1 >= len(d.toks) || !d.punct(k, '-') || d.toks[k].space || d.toks[k+1].space || d.toks[k+1].kind != tokWord || d.toks[k+1].upper {
		return false
	}
	t := d.toks[k+1]
	if n := t.end - t.start; n < 2 || n > 5 {
		return false
	}
	if k+2 < len(d.toks) && !d.toks[k+2].space && (d.punct(k+2, '-') || d.toks[k+2].kind == tokWord) {
		return false // "Hong-kyun-style"
	}
	switch tokKey(t, d.low) {
	case "elect", "based", "led", "backed", "born", "run", "era", "style", "type", "class", "level", "owned", "held", "wide", "made", "like", "free":
		return false
	}
	return true
}

// suffixEnd returns the end of a name that ends at token k, a suffix
// after it included ("Edward J. DeBartolo Jr.", "Martin Luther King Jr."):
// "Jr." and "Sr." with their full stop.
func (d *reader) suffixEnd(k int) int {
	if k+1 < len(d.toks) && d.toks[k].kind == tokWord && d.toks[k].upper && !d.toks[k].newline && d.punct(k+1, '.') && !d.toks[k+1].space {
		switch tokKey(d.toks[k], d.low) {
		case "jr", "sr":
			return k + 2
		}
	}
	return k
}

// entityBefore returns the country or organisation named right before the
// title [ts,te) ("French President", "Russia's foreign minister", "UN
// Secretary-General") or overlapping it.
func (d *reader) entityBefore(ts, te int) (country, org string) {
	k := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].end > ts-3 })
	for ; k < len(d.ents) && d.ents[k].start < te; k++ {
		en := d.ents[k]
		end := en.end
		if d.possessive(end+1) && (d.punct(end, '\'') || d.punct(end, '’')) {
			end += 2 // "Russia's"
		}
		if !(end == ts || en.start <= ts && en.end > ts) || en.actor < 0 {
			continue
		}
		e := d.x.entities[en.actor]
		switch {
		case e.kind == entCountry && e.role != rolePerson:
			return e.country, ""
		case e.kind == entOrg:
			return e.country, e.name
		}
	}
	return "", ""
}

// entityAt2 returns the country or organisation named at token i (after
// an optional "the") and the token after it; end 0 when none.
func (d *reader) entityAt2(i int) (country, org string, end int) {
	if d.word(i, wThe) {
		i++
	}
	k := sort.Search(len(d.ents), func(j int) bool { return d.ents[j].start >= i })
	if k >= len(d.ents) || d.ents[k].start != i {
		return "", "", 0
	}
	en := d.ents[k]
	id := en.actor
	if id < 0 {
		id = en.place
	}
	e := d.x.entities[id]
	switch e.kind {
	case entCountry:
		return e.country, "", en.end
	case entOrg:
		return e.country, e.name, en.end
	}
	return "", "", 0
}

// entityCovering returns the index in d.ents of the name covering token i,
// or -1.
func (d *reader) entityCovering(i int) int {
	k := sort.Search(len(d.ents), func(j int) bool { return d.ents[j].end > i })
	if k < len(d.ents) && d.ents[k].start <= i {
		return k
	}
	return -1
}

// addPerson records the person named by tokens [s,e).
func (d *reader) addPerson(s, e int, country, org string) {
	p := person{start: s, end: e, name: d.nameText(s, e), country: country, org: org}
	for i := s; i < e; i++ {
		if d.toks[i].kind == tokWord && d.toks[i].upper {
			p.words++
		}
	}
	for i := s; i < e; i++ {
		en := d.entityCovering(i)
		if en < 0 || d.ents[en].actor < 0 {
			continue
		}
		if g := d.x.entities[d.ents[en].actor]; g.role == rolePerson {
			p.name = g.person
			if g.kind == entOrg {
				p.org, p.country = g.name, firstNonEmpty(g.country, p.country)
			} else {
				p.country = g.country
			}
			break
		}
	}
	if p.words == 0 {
		return
	}
	d.persons = append(d.persons, p)
}

// nameText returns the name written by tokens [s,e), spaced as in the text.
func (d *reader) nameText(s, e int) string {
	return oneSpaced(d.str(s, e))
}

// oneSpaced returns s with each run of white space made one space; s
// itself, without copying, when it has none to change.
func oneSpaced(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\t' || c == '\r' || c == ' ' && i+1 < len(s) && s[i+1] == ' ' || c >= 0x80 {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// dedupPersons drops mentions that overlap an earlier one.
func dedupPersons(ps []person) []person {
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && p.start < out[n-1].end {
			if p.end-p.start > out[n-1].end-out[n-1].start {
				out[n-1] = p
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// manyNames is the number of surnames past which they are looked up in a
// map rather than a list.
const manyNames = 16

// surnames adds a mention for each later use of the surname of a person
// named in full ("Homendy said"), with that person's name and country.
func (d *reader) surnames() {
	if len(d.persons) == 0 {
		return
	}
	type known struct {
		surname string
		p       person
	}
	var byName []known
	var index map[string]int // surname to byName, for texts of many names
	find := func(w string) int {
		if index != nil {
			if j, ok := index[w]; ok {
				return j
			}
			return -1
		}
		return slices.IndexFunc(byName, func(k known) bool { return k.surname == w })
	}
	for _, p := range d.persons {
		if p.words < 2 {
			continue
		}
		last := p.end - 1
		for last > p.start && (d.toks[last].kind != tokWord || isSuffix(tokKey(d.toks[last], d.low))) {
			last--
		}
		sn := d.text[d.toks[last].start:d.toks[last].end]
		if find(sn) >= 0 {
			continue
		}
		byName = append(byName, known{sn, p})
		if index == nil && len(byName) > manyNames {
			index = make(map[string]int, 2*len(byName))
			for j, k := range byName {
				index[k.surname] = j
			}
		} else if index != nil {
			index[sn] = len(byName) - 1
		}
	}
	if len(byName) == 0 {
		return
	}
	n := len(d.persons)
	for pi := range d.persons[:n] {
		p := &d.persons[pi]
		if p.words != 1 {
			continue
		}
		if j := find(d.text[d.toks[p.start].start:d.toks[p.start].end]); j >= 0 && byName[j].p.start < p.start {
			// "Senator Klobuchar", after "Senator Amy Klobuchar": the same person
			full := byName[j].p
			p.name = full.name
			if p.country == "" {
				p.country = full.country
			}
			if p.org == "" {
				p.org = full.org
			}
		}
	}
	for i, t := range d.toks {
		if t.kind != tokWord || !t.upper {
			continue
		}
		w := d.text[t.start:t.end]
		j := find(w)
		if j < 0 {
			continue
		}
		k := byName[j]
		if i < k.p.end || d.inPerson(i, n) || d.entityCovering(i) >= 0 || d.sents[d.sentOf[i]].excluded {
			continue
		}
		if d.punct(i+1, '-') && !d.toks[i+1].space {
			continue // "Kerry-Lugar": another name
		}
		p := k.p
		p.start, p.end, p.words = i, i+1, 1
		d.persons = append(d.persons, p)
	}
	if len(d.persons) > n {
		slices.SortFunc(d.persons, func(a, b person) int { return a.start - b.start })
	}
}

// inPerson reports whether token i lies in one of the first n persons.
func (d *reader) inPerson(i, n int) bool {
	k := sort.Search(n, func(j int) bool { return d.persons[j].end > i })
	return k < n && d.persons[k].start <= i
}

// isSuffix reports whether w is a name suffix ("jr", "iii").
func isSuffix(w string) bool {
	switch w {
	case "jr", "sr", "ii", "iii", "iv":
		return true
	}
	return false
}

// firstNonEmpty returns a, or b when a is empty.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// groupNoun reports whether w names a body of people that a capitalised
// modifier qualifies ("Allied Air forces", "Border Guard officials").
func groupNoun(w string) bool {
	switch w {
	case "forces", "force", "troops", "army", "officials", "authorities", "police", "militants", "fighters", "rebels",
		"soldiers", "units", "unit", "guards", "personnel", "government", "party", "militia", "militias", "navy", "ships":
		return true
	}
	return false
}

// beforeDay returns where the day told right before token i begins,
// with its "on" and a comma before it ("…, Neil Basu, on Sunday said"),
// or i when no date stands there.
func (d *reader) beforeDay(i int) int {
	if i == 0 || d.inDate[i-1] == 0 {
		return i
	}
	j := d.dates[d.inDate[i-1]-1].s
	if j > 0 && d.word(j-1, wOn) {
		j--
	}
	if j > 0 && d.punct(j-1, ',') {
		j--
	}
	return j
}
