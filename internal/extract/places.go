package extract

import (
	"slices"
	"sort"

	"github.com/dateline/dateline/internal/event"
)

// The gazetteers hold countries, cities and regions; news happens in
// villages, camps, districts, streets and bases they will never list:
// "15 km north of Aguelhok", "in Central Equatoria", "at Abbey Gate",
// "in Forbury Gardens". readPlaces takes a capitalised name right after a
// locative preposition ("in", "at", "near", "north of") as a place when
// nothing else claims it: not a gazetteer name, a date, a person, a body
// ("in Parliament") or a title. Such a place has no coordinates; its
// country is the one the text names right after it ("in Taba, Egypt"),
// else none.

// looseName is a place read from the text alone.
type looseName struct {
	start, end int
	name       string
	country    string
}

// maxPlaceWords bounds a place name read from the text.
const maxPlaceWords = 4

// readPlaces fills d.loose, in text order.
func (d *reader) readPlaces() {
	d.loose = d.loose[:0]
	for i := range d.toks {
		if !d.endsCue(i, cueLocative) || i+1 >= len(d.toks) || !d.toks[i].space && i > 0 {
			continue // "Jama'at": a locative is a word of its own
		}
		s := i + 1
		if d.word(s, wThe) {
			s++
		}
		if s >= len(d.toks) || d.sents[d.sentOf[s]].excluded || d.sents[d.sentOf[s]].dateline ||
			d.headline(d.sents[d.sentOf[s]]) && d.entryTitleDate(s) < 0 { // "6-8 January – WW2: Battle of Slim River" titles its entry
			continue
		}
		e := d.placeNameEnd(s)
		if e <= s {
			if en := d.entityCovering(s); en >= 0 && d.ents[en].start == s && d.ents[en].place >= 0 {
				d.loosePlaceList(d.ents[en].end) // "the city of Sidon and the Ein-el-Hilweh camp"
			}
			continue
		}
		p := looseName{start: s, end: e, name: oneSpaced(d.str(s, e))}
		if d.punct(e, ',') {
			if c, _, end := d.entityAt2(e + 1); end > 0 && c != "" {
				p.country = c // "in Taba, Egypt"
			}
		}
		d.loose = append(d.loose, p)
		if p.country == "" {
			d.loosePlaceList(e)
		}
	}
	d.entryTitlePlaces()
}

// entryTitlePlaces reads the place that names the event of a chronology's
// entry: "July 21 – Halamish stabbing attack", "August 2 – 2017 Yavne
// attack": a capitalised name right before an event noun at the head of a
// dated line.
func (d *reader) entryTitlePlaces() {
	for _, m := range d.dates {
		if m.s != 0 && !d.toks[m.s].newline || !d.dash(m.e) && !d.punct(m.e, ':') || !m.ok || m.citation {
			continue
		}
		s := m.e + 1
		if d.year(s) != 0 {
			s++ // "2017 Yavne attack"
		}
		if s+1 < len(d.toks) && d.toks[s].kind == tokWord && d.toks[s].allUpper && d.punct(s+1, ':') {
			s += 2 // "WW2: Parit Sulong Massacre": a tag before the entry's title
		}
		if s >= len(d.toks) || d.toks[s].newline || d.entityCovering(s) >= 0 || d.participle(s) {
			continue // "Starting Battle of Kampar": a verb, not a name
		}
		e := d.placeNameEnd(s)
		for j := s + 1; j < e; j++ {
			if d.trigAt[j] {
				e = j // "Parit Sulong Massacre": the name ends at the event noun
				break
			}
		}
		if e <= s || e >= len(d.toks) || d.toks[e].newline {
			continue
		}
		if d.trigAt[e] || e+1 < len(d.toks) && d.trigAt[e+1] && !d.toks[e].upper && d.toks[e].kind == tokWord {
			d.loose = append(d.loose, looseName{start: s, end: e, name: oneSpaced(d.str(s, e))})
		}
	}
	slices.SortFunc(d.loose, func(a, b looseName) int { return a.start - b.start })
}

// maxListedPlaces bounds the places read from one list.
const maxListedPlaces = 8

// loosePlaceList reads the rest of a list of places whose first ends at
// token e: "the outskirts of Ayn Bu Siwar, Jba', Kafr Fila and Wadi Kafra
// came under fire". Each further name follows a comma or "and"; the list
// ends at anything else, or at a name that is something else.
func (d *reader) loosePlaceList(e int) {
	for n := 0; n < maxListedPlaces; n++ {
		s := e
		switch {
		case d.punct(s, ',') && d.word(s+1, wAnd):
			s += 2
		case d.punct(s, ',') || d.word(s, wAnd):
			s++
		default:
			return
		}
		if d.word(s, wThe) {
			s++ // "the city of Sidon and the Ein-el-Hilweh camp"
		}
		if s >= len(d.toks) || d.sentOf[s] != d.sentOf[e-1] {
			return
		}
		if en := d.entityCovering(s); en >= 0 {
			e = d.ents[en].end // a gazetteer place in the list: its own reading stands
			continue
		}
		pe := d.placeNameEnd(s)
		if pe <= s {
			return
		}
		d.loose = append(d.loose, looseName{start: s, end: pe, name: oneSpaced(d.str(s, pe))})
		e = pe
	}
}

// placeNameEnd returns the end of a place name of up to maxPlaceWords
// capitalised words starting at token s, or s when none starts there.
func (d *reader) placeNameEnd(s int) int {
	e := s
	for e < len(d.toks) && e-s < maxPlaceWords {
		t := d.toks[e]
		if t.kind != tokWord || !t.upper || t.allUpper && t.end-t.start <= 2 || e > s && t.newline {
			break
		}
		if d.inDate[e] != 0 || d.wi[e].month != 0 || d.wi[e].weekday != 0 || d.entityCovering(e) >= 0 || d.gazetteerName(e) ||
			d.inPerson(e, len(d.persons)) || d.hasCue(e, cueTitle) || d.hasCue(e, cueSpeaker) || d.hasCue(e, cueDocument) {
			break
		}
		if k := tokKey(t, d.low); d.hasCue(e, cueNameStop) && !placeWord(k) {
			break
		}
		e++
		for e+1 < len(d.toks) && d.punct(e, '-') && !d.toks[e].space && d.toks[e+1].kind == tokWord {
			if d.toks[e+1].upper {
				e += 2 // "Kahramankazan-Ankara", "Al-Tanf"
				continue
			}
			if e+3 < len(d.toks) && nameParticle(tokKey(d.toks[e+1], d.low)) && d.punct(e+2, '-') && !d.toks[e+2].space &&
				d.toks[e+3].kind == tokWord && d.toks[e+3].upper {
				e += 4 // "Ein-el-Hilweh", "Deir-ez-Zor"
				continue
			}
			break
		}
		if e < len(d.toks) && (d.punct(e, '\'') || d.punct(e, '’')) && !d.toks[e].space && (e+1 >= len(d.toks) || d.toks[e+1].space || d.toks[e+1].kind == tokPunct) {
			e++ // "Jba'": a final ayn
		} else if e+1 < len(d.toks) && (d.punct(e, '\'') || d.punct(e, '’')) && !d.toks[e].space && !d.toks[e+1].space &&
			d.toks[e+1].kind == tokWord && !d.toks[e+1].upper && !d.possessive(e+1) {
			e += 2 // "Dar'a", "Sana'a": an ayn inside the name
		}
	}
	if e > s && (d.possessive(e+1) || d.toks[e-1].end-d.toks[e-1].start < 3 && e-s == 1) {
		return s // "in Moscow's view", a two-letter word
	}
	if e < len(d.toks) && d.toks[e].kind == tokWord && d.toks[e].upper && !d.toks[e].newline {
		return s // "in Arms Export Control Act", "in Central Command": the name of something else
	}
	if e < len(d.toks) && d.toks[e].kind == tokWord {
		switch tokKey(d.toks[e], d.low) {
		case "language", "languages", "version", "versions", "text", "texts", "translation", "original", "originals":
			return s // "in the English language": a language, not a place
		}
	}
	return e
}

// placeWord reports whether a name-stop word is one that ends place names
// ("Central Equatoria Province", "Forbury Gardens", "Abbey Gate").
func placeWord(w string) bool {
	switch w {
	case "province", "district", "county", "region", "city", "street", "square", "airport", "port", "island", "islands",
		"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "new", "saint",
		"st", "fort", "mount", "lake", "river", "sea", "gulf", "bay", "valley", "coast", "bridge", "plaza", "palace":
		return true
	}
	return false
}

// loosePlaces appends the places read from the text in sentence sent,
// tokens [lo,hi) for the clause pass, that no gazetteer place covers.
func (d *reader) loosePlaces(places []event.Place, sent sentence, inClause func(int) bool) []event.Place {
	first := sort.Search(len(d.loose), func(i int) bool { return d.loose[i].start >= sent.start })
	for _, p := range d.loose[first:] {
		if p.start >= sent.end {
			break
		}
		if !inClause(p.start) {
			continue
		}
		dup := false
		for _, q := range places {
			if q.Name == p.name {
				dup = true
			}
		}
		if !dup {
			places = append(places, event.Place{Name: p.name, Country: p.country})
		}
	}
	return places
}

// gazetteerName reports whether a gazetteer name, accepted or not (an
// ambiguous "Congo" the text does not support), covers token i.
func (d *reader) gazetteerName(i int) bool {
	for k := max(i-maxPhrase+1, 0); k <= i; k++ {
		for _, m := range d.phrasesAt(k) {
			if m.p.kind == payEntity && int(m.end) > i {
				return true
			}
		}
	}
	return false
}

// nameParticle reports whether w is a lower-case particle joined by
// hyphens inside a place name ("Ein-el-Hilweh", "Deir-ez-Zor",
// "Ras-al-Khaimah").
func nameParticle(w string) bool {
	switch w {
	case "el", "al", "ad", "ed", "ez", "es", "as", "ash", "az", "en", "er", "ul", "an", "at", "de", "du", "la", "le", "sur", "sous", "lès", "les":
		return true
	}
	return false
}
