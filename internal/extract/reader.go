package extract

import (
	"bytes"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// MaxText bounds the bytes of one document that are read; the rest is
// ignored, so callers refuse larger input rather than let it be cut
// silently. News articles are far shorter, and POST /api/v1/extract refuses
// bodies over the same megabyte. Reading allocates about 100 bytes per
// byte of text, so the bound keeps one call near 100 MB at worst.
const MaxText = 1 << 20

// sentence is a run of tokens [start,end) read as one unit.
type sentence struct {
	start, end int
	// excluded sentences (reference, byline and copyright lines) yield no
	// events and no date context.
	excluded bool
	// future is true when a future cue occurs in the sentence.
	future bool
	// dateline marks a wire dateline ("KYIV, March 4 (Agency) -"):
	// metadata read as a sentence of its own, which yields no events.
	dateline bool
	// headline marks a sentence in title case (persons.go).
	headline bool
	// titleLine marks the text's first line read as its title in sentence
	// case: a headline for dates and events, but its names are names.
	titleLine bool
}

// entMatch is a gazetteer name accepted in the text, with its actor and
// place readings (entity indexes, -1 when none).
type entMatch struct {
	start, end   int
	actor, place int32
	// locCountry is a country named as a location ("in Ukraine").
	locCountry bool
}

// reader holds the state of reading one document. It is reused between
// documents through Extractor.scratch and is owned by one goroutine.
type reader struct {
	x    *Extractor
	doc  Document
	text string
	pub  time.Time // publication day, UTC midnight; zero when unknown
	// rel is the day relative dates count from: the publication day, or
	// the day of the live-blog heading above them ("Wednesday 2 October").
	rel time.Time
	// today is the dateline's day where it precedes publication
	// ("NEW YORK, 14 August", posted on the 15th): the story's today and
	// yesterday count from it; zero when rel stands.
	today  time.Time
	low    []byte
	toks   []token
	wi     []wordInfo
	ids    []int32 // per token: vocabulary id, 0 when unknown
	found  []match
	cueAt  []uint32   // per token: cue concepts starting at the token
	cueEnd []uint32   // per token: cue concepts ending at the token
	trigAt []bool     // per token: a trigger phrase starts here
	sentOf []int32    // per token: sentence index
	clause []int32    // per token: clause id, unique in the document
	cite   []citeMark // per token: inside a citation, and how
	inDate []int32    // per token: index+1 of the date mention covering it
	// foundAt[i] is the index in found of the first match at token i.
	foundAt []int32
	// setSeen[k] is true when a phrase of set k occurs in the text.
	setSeen []bool
	sents   []sentence
	dates   []dateMention
	links   []uint8 // per date: how it is coordinated with the next (coord.go)
	ents    []entMatch
	persons []person     // people named in the text (persons.go)
	loose   []looseName  // places named in the text but not in the gazetteer (places.go)
	orgs    []orgMention // organisations defined with an acronym (acronyms.go)
	lineBuf []line       // normalize's line table
	trace   *tracer      // set by Explain only
	hits    []hit
	orphans []hit // hits with no date, kept to lend their places to an event
	// build's state: per event info, events by key, this sentence's events.
	info  []draftInfo
	byKey map[draftKey][]int32
	cur   []int32
	// pickEntities' and mainCountry's scratch.
	cands     []entCand
	supported map[string]bool
	counts    map[string]int
	main      string // the document's main country
	docDate   int    // the date mention dating the document itself, -1 when none
	mainAct   string // the first actor of the article's lead
	// anniversary is true when the text marks an anniversary: its "three
	// years ago" is that very day.
	anniversary bool
	// headings caches dayHeadings plus 1; 0 until counted.
	headings int
	// listYr caches listYear: 0 until computed, -1 for none.
	listYr int
	// lines lists the tokens that start a line, made on first need
	// (linesRead).
	lines     []int32
	linesRead bool
	// author is who "I" and "we" are: the actors the title or signature
	// names (author.go).
	author []string
	// sub marks a reader of a title, which looks for no author of its own.
	sub bool
	// tLow, tToks, tIDs and tFound are the title's buffers (titleCountry).
	tLow   []byte
	tToks  []token
	tIDs   []int32
	tFound []match
	// owned[c] is true when clause c has a trigger that keeps its dates.
	owned []bool
	// nearestHit[k] is the gap from date k to the nearest trigger.
	nearestHit []int
	// futureCl[c] is true when clause c has a future cue.
	futureCl []bool
	// seen[t] is true once a hit of type t was accepted.
	seen []bool
	// order caches numericOrder plus 2; 0 until computed.
	order int8
	// bound and absorbed are bindDates' and absorb's scratch.
	bound    []hit
	absorbed []bool
	coord    []int // coordinatedDates' scratch
	// fields caches the formatted event fields of each date mention.
	fields []dateStrings
	// mergeCoarse's and adoptOrphans' scratch.
	finer  map[draftKey][]int
	drop   []bool
	bySent []sentEvent
	// actorSlab and placeSlab back the events' lists (see build).
	actorSlab []string
	placeSlab []event.Place
}

func (d *reader) reset() {
	*d = reader{
		low: d.low[:0], toks: d.toks[:0], wi: d.wi[:0], ids: d.ids[:0], found: d.found[:0],
		cueAt: d.cueAt[:0], cueEnd: d.cueEnd[:0], trigAt: d.trigAt[:0], sentOf: d.sentOf[:0],
		clause: d.clause[:0], cite: d.cite[:0], inDate: d.inDate[:0], foundAt: d.foundAt[:0], setSeen: d.setSeen[:0], futureCl: d.futureCl[:0], nearestHit: d.nearestHit[:0], owned: d.owned[:0], sents: d.sents[:0], dates: d.dates[:0], links: d.links[:0],
		ents: d.ents[:0], persons: d.persons[:0], loose: d.loose[:0], orgs: d.orgs[:0], lineBuf: d.lineBuf[:0], hits: d.hits[:0], orphans: d.orphans[:0],
		info: d.info[:0], byKey: d.byKey, cur: d.cur[:0],
		cands: d.cands[:0], supported: d.supported, counts: d.counts, seen: clearBools(d.seen),
		finer: d.finer, drop: d.drop[:0], bySent: d.bySent[:0], fields: d.fields[:0], bound: d.bound[:0], absorbed: d.absorbed[:0],
		tLow: d.tLow[:0], tToks: d.tToks[:0], tIDs: d.tIDs[:0], tFound: d.tFound[:0], lines: d.lines[:0],
	}
}

func (d *reader) init(x *Extractor, doc Document) {
	d.x, d.doc = x, doc
	if doc.Title == "" && len(doc.Text) > 3 && strings.HasPrefix(strings.TrimLeft(doc.Text[:min(len(doc.Text), 16)], "\ufeff \t\r\n"), "---") {
		d.doc.Title = frontMatterTitle(doc.Text) // a Markdown page's own title
	}
	d.text = doc.Text
	if len(d.text) > MaxText {
		d.text = d.text[:MaxText]
	}
	d.text = normalize(d.text, &d.lineBuf)
	if !doc.Published.IsZero() {
		// The publisher's own day: "today" in a release stamped
		// 20:00-04:00 is that evening's date, not the next day in UTC.
		p := doc.Published
		d.pub = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	}
	d.rel = d.pub
	d.today = time.Time{}
	d.low = grow(d.low, len(d.text))
	d.toks = tokenize(d.text, d.low, d.toks)
	n := len(d.toks)
	d.wi = grow(d.wi, n)
	d.ids = grow(d.ids, n)
	for i, t := range d.toks {
		id := x.tokenID(t, d.low)
		d.ids[i] = id
		if t.kind == tokWord {
			d.wi[i] = x.info[id]
		}
	}
	d.cueAt, d.cueEnd = grow(d.cueAt, n), grow(d.cueEnd, n)
	d.trigAt = grow(d.trigAt, n)
	d.sentOf, d.clause = grow(d.sentOf, n), grow(d.clause, n)
	d.cite = grow(d.cite, n)
}

// citeMark says how a token belongs to a citation.
type citeMark uint8

const (
	notCited    citeMark = iota
	citedCue             // just after a citation cue ("retrieved", "last accessed")
	citedAside           // inside a citation parenthetical ("(article, June 19, 2024)")
	citedSource          // inside a parenthetical of a source and a date ("(KCNA, June 20, 2024)")
)

// clearBools returns s with every element false.
func clearBools(s []bool) []bool {
	clear(s)
	return s
}

// grow returns s resized to n zeroed elements, reusing its storage.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// analyse runs the passes that precede event building.
func (d *reader) analyse() {
	d.found = d.x.trie.scan(d.toks, d.ids, d.found)
	d.indexFound()
	for _, m := range d.found {
		switch m.p.kind {
		case payCue:
			if m.p.id == cueHypothetical && m.end == m.start+1 && d.wi[m.start].month > 0 && d.toks[m.start].upper &&
				m.start > 0 && !d.toks[m.start].newline && !d.punct(int(m.start)-1, '.') {
				continue // "in May 1995", "on 6 May": the month, not the modal
			}
			d.cueAt[m.start] |= 1 << m.p.id
			d.cueEnd[m.end-1] |= 1 << m.p.id
		case payTrigger:
			d.trigAt[m.start] = true
		}
	}
	d.segment()
	d.markHeadlines()
	d.markCitations()
	d.readTitle()
	d.anniversary = d.marksAnniversary()
	d.scanDates()
	d.resolveDates()
	d.markDates()
	d.pickEntities()
	d.readPersons()
	d.readAcronyms()
	d.readGroups()
	d.readBodies()
	d.readPlaces()
	d.readAuthor()
	d.docDate = d.documentDate()
	d.main = d.mainCountry()
	d.mainAct = d.leadActor()
}

// future reports whether the words just before token i, in its clause,
// speak of the future ("will meet on Friday", "is scheduled to open on
// August 14").
func (d *reader) future(i int) bool {
	if !d.futureCl[d.clause[i]] {
		return false
	}
	for k := i - 1; k >= 0 && k >= i-futureReach && d.clause[k] == d.clause[i]; k-- {
		if d.punct(k, '”') || d.punct(k, '"') && d.punct(k+1, ',') {
			return false // "... will change", Pompeo told the press on Tuesday: the quotation's future is not the attribution's
		}
		if d.cueAt[k]&(1<<cueFuture) != 0 {
			return true
		}
	}
	return false
}

// futureReach bounds how far before a date a future cue is looked for.
const futureReach = 10

// hasCue reports whether cue concept c starts at token i.
func (d *reader) hasCue(i, c int) bool {
	return i >= 0 && i < len(d.toks) && d.cueAt[i]&(1<<c) != 0
}

// endsCue reports whether cue concept c ends at token i.
func (d *reader) endsCue(i, c int) bool {
	return i >= 0 && i < len(d.toks) && d.cueEnd[i]&(1<<c) != 0
}

// str returns the text of tokens [s,e).
func (d *reader) str(s, e int) string {
	if s >= e {
		return ""
	}
	return d.text[d.toks[s].start:d.toks[e-1].end]
}

// punct reports whether token i is the punctuation mark r.
func (d *reader) punct(i int, r rune) bool {
	return uint(i) < uint(len(d.toks)) && d.toks[i].kind == tokPunct && d.toks[i].r == r
}

// dash reports whether token i is a hyphen or a dash.
func (d *reader) dash(i int) bool {
	if uint(i) >= uint(len(d.toks)) || d.toks[i].kind != tokPunct {
		return false
	}
	switch d.toks[i].r {
	case '-', '–', '—', '‑':
		return true
	}
	return false
}

// word reports whether token i has word concept c.
func (d *reader) word(i, c int) bool {
	// Only words have word information (init): no kind test needed.
	return uint(i) < uint(len(d.wi)) && d.wi[i].concepts&(1<<c) != 0
}

// events builds, merges and returns the document's events.
func (d *reader) events() []event.Event {
	d.findHits()
	return d.build()
}

// anniversaryLead is how far into the text a mention of an anniversary
// makes the whole text an anniversary statement.
const anniversaryLead = 600

// marksAnniversary reports whether the document marks an anniversary: its
// title or lead says "anniversary" or "years after", or it says "today
// marks".
func (d *reader) marksAnniversary() bool {
	lead := d.low[:min(len(d.low), anniversaryLead)]
	title := d.tLow[:min(len(d.tLow), maxFrontMatterTitle)] // the title read by readTitle, lower case
	for _, w := range []string{"anniversary", "years after", "years since"} {
		if bytes.Contains(lead, []byte(w)) || bytes.Contains(title, []byte(w)) {
			return true // the title is the front matter's when the text has one
		}
	}
	for i := range d.toks {
		if d.wi[i].is(wToday) && d.lowIs(i+1, "marks") {
			return true // "Today marks five years since ..."
		}
	}
	return false
}

// tokenID returns the vocabulary id of token t, whose lower-cased text is
// in low.
func (x *Extractor) tokenID(t token, low []byte) int32 {
	switch n := t.end - t.start; {
	case t.kind == tokPunct && t.r < 128:
		return x.punctIDs[t.r]
	case n <= 3 && t.kind != tokPunct:
		return x.short.lookup(low[t.start:t.end])
	default:
		return x.table.lookup(tokKey(t, low))
	}
}
