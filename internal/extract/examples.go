package extract

import (
	"fmt"
	"strings"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
)

// Each event type in the rules carries examples: a text, the events the
// rules must read from it and those they must not. They are the rules'
// own tests: go test runs them (TestRuleExamples), and so does "dateline
// rules test DIR" for someone editing a copy of the rules, who sees at
// once what an edit changed.

// ExampleResult is the outcome of one rule example.
type ExampleResult struct {
	// Type is the event type whose examples hold it; Index its position.
	Type  string
	Index int
	// Source locates the type in the rule files.
	Source rules.Source
	// Text is the example's text.
	Text string
	// Failures says what went wrong; empty when the example passed.
	Failures []string
}

// CheckExamples runs every example of the types in rs through x, which
// must have been built from rs.
func (x *Extractor) CheckExamples(rs *rules.Set) []ExampleResult {
	known := map[string]bool{}
	for _, t := range rs.Types {
		known[t.ID] = true
	}
	var out []ExampleResult
	for _, t := range rs.Types {
		for i, ex := range t.Examples {
			r := ExampleResult{Type: t.ID, Index: i, Source: t.Source, Text: ex.Text}
			pub, err := rules.ParsePublished(ex.Published)
			if err != nil {
				r.Failures = append(r.Failures, err.Error())
				out = append(out, r)
				continue
			}
			evs := x.Extract(Document{ArticleID: "example", Text: ex.Text, Published: pub})
			for _, w := range ex.Want {
				typ, date, err := rules.ParseEventSpec(w)
				switch {
				case err != nil:
					r.Failures = append(r.Failures, err.Error())
				case typ != "" && !known[typ]:
					r.Failures = append(r.Failures, fmt.Sprintf("want %q: no event type %q", w, typ))
				case !hasSpec(evs, typ, date):
					r.Failures = append(r.Failures, fmt.Sprintf("want %q: not read (read: %s)", w, specs(evs)))
				}
			}
			for _, w := range ex.Not {
				typ, date, err := rules.ParseEventSpec(w)
				switch {
				case err != nil:
					r.Failures = append(r.Failures, err.Error())
				case typ != "" && !known[typ]:
					r.Failures = append(r.Failures, fmt.Sprintf("not %q: no event type %q", w, typ))
				case hasSpec(evs, typ, date):
					r.Failures = append(r.Failures, fmt.Sprintf("not %q: read anyway (read: %s)", w, specs(evs)))
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// hasSpec reports whether evs holds an event of type typ (any type when
// empty) dated date.
func hasSpec(evs []event.Event, typ, date string) bool {
	for _, ev := range evs {
		if (typ == "" || ev.Type == typ) && ev.Date == date {
			return true
		}
	}
	return false
}

// specs lists events as "type date", or "nothing".
func specs(evs []event.Event) string {
	if len(evs) == 0 {
		return "nothing"
	}
	s := make([]string, len(evs))
	for i, ev := range evs {
		s[i] = ev.Type + " " + ev.Date
		if ev.DateEnd != "" {
			s[i] += ".." + ev.DateEnd
		}
	}
	return strings.Join(s, ", ")
}
