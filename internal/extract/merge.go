package extract

import (
	"slices"
	"sort"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// mergeCoarse folds an event into another of the same type and actors
// whose date refines its own ("a run-off next month" and "the second round
// on November 3"): the same event, told at two precisions.
func (d *reader) mergeCoarse(out []event.Event) []event.Event {
	if !slices.ContainsFunc(out, func(e event.Event) bool { return e.DateEnd != "" || len(e.Date) < 10 }) {
		return out
	}
	// spans lists the day-precision spans, bounded for pathological input.
	var spans []int
	for j, e := range out {
		if e.DateEnd != "" && len(e.Date) == 10 && len(spans) < maxRefinements {
			spans = append(spans, j)
		}
	}
	// finer maps type and a year or month prefix to the events whose date
	// is finer than that prefix; only coarse events look it up.
	var finer map[draftKey][]int
	if slices.ContainsFunc(out, func(e event.Event) bool { return e.DateEnd == "" && len(e.Date) < 10 }) {
		if d.finer == nil {
			d.finer = map[draftKey][]int{}
		}
		clear(d.finer)
		finer = d.finer
	}
	for j, b := range out {
		if finer == nil {
			break
		}
		if len(b.Date) > 4 {
			finer[draftKey{typ: b.Type, date: b.Date[:4]}] = append(finer[draftKey{typ: b.Type, date: b.Date[:4]}], j)
		}
		if len(b.Date) > 7 {
			finer[draftKey{typ: b.Type, date: b.Date[:7]}] = append(finer[draftKey{typ: b.Type, date: b.Date[:7]}], j)
		}
	}
	drop := grow(d.drop, len(out))
	d.drop = drop
	for i := range out {
		a := &out[i]
		if a.DateEnd != "" && len(a.Date) == 10 {
			// "last week's election" and "the May 29 election": a short
			// span that holds another report's day is that day.
			if !slices.Contains(spans, i) {
				continue
			}
			if j := d.refinedBy(out, i, drop); j >= 0 {
				drop[i] = true
				d.info[j].mentions += d.info[i].mentions
			}
			continue
		}
		if len(a.Date) == 10 && a.DateEnd == "" && len(spans) > 0 {
			// "addressed the summit on Friday" and "the summit, held June
			// 13–15": a day inside another report's short span is that event.
			if j := d.spannedBy(out, spans, i, drop); j >= 0 {
				drop[i] = true
				d.info[j].mentions += d.info[i].mentions
			}
			continue
		}
		if a.DateEnd != "" || len(a.Date) == 10 {
			continue
		}
		for n, j := range finer[draftKey{typ: a.Type, date: a.Date}] {
			if n >= maxRefinements {
				break // bounds the work on pathological input
			}
			if !drop[j] && overlap(a.Actors, out[j].Actors) {
				drop[i] = true
				d.info[j].mentions += d.info[i].mentions
				break
			}
		}
	}
	kept, info := out[:0], d.info[:0]
	for i := range out {
		if !drop[i] {
			kept = append(kept, out[i])
			info = append(info, d.info[i])
		}
	}
	d.info = info
	return kept
}

// maxRefinedSpan bounds, in days, the spans refinedBy folds into a day.
const maxRefinedSpan = 9

// refinedBy returns the index of an event of the same type and actors as
// out[i], a span of at most maxRefinedSpan days, whose day lies inside
// it; -1 when there is none.
func (d *reader) refinedBy(out []event.Event, i int, drop []bool) int {
	a := out[i]
	from, err1 := time.Parse(time.DateOnly, a.Date)
	to, err2 := time.Parse(time.DateOnly, a.DateEnd)
	if err1 != nil || err2 != nil || to.Sub(from) > maxRefinedSpan*24*time.Hour || !d.info[i].vague {
		return -1 // "from June 13–15": an explicit span says more than any day in it
	}
	for j, b := range out {
		if j == i || drop[j] || b.Type != a.Type || b.DateEnd != "" || len(b.Date) != 10 {
			continue
		}
		if b.Date >= a.Date && b.Date <= a.DateEnd && overlap(a.Actors, b.Actors) {
			return j
		}
	}
	return -1
}

// spannedBy returns the index of an event of the same type, trigger noun
// and actors as the day event out[i] whose explicit span of at most
// maxRefinedSpan days ("June 13–15") holds that day; -1 when there is
// none. spans lists the candidate spans.
func (d *reader) spannedBy(out []event.Event, spans []int, i int, drop []bool) int {
	a := out[i]
	for _, j := range spans {
		b := out[j]
		if j == i || drop[j] || b.Type != a.Type || b.DateEnd == "" || len(b.Date) != 10 || len(b.DateEnd) != 10 ||
			d.info[j].vague || d.info[j].noun != d.info[i].noun || a.Date < b.Date || a.Date > b.DateEnd {
			continue
		}
		from, err1 := time.Parse(time.DateOnly, b.Date)
		to, err2 := time.Parse(time.DateOnly, b.DateEnd)
		if err1 == nil && err2 == nil && to.Sub(from) <= maxRefinedSpan*24*time.Hour && overlap(a.Actors, b.Actors) {
			return j
		}
	}
	return -1
}

// overlap reports whether two actor lists share a name.
func overlap(a, b []string) bool {
	return slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) })
}

// sentEvent pairs a sentence with an event it reports.
type sentEvent struct{ sent, k int32 }

// adoptOrphans lends the participants of a dateless hit to the event of
// the same type reported in the sentence just before it ("They signed the
// pact on Monday. The pact was inked in Manila ..."): the same event, told
// in two sentences.
func (d *reader) adoptOrphans(out []event.Event) {
	if len(d.orphans) == 0 {
		return
	}
	// bySent lists the events first or last reported in each sentence,
	// ordered by sentence and then by event.
	bySent := d.bySent[:0]
	for k, in := range d.info {
		bySent = append(bySent, sentEvent{in.first, int32(k)})
		if in.last != in.first {
			bySent = append(bySent, sentEvent{in.last, int32(k)})
		}
	}
	slices.SortStableFunc(bySent, func(a, b sentEvent) int { return int(a.sent - b.sent) })
	d.bySent = bySent
	for _, h := range d.orphans {
		t := d.x.types[h.typ].id
		reach := int32(1)
		if h.anaphoric {
			reach = anaphoraReach // "The attacks triggered fires ... the attacks occurred at 4 a.m. and struck Abqaiq"
		}
		// The first event of h's type in the latest sentence before that
		// reports one.
		k, ks := int32(-1), int32(-1)
		i := sort.Search(len(bySent), func(i int) bool { return bySent[i].sent >= h.sent-reach })
		for ; i < len(bySent) && bySent[i].sent < h.sent; i++ {
			if out[bySent[i].k].Type == t && bySent[i].sent > ks {
				k, ks = bySent[i].k, bySent[i].sent
			}
		}
		if k >= 0 && !d.datedOverlap(h) && !(d.x.types[h.typ].requiresActor && d.sentenceDated(h.sent, -1)) &&
			!(!h.anaphoric && !d.definite(h.start) && d.sentenceDated(h.sent, h.typ)) {
			actors, places := d.participants(h)
			if d.x.types[h.typ].requiresActor && d.newSpeaker(out[k].Actors, actors) {
				continue // "Mark Rutte said ..." after "The foreign ministry said on Monday": another speaker
			}
			for _, a := range actors {
				out[k].Actors = appendNew(out[k].Actors, a)
			}
			for _, p := range places {
				if !slices.ContainsFunc(out[k].Places, func(q event.Place) bool { return sameSpot(q, p) }) {
					out[k].Places = append(out[k].Places, p)
				}
			}
		}
	}
}

// datedOverlap reports whether a dated hit of h's type covers some of
// h's words: "attacks" read by a second group inside "today's missile
// attacks" is that event, not an orphan to lend to the sentence before.
func (d *reader) datedOverlap(h hit) bool {
	for _, o := range d.hits {
		if o.typ == h.typ && o.date >= 0 && o.start < h.end && h.start < o.end {
			return true
		}
	}
	return false
}

// sentenceDated reports whether sentence si has a dated hit (of type
// typ, any type when typ < 0): its undated "the health ministry said"
// attributes that event, and "traveled to Seoul, where she met ... on May
// 14" is that meeting; neither tells more of an event the sentence before.
func (d *reader) sentenceDated(si int32, typ int) bool {
	for _, o := range d.hits {
		if o.sent == si && o.date >= 0 && (typ < 0 || o.typ == typ) {
			return true
		}
	}
	return false
}

// definite reports whether the word at token s follows a determiner,
// directly or past one word: "the raid", "the Beirut raid" name an event
// told before; "traveled to Seoul" tells its own.
func (d *reader) definite(s int) bool {
	return d.hasCue(s-1, cueDeterminer) || s >= 2 && d.hasCue(s-2, cueDeterminer) && d.toks[s-1].kind == tokWord
}

// anaphoraReach bounds, in sentences, how far back an undated "the
// attacks" finds the event it tells more of.
const anaphoraReach = 6

// newSpeaker reports whether actors name a person or body (not only a
// country) that the event's actors have not: a statement of someone else.
func (d *reader) newSpeaker(have, actors []string) bool {
	for _, a := range actors {
		if !d.x.countries[a] && !slices.Contains(have, a) {
			return true
		}
	}
	return false
}
