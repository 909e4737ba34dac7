package extract

import (
	"slices"
	"sort"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// maxSentence bounds the evidence sentence kept in an Event, in bytes.
const maxSentence = 600

// draft is an event being assembled from one or more hits.
type draft struct {
	ev       event.Event
	typ      int
	sents    []int32
	statusOK bool
}

// build turns the hits into events: one per type and date in a sentence,
// then one per type, dates and overlapping actors in the document, with
// mentions counting the sentences that report it.
func (d *reader) build() []event.Event {
	var drafts []*draft
	byKey := map[string][]*draft{}
	for i := 0; i < len(d.hits); {
		j := i
		for j < len(d.hits) && d.hits[j].sent == d.hits[i].sent {
			j++
		}
		for _, dr := range d.sentenceEvents(d.hits[i:j]) {
			key := dr.ev.Type + "|" + dr.ev.Date + "|" + dr.ev.DateEnd
			if prev := findDraft(byKey[key], dr); prev != nil {
				mergeDraft(prev, dr)
				continue
			}
			drafts = append(drafts, dr)
			byKey[key] = append(byKey[key], dr)
		}
		i = j
	}
	d.adoptOrphans(drafts)
	out := make([]event.Event, 0, len(drafts))
	for _, dr := range drafts {
		ev := dr.ev
		ev.Mentions = len(dr.sents)
		ev.Title = d.title(d.x.types[dr.typ], ev)
		ev.ID = event.ID(ev.Article.ID, ev.Type, ev.Date, ev.DateEnd, ev.Actors)
		out = append(out, ev)
	}
	return out
}

// adoptOrphans lends the participants of a dateless hit to the event of
// the same type reported in the sentence just before it ("They signed the
// pact on Monday. The pact was inked in Manila ..."): the same event, told
// in two sentences.
func (d *reader) adoptOrphans(drafts []*draft) {
	for _, h := range d.orphans {
		t := d.x.types[h.typ].id
		for _, dr := range drafts {
			if dr.ev.Type != t || !slices.Contains(dr.sents, h.sent-1) {
				continue
			}
			actors, places := d.participants(h)
			for _, a := range actors {
				dr.ev.Actors = appendNew(dr.ev.Actors, a)
			}
			for _, p := range places {
				if !slices.ContainsFunc(dr.ev.Places, func(q event.Place) bool { return q.Name == p.Name }) {
					dr.ev.Places = append(dr.ev.Places, p)
				}
			}
			break
		}
	}
}

// sentenceEvents builds the events of one sentence from its hits.
func (d *reader) sentenceEvents(hits []hit) []*draft {
	var out []*draft
	for _, h := range hits {
		t := d.x.types[h.typ]
		if h.dateWindow > 0 && sharedDate(hits, h) {
			continue // the report of an event of the sentence, not an event itself
		}
		m := &d.dates[h.date]
		date, end, prec := d.dateFields(m)
		dup := false
		for _, o := range out {
			if o.ev.Type == t.id && o.ev.Date == date && o.ev.DateEnd == end {
				o.ev.Confidence = max(o.ev.Confidence, round2(h.conf))
				dup = true
			}
		}
		if dup {
			continue
		}
		actors, places := d.participants(h)
		sent := d.sents[h.sent]
		ev := event.Event{
			Type: t.id, CAMEO: t.cameo, Sentence: d.sentenceText(sent),
			Date: date, DateEnd: end, Precision: prec, DateText: d.str(m.s, m.e),
			Status: h.status, Actors: actors, Places: places,
			Article: event.ArticleRef{ID: d.doc.ArticleID, URL: d.doc.URL, Title: d.doc.Title,
				Feed: d.doc.Feed, Published: d.doc.Published},
			Confidence: round2(h.conf),
		}
		out = append(out, &draft{ev: ev, typ: h.typ, sents: []int32{h.sent}})
	}
	return out
}

// sharedDate reports whether an event reported before reporting hit h
// ("Germany has delivered ..., the ministry confirmed on Monday") took its
// date: then h only reports that event.
func sharedDate(hits []hit, h hit) bool {
	for _, g := range hits {
		if g.dateWindow == 0 && g.date == h.date && g.start < h.start {
			return true
		}
	}
	return false
}

// participants returns the actors and places of a hit: those of its clause
// first, then those of the rest of its sentence. Countries named only as
// locations are actors when nothing else is; an event with no actor at all
// falls back to the document's main country.
func (d *reader) participants(h hit) ([]string, []event.Place) {
	sent := d.sents[h.sent]
	actors, located := []string{}, []string{}
	places := []event.Place{}
	first := sort.Search(len(d.ents), func(i int) bool { return d.ents[i].start >= sent.start })
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && len(actors) == 0 && d.main != "" {
			actors = append(actors, d.main) // the clause names no one: the article's main country
		}
		for _, en := range d.ents[first:] {
			if en.start >= sent.end {
				break
			}
			if (d.clause[en.start] == h.clause) != (pass == 0) {
				continue
			}
			if en.actor >= 0 {
				e := d.x.entities[en.actor]
				actors = appendNew(actors, e.name)
				if e.national {
					actors = appendNew(actors, e.country)
				}
			}
			if en.place >= 0 {
				e := d.x.entities[en.place]
				if !slices.ContainsFunc(places, func(p event.Place) bool { return p.Name == e.name }) {
					places = append(places, event.Place{Name: e.name, Country: e.country, Lat: e.lat, Lon: e.lon})
				}
				if en.locCountry {
					located = appendNew(located, e.name)
				}
			}
		}
	}
	if len(actors) == 0 {
		actors = located
	}
	if len(actors) > 0 && d.main != "" && !d.hasCountry(actors) {
		actors = append(actors, d.main) // "ELN fighters attacked a base": in the main country
	}
	if len(actors) == 0 {
		actors = d.previousActors(h.sent)
		if d.main != "" {
			actors = appendNew(actors, d.main)
		}
	}
	if actors == nil {
		actors = []string{}
	}
	return actors, places
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

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

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

// findDraft returns an earlier draft reporting the same event: same type,
// same dates, and overlapping actors (or none on either side).
func findDraft(drafts []*draft, dr *draft) *draft {
	for _, o := range drafts {
		if o.ev.Type != dr.ev.Type || o.ev.Date != dr.ev.Date || o.ev.DateEnd != dr.ev.DateEnd {
			continue
		}
		if len(o.ev.Actors) == 0 || len(dr.ev.Actors) == 0 ||
			slices.ContainsFunc(o.ev.Actors, func(a string) bool { return slices.Contains(dr.ev.Actors, a) }) {
			return o
		}
	}
	return nil
}

// mergeDraft folds a later mention into an earlier draft.
func mergeDraft(o, dr *draft) {
	for _, a := range dr.ev.Actors {
		o.ev.Actors = appendNew(o.ev.Actors, a)
	}
	for _, p := range dr.ev.Places {
		if !slices.ContainsFunc(o.ev.Places, func(q event.Place) bool { return q.Name == p.Name }) {
			o.ev.Places = append(o.ev.Places, p)
		}
	}
	for _, s := range dr.sents {
		if !slices.Contains(o.sents, s) {
			o.sents = append(o.sents, s)
		}
	}
	o.ev.Confidence = min(1, max(o.ev.Confidence, dr.ev.Confidence)+0.05)
	if o.ev.Status != dr.ev.Status && dr.ev.Status == event.Occurred {
		o.ev.Status = event.Occurred
	}
}

func round2(f float64) float64 {
	f = min(max(f, 0), 1)
	return float64(int(f*100+0.5)) / 100
}
