package extract

// pickEntities chooses the gazetteer names of the text: the longest match
// at each position, left to right without overlap. A name may have an
// actor reading (a country, its demonym or metonym, an organisation) and a
// place reading (a city, or a country after "in"); a capital that is also a
// metonym keeps both. Readings that disagree on the country, or names flagged
// ambiguous, are kept only when the text elsewhere names that country
// unambiguously; otherwise the name is left out rather than guessed.
func (d *reader) pickEntities() {
	cands := d.cands[:0]
	if d.supported == nil {
		d.supported = map[string]bool{}
	}
	supported := d.supported
	clear(supported)
	next := 0
	for k := 0; k < len(d.found); {
		m := d.found[k]
		if m.p.kind != payEntity || int(m.start) < next || d.sents[d.sentOf[m.start]].excluded || d.cite[m.start] == citedSource {
			// a name in "(KCNA, June 20, 2024)" is the source cited, no actor
			k++
			continue
		}
		end := m.end
		j := k
		for ; j < len(d.found) && d.found[j].start == m.start; j++ {
			if d.found[j].p.kind == payEntity && d.found[j].end > end {
				end = d.found[j].end
			}
		}
		c := entCand{int(m.start), int(end), k, j}
		k = j
		if d.insideDate(c.start, c.end) {
			continue
		}
		cands = append(cands, c)
		next = c.end
		if country, clear := d.readingsCountry(c.first, c.last, c.start, c.end); clear {
			supported[country] = true
		}
	}
	d.cands = cands
	for _, c := range cands {
		_, clear := d.readingsCountry(c.first, c.last, c.start, c.end)
		locative := d.endsCue(c.start-1, cueLocative)
		if n := len(d.ents); !locative && n > 0 && d.ents[n-1].locCountry && d.ents[n-1].end == c.start-1 &&
			(d.word(c.start-1, wAnd) || d.punct(c.start-1, ',')) {
			locative = true // "targets in Iraq and Kuwait": both are where
		}
		if !locative && d.compassBefore(c.start) {
			locative = true // "struck southern Turkey", "in north-eastern Italy": a part of the country, where
		}
		em := entMatch{start: c.start, end: c.end, actor: -1, place: -1}
		for j := c.first; j < c.last; j++ {
			f := d.found[j]
			if f.p.kind != payEntity || int(f.end) != c.end {
				continue
			}
			e := d.x.entities[f.p.id]
			if !clear && !supported[e.country] {
				continue
			}
			switch {
			case e.kind == entPlace:
				if em.place < 0 {
					em.place = f.p.id
				}
			case e.kind == entCountry && e.role == roleName && locative:
				if em.place < 0 {
					em.place = f.p.id
					em.locCountry = true
				}
			default:
				if em.actor < 0 {
					em.actor = f.p.id
				}
			}
		}
		if em.actor >= 0 && em.place >= 0 && d.x.entities[em.actor].role == roleMetonym && d.hasCue(c.start-1, cueDeterminer) && d.modifiesEvent(c.end) {
			em.actor = -1 // "the Madrid peace talks", "the Minsk agreements": where, not who
		}
		if em.actor >= 0 && em.place >= 0 && d.x.entities[em.place].area && !locative && !d.word(c.start-1, wTo) {
			em.place = -1 // "the White House said": the government; "at" or "to the White House": the place
		}
		if em.actor >= 0 && d.x.entities[em.actor].role == roleDemonym && d.lowIs(c.start-1, "ethnic") {
			em.actor = -1 // "ethnic Albanian villages in Kosovo": a people, not the state
		}
		if d.sents[d.sentOf[c.start]].dateline {
			em.actor = -1 // "CAIRO, Jan 15 (Reuters) -": a dateline names where, not who
		}
		if em.actor >= 0 && em.place >= 0 && !em.locCountry && d.hasCue(c.end, cueSpeech) {
			em.place = -1 // "Moscow said": the government speaking, not a place
		}
		if em.place >= 0 && !em.locCountry && d.lowIs(c.start-1, "with") {
			em.place = -1 // "met with Austin", "talks with Moscow": who, not where
		}
		if em.place >= 0 && !em.locCountry && d.inLongerName(c.start, c.end) {
			continue // "the tanker Marlin Luanda", "USS Indianapolis", "the Washington Post": a name, not the city
		}
		if em.actor >= 0 || em.place >= 0 {
			d.ents = append(d.ents, em)
		}
	}
}

// compassBefore reports whether the word before token i is a lower-case
// compass adjective: "southern", "central", "north-eastern", "northeastern".
func (d *reader) compassBefore(i int) bool {
	k := i - 1
	if k < 0 || d.toks[k].kind != tokWord || d.toks[k].upper {
		return false
	}
	w := string(d.low[d.toks[k].start:d.toks[k].end])
	if k >= 2 && d.punct(k-1, '-') && !d.toks[k-1].space && !d.toks[k].space && (w == "eastern" || w == "western") {
		return d.lowIs(k-2, "north") || d.lowIs(k-2, "south") // "north-eastern"
	}
	switch w {
	case "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern", "southeastern", "southwestern":
		return true
	}
	return false
}

// inLongerName reports whether the place name [s,e) is a word of a longer
// proper name: a ship's ("USS Indianapolis", "the tanker Marlin Luanda",
// "the vessel Maersk Hangzhou") or a paper's or a document's ("the
// Washington Post", "the Paris Agreement").
func (d *reader) inLongerName(s, e int) bool {
	for p := s - 1; p >= 0 && p >= s-3 && d.sentOf[p] == d.sentOf[s]; p-- {
		t := d.toks[p]
		if t.kind != tokWord {
			break
		}
		switch tokKey(t, d.low) {
		case "uss", "hms", "ins", "mv", "hmas", "hmcs", "rfs", "tanker", "vessel", "ship", "freighter", "carrier", "destroyer",
			"frigate", "ferry", "cruiser", "warship", "yacht":
			return true
		}
		if !t.upper {
			break
		}
	}
	if e < len(d.toks) && d.toks[e].kind == tokWord && d.toks[e].upper && d.toks[e].space && !d.toks[e].newline {
		switch tokKey(d.toks[e], d.low) {
		case "post", "times", "herald", "tribune", "journal", "agreement", "agreements", "accord", "accords",
			"convention", "conventions", "protocol", "protocols", "process", "format":
			return true
		}
	}
	return false
}

// modifiesEvent reports whether an event noun follows token i, right
// away or after one lower-case modifier ("the Madrid peace talks"): a
// name between a determiner and it says where the event is.
func (d *reader) modifiesEvent(i int) bool {
	if i < len(d.toks) && d.trigAt[i] && d.toks[i].kind == tokWord && !d.toks[i].upper {
		return true
	}
	// "a Nairobi court ruled": the word between is the subject the name
	// qualifies, and the trigger its verb.
	return i+1 < len(d.toks) && d.toks[i].kind == tokWord && !d.toks[i].upper && !d.hasCue(i, cueSpeaker) && d.trigAt[i+1]
}

// entCand is a gazetteer name found in the text, before its readings are
// chosen.
type entCand struct {
	start, end  int
	first, last int // range of d.found holding its payloads
}

// readingsCountry returns the one country all readings of a name agree on,
// and whether the name is clear: no conflicting countries and no reading
// flagged ambiguous.
func (d *reader) readingsCountry(first, last, start, end int) (string, bool) {
	country := ""
	for j := first; j < last; j++ {
		f := d.found[j]
		if f.p.kind != payEntity || int(f.end) != end {
			continue
		}
		e := d.x.entities[f.p.id]
		if e.ambiguous && e.role == roleName && !(e.kind == entCountry && d.stateOf(start)) && !(e.kind != entCountry && start > 0 && d.endsCue(start-1, cueLocative)) {
			// "in Washington": a city where, every reading in one country, is clear enough; "in Congo" is not
			return "", false
		}
		if e.country == "" {
			continue
		}
		if country != "" && country != e.country {
			return "", false
		}
		country = e.country
	}
	return country, true
}

// stateOf reports whether the name at token start follows words that make
// it a state: "the Government of Niger", "the President of Georgia", "the
// Republic of Chad".
func (d *reader) stateOf(start int) bool {
	if !d.word(start-1, wOf) || start < 2 {
		return false
	}
	switch tokKey(d.toks[start-2], d.low) {
	case "government", "president", "republic", "state", "minister", "embassy", "ambassador", "parliament", "people", "authorities", "army":
		return true
	}
	return false
}

// insideDate reports whether tokens [s,e) overlap a date mention.
func (d *reader) insideDate(s, e int) bool {
	for i := s; i < e; i++ {
		if d.inDate[i] != 0 {
			return true
		}
	}
	return false
}

// leadActor returns the first actor of the article's lead, past its
// dateline: the protagonist later sentences refer back to.
func (d *reader) leadActor() string {
	after := 0
	for _, m := range d.dates {
		if m.dateline {
			after = m.e
			break
		}
	}
	for _, em := range d.ents {
		if em.actor < 0 || em.start < after || d.toks[em.start].allUpper && d.toks[em.start].end-d.toks[em.start].start > 3 {
			continue // dateline places are written in capitals
		}
		return d.x.entities[em.actor].name
	}
	return ""
}

// titleWeight is what the title's country counts for in mainCountry: as
// much as that many mentions in the text.
const titleWeight = 2

// mainCountry returns the country the document names most often as an
// actor, the fallback actor of events whose sentence names none.
func (d *reader) mainCountry() string {
	if d.counts == nil {
		d.counts = map[string]int{}
	}
	counts := d.counts
	clear(counts)
	best, bestN := "", 0
	if c := d.titleCountry(); c != "" {
		counts[c] = titleWeight // the country the title is about
		best, bestN = c, titleWeight
	}
	for _, em := range d.ents {
		id := em.actor
		if id < 0 && em.locCountry {
			id = em.place // "off the coast of Vanuatu": the country the text is about, named as where
		}
		if id < 0 {
			continue
		}
		e := d.x.entities[id]
		if e.kind != entCountry {
			continue
		}
		counts[e.country]++
		if n := counts[e.country]; n > bestN {
			best, bestN = e.country, n
		}
	}
	return best
}
