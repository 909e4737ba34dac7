package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
)

// TestMissClasses sorts the real-text dev corpus's misses into what went
// wrong: the type and date were found but not the gold actors or places;
// the type was found at another date; another type was found at the
// date; nothing. It is a tool for rule authors (DEVSET_MISSES=1; =v also
// lists each miss under its class) and asserts nothing of the rules.
func TestMissClasses(t *testing.T) {
	mode := os.Getenv("DEVSET_MISSES")
	if mode == "" {
		t.Skip("set DEVSET_MISSES=1 (or v) to sort the real-text dev misses by class")
	}
	x := testExtractor(t)
	items, _ := setItems("real")
	classes := map[string][]string{}
	reasons := map[string]int{}
	for _, it := range items {
		g, err := readGold(it.gold)
		if err != nil {
			t.Fatal(err)
		}
		text, err := articleText(it.text)
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := time.Parse(time.RFC3339, g.Published)
		evs := x.Extract(Document{ArticleID: filepath.Base(it.text), Text: text, Published: pub, Title: sourceTitle(it.text)})
		s := scoreEvents(g, evs)
		var d *reader
		for _, m := range s.Missed {
			c := missClass(m, evs)
			if c == "nothing" || c == "other type at date" {
				if d == nil {
					d = new(reader)
					d.init(x, Document{Text: text, Published: pub})
					d.analyse()
					d.trace = &tracer{gave: map[int32]bool{}}
					d.findHits()
				}
				for _, why := range rejectsFor(d, m) {
					reasons[why]++
				}
			}
			classes[c] = append(classes[c], fmt.Sprintf("%s %s %v %s %v %v <- %.140s", filepath.Base(it.text), m.ID, m.Type, m.Date, m.Actors, m.Places, m.Evidence))
		}
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(classes[keys[i]]) > len(classes[keys[j]]) })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%-28s %d\n", k, len(classes[k]))
	}
	rk := make([]string, 0, len(reasons))
	for k := range reasons {
		rk = append(rk, k)
	}
	sort.Slice(rk, func(i, j int) bool { return reasons[rk[i]] > reasons[rk[j]] })
	b.WriteString("\nwhy the gold's type was ruled out in its sentence (nothing, other type):\n")
	for _, k := range rk {
		fmt.Fprintf(&b, "%4d %s\n", reasons[k], k)
	}
	if mode == "v" {
		for _, k := range keys {
			fmt.Fprintf(&b, "\n== %s\n", k)
			for _, l := range classes[k] {
				b.WriteString(l + "\n")
			}
		}
	}
	t.Log("\n" + b.String())
}

// missClass names what the extractor made of missed gold event m.
func missClass(m gold.Event, evs []event.Event) string {
	typed := func(ev event.Event) bool { return slices.Contains(m.Type, ev.Type) }
	dated := func(ev event.Event) bool { return strings.HasPrefix(ev.Date, m.Date) }
	near := func(ev event.Event) bool { // the same year, a coarser or finer date
		return len(ev.Date) >= 4 && len(m.Date) >= 4 && ev.Date[:4] == m.Date[:4]
	}
	switch {
	case slices.ContainsFunc(evs, func(ev event.Event) bool {
		return typed(ev) && dated(ev) && m.DateEnd != nil && !strings.HasPrefix(ev.DateEnd, *m.DateEnd)
	}):
		return "span end"
	case slices.ContainsFunc(evs, func(ev event.Event) bool { return gold.Matches(ev, m) }):
		return "one event, two gold"
	case slices.ContainsFunc(evs, func(ev event.Event) bool {
		return typed(ev) && dated(ev) && gold.Matches(ev, gold.Event{Type: m.Type, Date: m.Date, DateEnd: m.DateEnd, Actors: m.Actors})
	}):
		return "places"
	case slices.ContainsFunc(evs, func(ev event.Event) bool { return typed(ev) && dated(ev) }):
		return "actors"
	case slices.ContainsFunc(evs, func(ev event.Event) bool { return typed(ev) && near(ev) }):
		return "date precision/nearby"
	case slices.ContainsFunc(evs, func(ev event.Event) bool { return !typed(ev) && dated(ev) }):
		return "other type at date"
	default:
		return "nothing"
	}
}

// rejectsFor returns, once per reason, why the triggers of gold event m's
// types were ruled out in the sentence holding the start of its evidence.
func rejectsFor(d *reader, m gold.Event) []string {
	ev := m.Evidence
	for _, cut := range []string{"…", "...", " ... "} {
		if i := strings.Index(ev, cut); i > 0 {
			ev = ev[:i]
		}
	}
	ev = strings.TrimSpace(ev)
	if len(ev) > 40 {
		ev = ev[:40]
	}
	if ev == "" {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range d.trace.rejects {
		si := d.sentOf[n.start]
		if !strings.Contains(d.sentenceText(d.sents[si]), ev) || !slices.Contains(m.Type, d.x.types[d.x.triggers[n.trig].typ].id) {
			continue
		}
		why := n.why
		if i := strings.Index(why, "\""); i > 0 {
			why = why[:i] + "…"
		}
		if os.Getenv("DEVSET_MISSES") == "g" {
			why += " [" + d.x.groupName(n.trig) + " " + d.str(n.start, n.end) + "] " + m.ID
		}
		if !seen[why] {
			seen[why] = true
			out = append(out, why)
		}
	}
	return out
}
