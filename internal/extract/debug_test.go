package extract

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDebugDump prints the date mentions, entities and hits the reader finds
// in the file named by $EXTRACT_DEBUG (published at $EXTRACT_PUB). It is a
// tool for rule authors and does nothing without the variable.
func TestDebugDump(t *testing.T) {
	path := os.Getenv("EXTRACT_DEBUG")
	if path == "" {
		t.Skip("set EXTRACT_DEBUG=file [EXTRACT_PUB=RFC3339] to dump what the reader sees")
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := time.Parse(time.RFC3339, os.Getenv("EXTRACT_PUB"))
	x := testExtractor(t)
	d := new(reader)
	d.init(x, Document{Text: string(text), Published: pub, Title: os.Getenv("EXTRACT_TITLE")})
	d.analyse()
	var b strings.Builder
	fmt.Fprintf(&b, "MAIN %q LEAD %q DOCDATE %d AUTHOR %q\n", d.main, d.mainAct, d.docDate, d.author)
	for si, s := range d.sents {
		fmt.Fprintf(&b, "S%d excluded=%v future=%v dateline=%v: %s\n", si, s.excluded, s.future, s.dateline, d.str(s.start, min(s.end, s.start+25)))
	}
	for _, m := range d.dates {
		fmt.Fprintf(&b, "DATE %q s=%d from=%v to=%v open=%v ok=%v cit=%v mod=%v conf=%.2f clause=%d\n", d.str(m.s, m.e), d.sentOf[m.s], m.from, m.to, m.open, m.ok, m.citation, m.modifier, m.conf, d.clause[m.s])
	}
	for _, e := range d.ents {
		a, p := "", ""
		if e.actor >= 0 {
			a = x.entities[e.actor].name
		}
		if e.place >= 0 {
			p = x.entities[e.place].name
		}
		fmt.Fprintf(&b, "ENT %q -> actor=%q place=%q\n", d.str(e.start, e.end), a, p)
	}
	d.trace = &tracer{gave: map[int32]bool{}}
	d.findHits()
	for _, n := range d.trace.rejects {
		fmt.Fprintf(&b, "REJECT %q %s: %s\n", d.str(n.start, n.end), x.groupName(n.trig), n.why)
	}
	for _, h := range d.hits {
		acts, _ := d.participants(h)
		fmt.Fprintf(&b, "HIT %s %s %q s=%d clause=%d status=%s date=%d conf=%.2f actors=%v\n", x.types[h.typ].id, x.groupName(h.trig), d.str(h.start, h.end), h.sent, h.clause, h.status, h.date, h.conf, acts)
	}
	for _, h := range d.orphans {
		fmt.Fprintf(&b, "ORPHAN %s %q s=%d anaphoric=%v\n", x.types[h.typ].id, d.str(h.start, h.end), h.sent, h.anaphoric)
	}
	for _, ev := range x.Extract(Document{ArticleID: "debug", Text: string(text), Published: pub, Title: os.Getenv("EXTRACT_TITLE")}) {
		fmt.Fprintf(&b, "EVENT %s %s..%s %s %v %v %q\n", ev.Type, ev.Date, ev.DateEnd, ev.Status, ev.Actors, placeNames(ev), ev.DateText)
	}
	t.Log(b.String())
}
