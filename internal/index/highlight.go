package index

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// maxFragment is the longest fragment, in bytes, before it is cut around
// its first match.
const maxFragment = 320

// highlighter marks the words of a query in event text. It re-analyses
// the few returned events instead of asking Bleve for term vectors and
// stored text, which keeps the index lean.
type highlighter struct {
	an       analyzers
	terms    map[string]bool // analysed terms of the query
	prefixes []string        // literal prefixes of wildcard terms
}

func newHighlighter(an analyzers, q query.Query) *highlighter {
	h := &highlighter{an: an, terms: map[string]bool{}}
	h.collect(q)
	return h
}

// collect gathers the positive full-text terms of q.
func (h *highlighter) collect(q query.Query) {
	addText := func(s string) {
		for _, t := range h.an.text.Analyze([]byte(s)) {
			h.terms[string(t.Term)] = true
		}
	}
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should, q.Filter} {
			if c != nil {
				h.collect(c)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			h.collect(c)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			h.collect(c)
		}
	case *query.MatchQuery:
		if q.Field() == fText {
			addText(q.Match)
		}
	case *query.MatchPhraseQuery:
		if q.Field() == fText {
			addText(q.MatchPhrase)
		}
	case *query.FuzzyQuery:
		if q.Field() == fText {
			addText(q.Term)
		}
	case *query.WildcardQuery:
		if q.Field() == fText {
			if i := strings.IndexAny(q.Wildcard, "*?"); i > 0 {
				h.prefixes = append(h.prefixes, q.Wildcard[:i])
			}
		}
	}
}

func (h *highlighter) empty() bool {
	return len(h.terms) == 0 && len(h.prefixes) == 0
}

// events returns the fragments of each event that has a match.
func (h *highlighter) events(events []event.Event) map[string][]string {
	out := make(map[string][]string)
	if h.empty() {
		return out
	}
	for _, e := range events {
		var frags []string
		for _, s := range []string{e.Title, e.Sentence} {
			if f, ok := h.fragment(s); ok {
				frags = append(frags, f)
			}
		}
		if len(frags) > 0 {
			out[e.ID] = frags
		}
	}
	return out
}

// fragment returns s HTML-escaped with matches in <mark>, cut to about
// maxFragment bytes around the first match; ok is false without a match.
func (h *highlighter) fragment(s string) (string, bool) {
	type span struct{ start, end int }
	var marks []span
	for _, t := range h.an.text.Analyze([]byte(s)) {
		if h.match(string(t.Term)) && t.Start >= 0 && t.End <= len(s) && t.Start < t.End {
			if n := len(marks); n > 0 && t.Start < marks[n-1].end {
				continue
			}
			marks = append(marks, span{t.Start, t.End})
		}
	}
	if len(marks) == 0 {
		return "", false
	}
	lo, hi := 0, len(s)
	if len(s) > maxFragment {
		lo = max(0, marks[0].start-maxFragment/4)
		for lo > 0 && !utf8.RuneStart(s[lo]) {
			lo--
		}
		hi = min(len(s), lo+maxFragment)
		for hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi++
		}
	}
	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	pos := lo
	for _, m := range marks {
		if m.start < lo || m.end > hi {
			continue
		}
		b.WriteString(html.EscapeString(s[pos:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(html.EscapeString(s[pos:hi]))
	if hi < len(s) {
		b.WriteString("…")
	}
	return b.String(), true
}

func (h *highlighter) match(term string) bool {
	if h.terms[term] {
		return true
	}
	for _, p := range h.prefixes {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	return false
}
