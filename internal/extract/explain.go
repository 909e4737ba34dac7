package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// People who edit the rules need to see why the extractor read what it
// did. Explain runs the same reading as Extract with a tracer attached
// and reports, for each event, the trigger, rule group, date and binding
// that made it, and for each dated sentence that gave no event, why not:
// which trigger phrases were found there and what ruled each out, or that
// none was. Extract itself carries no tracer and pays nothing for it.

// Explanation says how one document was read.
type Explanation struct {
	// Events lists the events in the order Extract returns them.
	Events []EventExplanation `json:"events"`
	// Silent lists the sentences with a date that gave no event.
	Silent []SentenceExplanation `json:"silent"`
}

// EventExplanation says what made one event.
type EventExplanation struct {
	Event event.Event `json:"event"`
	// Trigger is the text of the phrase that first reported it.
	Trigger string `json:"trigger"`
	// Group names the rule group of that phrase: its id in the rules, or
	// "type#n" for the n-th group of a type that has none.
	Group string `json:"group"`
	// Date is the text of the date that dated it.
	Date string `json:"date"`
	// Binding says how that date was chosen.
	Binding string `json:"binding"`
}

// SentenceExplanation says why a dated sentence gave no event.
type SentenceExplanation struct {
	Sentence string   `json:"sentence"`
	Dates    []string `json:"dates"`
	// Reasons lists, per trigger phrase found in the sentence, why it made
	// no event ("attack~ (military_strike.terror): a negative phrase of its
	// type nearby"), and what made its dates unusable.
	Reasons []string `json:"reasons"`
}

// tracer records, while one document is read, what was ruled out.
type tracer struct {
	rejects []traceNote
	// gave marks the sentences a surviving hit came from.
	gave map[int32]bool
}

// traceNote is one trigger phrase ruled out, and why.
type traceNote struct {
	start, end int
	trig       int32
	why        string
}

// reject records that the trigger phrase [start,end) of group trig made
// no event, and why.
func (t *tracer) reject(start, end int, trig int32, why string) {
	t.rejects = append(t.rejects, traceNote{start, end, trig, why})
}

// rejectHit records, when tracing, why hit h made no event.
func (d *reader) rejectHit(h hit, why string) {
	if d.trace != nil {
		d.trace.reject(h.start, h.end, h.trig, why)
	}
}

// groupName names the rule group of trigger tg.
func (x *Extractor) groupName(tg int32) string {
	t := x.triggers[tg]
	if t.id != "" {
		return t.id
	}
	n := 0
	for i := int32(0); i < tg; i++ {
		if x.triggers[i].typ == t.typ {
			n++
		}
	}
	return fmt.Sprintf("%s#%d", x.types[t.typ].id, n+1)
}

// Explain extracts the events of doc, as Extract does, and says how each
// was read and why each dated sentence without one gave none.
func (x *Extractor) Explain(doc Document) ([]event.Event, Explanation) {
	d := new(reader)
	d.trace = &tracer{gave: map[int32]bool{}}
	d.init(x, doc)
	d.analyse()
	evs := d.events()
	var ex Explanation
	for k, ev := range evs {
		h := d.info[k].hit
		m := d.dates[h.date]
		ex.Events = append(ex.Events, EventExplanation{Event: ev, Trigger: d.str(h.start, h.end),
			Group: x.groupName(h.trig), Date: d.str(m.s, m.e), Binding: bindings[h.bind]})
	}
	for _, h := range d.hits {
		d.trace.gave[h.sent] = true
	}
	for k := range evs {
		d.trace.gave[d.info[k].first] = true
	}
	for si, s := range d.sents {
		if s.excluded || s.dateline || d.trace.gave[int32(si)] {
			continue
		}
		if se, ok := d.silent(int32(si)); ok {
			ex.Silent = append(ex.Silent, se)
		}
	}
	return evs, ex
}

// silent explains sentence si when it holds a date.
func (d *reader) silent(si int32) (SentenceExplanation, bool) {
	s := d.sents[si]
	var se SentenceExplanation
	for _, m := range d.dates {
		if m.s < s.start || m.s >= s.end {
			continue
		}
		se.Dates = append(se.Dates, d.str(m.s, m.e))
		switch {
		case m.citation:
			se.Reasons = append(se.Reasons, fmt.Sprintf("%q is a citation or access date", d.str(m.s, m.e)))
		case m.naming:
			se.Reasons = append(se.Reasons, fmt.Sprintf("%q names a document", d.str(m.s, m.e)))
		case !m.ok:
			se.Reasons = append(se.Reasons, fmt.Sprintf("%q could not be resolved to a date", d.str(m.s, m.e)))
		case d.asOf(m):
			se.Reasons = append(se.Reasons, fmt.Sprintf("%q is the date of a count (\"as of\")", d.str(m.s, m.e)))
		}
	}
	if len(se.Dates) == 0 {
		return se, false
	}
	se.Sentence = d.sentenceText(s)
	found := false
	for _, n := range d.trace.rejects {
		if n.start < s.start || n.start >= s.end {
			continue
		}
		found = true
		r := fmt.Sprintf("%q (%s): %s", d.str(n.start, n.end), d.x.groupName(n.trig), n.why)
		if !slices.Contains(se.Reasons, r) {
			se.Reasons = append(se.Reasons, r)
		}
	}
	if !found && !slices.ContainsFunc(se.Reasons, func(r string) bool { return strings.Contains(r, "citation") }) {
		se.Reasons = append(se.Reasons, "no trigger phrase of any event type")
	}
	return se, true
}

// negativeNear names the negative phrase that vetoes the trigger [s,e) of
// group tg, and its reason.
func (d *reader) negativeNear(tg trig, s, e int) string {
	t := d.x.types[tg.typ]
	nw := d.negWindow(tg)
	for i := max(s-nw-maxPhrase, 0); i < min(e+nw, len(d.toks)); i++ {
		for _, m := range d.phrasesAt(i) {
			if m.p.kind != payPhrase || m.p.id != t.negative || int(m.end) <= s-nw || d.clause[i] != d.clause[s] {
				continue
			}
			words := make([]string, 0, m.end-m.start)
			for k := m.start; k < m.end; k++ {
				words = append(words, tokKey(d.toks[k], d.low))
			}
			why := t.negReasons[strings.Join(words, " ")]
			if why == "" {
				why = "no reason given"
			}
			return fmt.Sprintf("the negative phrase %q of its type (%s)", d.str(int(m.start), int(m.end)), why)
		}
	}
	return "a negative phrase of its type nearby"
}
