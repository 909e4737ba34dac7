package index

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// The query string.
//
// Q is read as news search users expect: every plain word, phrase and
// field clause is required ("drones Kyiv" finds events with both), OR
// between two clauses accepts either ("drones OR missiles Kyiv": Kyiv,
// and drones or missiles), and -word or NOT word leaves out events with
// it. AND between clauses is allowed and changes nothing. Each clause
// itself is Bleve query-string syntax ("a phrase", field:value, word~1,
// prefix*, source_count:>=2, +word), parsed by Bleve one clause at a
// time, so a refused clause is named with where it starts.
//
// parseText is the one place that reads Q: Search, Timeline, the
// Matcher of the live stream and alert rules (ParseQuery) all run the
// query it returns.

// Operators of the query string: whole, upper-case words.
const (
	opOr  = "OR"
	opAnd = "AND"
	opNot = "NOT"
)

// clauseText is one clause of a query string: the text between
// whitespace outside quotes, and the character (1-based, counted in
// runes) where it starts.
type clauseText struct {
	text string
	at   int
}

// splitClauses cuts s into clauses at whitespace outside quotes. A
// backslash escapes the next character; "field: value" stays one clause,
// as Bleve reads it. An unterminated quote is a *QueryError naming where
// it opens.
func splitClauses(s string) ([]clauseText, error) {
	var (
		out     []clauseText
		cur     strings.Builder
		start   int  // character where cur starts
		quoteAt int  // character of the open quote, 0 when outside quotes
		escaped bool // the previous character was a backslash
	)
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, clauseText{text: cur.String(), at: start})
			cur.Reset()
		}
	}
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			if quoteAt == 0 {
				quoteAt = pos
			} else {
				quoteAt = 0
			}
		case unicode.IsSpace(r) && quoteAt == 0:
			if strings.HasSuffix(cur.String(), ":") && !strings.HasSuffix(cur.String(), `\:`) {
				continue // "title: x" is one clause
			}
			flush()
			continue
		}
		if cur.Len() == 0 {
			start = pos
		}
		cur.WriteRune(r)
	}
	if quoteAt != 0 {
		return nil, qerr("q", "the quote at character %d is never closed", quoteAt)
	}
	flush()
	return out, nil
}

// parseClauses reads the clauses of a query string: each group of
// clauses joined by OR is one required alternative, clauses after - or
// NOT are excluded. It returns the query to run: MatchNone when nothing
// is required or excluded. n counts the terms, as guard does.
func parseClauses(s string, n *int) (query.Query, error) {
	clauses, err := splitClauses(s)
	if err != nil {
		return nil, err
	}
	var (
		groups   [][]query.Query // required; each group any of its alternatives
		excluded []query.Query
		pending  string     // an operator waiting for its right-hand clause
		opAt     int        // where pending is
		prev     clauseText // the last clause read, for OR's left-hand side
		prevPos  bool       // the last clause read was a required one
	)
	for _, c := range clauses {
		switch c.text {
		case opOr, opAnd:
			switch {
			case pending != "":
				return nil, qerr("q", "%s at character %d follows %s at character %d: a word is missing between them", c.text, c.at, pending, opAt)
			case c.text == opOr && !prevPos && prev.text != "":
				return nil, qerr("q", "OR at character %d follows the excluded %q: OR joins two words to accept either", c.at, clip(prev.text))
			case prev.text == "":
				return nil, qerr("q", "%s at character %d has no word before it", c.text, c.at)
			}
			pending, opAt = c.text, c.at
			continue
		case opNot:
			if pending == opOr {
				return nil, qerr("q", "NOT at character %d follows OR at character %d: OR joins two words to accept either", c.at, opAt)
			}
			if pending == opNot {
				return nil, qerr("q", "NOT at character %d follows NOT at character %d", c.at, opAt)
			}
			pending, opAt = opNot, c.at
			continue
		}
		parts, err := parseClause(c, n)
		if err != nil {
			return nil, err
		}
		neg := pending == opNot
		var pos []query.Query
		for _, p := range parts {
			switch {
			case p.not && pending == opOr:
				return nil, qerr("q", "the excluded %q at character %d follows OR at character %d: OR joins two words to accept either", clip(c.text), c.at, opAt)
			case p.not || neg:
				excluded = append(excluded, p.q)
			default:
				pos = append(pos, p.q)
			}
		}
		switch {
		case pending == opOr:
			last := len(groups) - 1
			groups[last] = append(groups[last], pos...)
		default:
			for _, p := range pos {
				groups = append(groups, []query.Query{p})
			}
		}
		prev, prevPos, pending = c, len(pos) > 0, ""
	}
	if pending != "" {
		return nil, qerr("q", "%s at character %d has no word after it", pending, opAt)
	}
	var must []query.Query
	for _, g := range groups {
		if len(g) == 1 {
			must = append(must, g[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(g))
		}
	}
	if len(must) == 0 && len(excluded) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	// Query-string mode: a required word the analyzer drops (a stop word
	// such as "the") requires nothing, rather than matching nothing.
	return query.NewBooleanQueryForQueryString(must, nil, excluded), nil
}

// part is one term-level query of a clause, excluded when not.
type part struct {
	q   query.Query
	not bool
}

// parseClause parses one clause with Bleve's query-string parser and
// guards its terms. Plain and +prefixed terms are required; the words of
// a plain full-text term all are too ("Hwasong-11": both).
func parseClause(c clauseText, n *int) ([]part, error) {
	if err := unknownField(c); err != nil {
		return nil, err
	}
	parsed, err := query.NewQueryStringQuery(c.text).Parse()
	if err != nil {
		return nil, clauseError(c, err)
	}
	b, ok := parsed.(*query.BooleanQuery)
	if !ok {
		return nil, qerr("q", "cannot read %q at character %d", clip(c.text), c.at)
	}
	var out []part
	add := func(q query.Query, not bool) error {
		g, err := guard(q, n)
		if err != nil {
			return atClause(err, c)
		}
		if m, ok := g.(*query.MatchQuery); ok && m.Field() == fText {
			m.SetOperator(query.MatchQueryOperatorAnd)
		}
		out = append(out, part{q: g, not: not})
		return nil
	}
	for _, sub := range []struct {
		q   query.Query
		not bool
	}{{b.Must, false}, {b.Should, false}, {b.MustNot, true}} {
		var qs []query.Query
		switch q := sub.q.(type) {
		case nil:
		case *query.ConjunctionQuery:
			qs = q.Conjuncts
		case *query.DisjunctionQuery:
			qs = q.Disjuncts
		default:
			qs = []query.Query{q}
		}
		for _, q := range qs {
			if err := add(q, sub.not); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// atClause adds where the clause starts to a guard's refusal.
func atClause(err error, c clauseText) error {
	if qe, ok := err.(*QueryError); ok {
		return qerr(qe.Param, "%s (%q at character %d)", qe.Msg, clip(c.text), c.at)
	}
	return err
}

// fieldNames lists the fields a query string may name, for messages.
const fieldNames = "title, sentence, type, actor, place, feed, status, article, day, source_count"

// clauseError explains why Bleve refused one clause, naming what is
// wrong and the character where it is, rather than Bleve's bare "syntax
// error".
func clauseError(c clauseText, err error) error {
	text := c.text
	at := func(i int) int { return c.at + utf8.RuneCountInString(text[:i]) }
	body := strings.TrimLeft(text, "+-")
	off := len(text) - len(body)
	if body == "" {
		return qerr("q", "%q at character %d has no word after it", text, c.at)
	}
	if i := fieldColon(body); i >= 0 {
		field, value := body[:i], strings.TrimLeft(body[i+1:], " \t")
		vat := off + len(body) - len(value)
		name := resolveField(field)
		switch {
		case !knownFields[name]:
			return unknownField(c)
		case value == "":
			return qerr("q", "%s: at character %d has no value after it", field, at(off))
		case strings.HasPrefix(value, ">") || strings.HasPrefix(value, "<"):
			num := strings.TrimLeft(value, "<>=")
			if _, perr := strconv.ParseFloat(num, 64); perr != nil {
				hint := ""
				if name == fDay || strings.ContainsAny(num, "-/") {
					hint = dateHint(value)
				}
				op := value[:len(value)-len(num)]
				return qerr("q", "%q at character %d after %s:%s is not a number: comparisons take numbers (source_count:>=2)%s",
					clip(num), at(vat+len(op)), field, op, hint)
			}
		case fieldColon(value) >= 0:
			return qerr("q", "a second \":\" in %q at character %d: quote a value holding one (%s:\"%s\")", clip(text), at(vat+fieldColon(value)), field, clip(value))
		}
	}
	msg := strings.TrimPrefix(err.Error(), "parse error: ")
	return qerr("q", "cannot read %q at character %d: %s", clip(text), c.at, msg)
}

// unknownField refuses a clause naming a field the index does not have,
// saying where it is and which fields there are; nil for any other
// clause.
func unknownField(c clauseText) error {
	body := strings.TrimLeft(c.text, "+-")
	i := fieldColon(body)
	if i < 0 {
		return nil
	}
	field := body[:i]
	if knownFields[resolveField(field)] {
		return nil
	}
	hint := ""
	if strings.EqualFold(field, "date") {
		hint = dateHint(strings.TrimLeft(body[i+1:], " \t"))
	}
	return qerr("q", "unknown field %q at character %d (fields: %s)%s",
		clip(field), c.at+utf8.RuneCountInString(c.text[:len(c.text)-len(body)]), fieldNames, hint)
}

// dateHint points a reader who compared dates in q to the from and to
// filters, with the date they wrote when it is one: "date:>2026-12-01"
// becomes from=2026-12-01, "<2024" to=2024.
func dateHint(value string) string {
	const use = "; to select dates use the from and to filters"
	d := strings.Trim(strings.TrimLeft(value, "<>="), `"`)
	if _, _, _, ok := event.ParseDate(d); !ok {
		return use + " (from=2026-12-01&to=2026-12-31)"
	}
	switch {
	case strings.HasPrefix(value, ">"):
		return use + " (from=" + d + ")"
	case strings.HasPrefix(value, "<"):
		return use + " (to=" + d + ")"
	}
	return use + " (from=" + d + "&to=" + d + ")"
}

// fieldColon returns the index of the first unescaped ':' of s outside
// quotes, or -1.
func fieldColon(s string) int {
	quoted, escaped := false, false
	for i, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		case r == ':' && !quoted:
			return i
		}
	}
	return -1
}
