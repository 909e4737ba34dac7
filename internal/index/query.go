package index

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// Limits of a query. Beyond them a query is refused (QueryError) or, for
// Limit, capped.
const (
	// DefaultLimit is the page size when Query.Limit is 0.
	DefaultLimit = 20
	// MaxLimit caps Query.Limit.
	MaxLimit = 200
	// MaxQueryBytes bounds the length of Query.Q.
	MaxQueryBytes = 1024
	// MaxQueryTerms bounds the number of clauses in Query.Q.
	MaxQueryTerms = 32
	// MaxFilterValues bounds the values of one filter (Types, Actors, ...).
	MaxFilterValues = 64
	// DefaultTimeout bounds a search when Query.Timeout is 0.
	DefaultTimeout = 5 * time.Second
	// MaxTimeout caps Query.Timeout.
	MaxTimeout = 60 * time.Second
	// minWildcardPrefix is the number of literal characters a wildcard
	// term needs before its first * or ?.
	minWildcardPrefix = 2
)

// Sort orders of Query.Sort.
const (
	SortDate      = "date"
	SortDateDesc  = "-date"
	SortRelevance = "relevance"
)

// Query selects events. The zero Query selects every event, newest first.
type Query struct {
	// Q is a query string: plain words match title, sentence, article
	// title, actors and places, and every word is required ("drones
	// Kyiv" finds events with both); a OR b accepts either, -word and NOT
	// word exclude it, AND changes nothing (see querytext.go). Each
	// clause is Bleve query-string syntax: "a phrase"; word~1; prefix* with at least two
	// letters before the wildcard; field:value with field one of type,
	// actor, place, feed, status, article, day, title, sentence; actor
	// and the other keyword fields match whole values, case-sensitive;
	// source_count:>=2 compares the number of independent sources).
	// "" matches everything.
	Q string
	// From and To are ISO dates at any precision (YYYY, YYYY-MM,
	// YYYY-MM-DD); an event matches when its span [date, date_end]
	// overlaps [From, To]. Either may be empty.
	From, To string
	// Types, Actors, Places, Feeds and Statuses filter on exact values
	// (Actors and Places case-insensitively, through the gazetteer's
	// names and a place's country: entities.go):
	// any value of one filter matches (OR), every non-empty filter must
	// match (AND). A merged event has the actors, places and feeds of all
	// its sources.
	Types, Actors, Places, Feeds, Statuses []string
	// MinSources keeps events reported by at least this many independent
	// sources (Event.SourceCount, distinct feeds; an event read from one
	// article counts 1). 0 and 1 select every event.
	MinSources int
	// Near keeps events whose first located place lies within Km of a
	// point.
	Near *Near
	// Sort is SortDate, SortDateDesc or SortRelevance; "" means
	// SortRelevance when Q is set and SortDateDesc otherwise (also for
	// SortRelevance without Q). Ties go by event id.
	Sort string
	// Limit is the page size: DefaultLimit when 0, capped at MaxLimit.
	Limit int
	// Cursor continues from a previous Result.Next of the same query.
	Cursor string
	// Facets asks for the top 10 types, actors, places and feeds.
	Facets bool
	// Highlight asks for fragments of title and sentence with the
	// matching words in <mark>…</mark> (HTML-escaped otherwise).
	Highlight bool
	// Timeout bounds the search: DefaultTimeout when 0, capped at
	// MaxTimeout. The context passed to Search bounds it too.
	Timeout time.Duration
	// Parallel is how many of the per-year indexes a search reads at once
	// (see shards.go): 0 means one per core. A server admitting one search
	// per core gives costly searches 1, so each stays on its core.
	Parallel int
}

// Near is a circle on the map: a centre in degrees and a radius in
// kilometres (at most 20,040, half the Earth's circumference).
type Near struct {
	Lat, Lon, Km float64
}

// distance is the radius as Bleve's distance query reads it.
func (n *Near) distance() string {
	return strconv.FormatFloat(n.Km, 'f', -1, 64) + "km"
}

// QueryError is a query the index refuses: a syntax error, a bad date,
// sort or cursor, or a query too costly to run. Param names the query
// parameter at fault ("q", "from", "to", "type", "actor", "place", "feed",
// "status", "min_sources", "near", "sort", "cursor", "interval"). Search and Timeline
// return it as *QueryError; the API turns it into HTTP 400.
type QueryError struct {
	Param, Msg string
}

// Error describes the problem and names the parameter.
func (e *QueryError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Param, e.Msg)
}

func qerr(param, format string, args ...any) *QueryError {
	return &QueryError{Param: param, Msg: fmt.Sprintf(format, args...)}
}

// plan is a validated Query turned into Bleve terms.
type plan struct {
	text     query.Query   // the parsed Q, nil when Q is empty
	filters  []query.Query // one per non-empty filter
	sort     string        // effective sort
	limit    int
	timeout  time.Duration
	after    []string // search_after values, nil on the first page
	parallel int      // indexes read at once, at least 1
	// from and to bound the dates selected, [from, to); the whole
	// calendar without a date filter. Searches read only the indexes
	// overlapping them (see shards.go).
	from, to time.Time
	// hidden is true when the events searched may include hidden ones
	// (see corrected.go), which query then leaves out.
	hidden bool
}

// compile validates q and builds its plan.
func compile(q Query) (*plan, error) {
	p := &plan{limit: q.Limit, timeout: q.Timeout}
	if p.limit <= 0 {
		p.limit = DefaultLimit
	}
	p.limit = min(p.limit, MaxLimit)
	if p.timeout <= 0 {
		p.timeout = DefaultTimeout
	}
	p.timeout = min(p.timeout, MaxTimeout)
	p.parallel = q.Parallel
	if p.parallel <= 0 {
		p.parallel = runtime.GOMAXPROCS(0)
	}

	text, err := parseText(q.Q)
	if err != nil {
		return nil, err
	}
	p.text = text

	if p.filters, err = filters(q); err != nil {
		return nil, err
	}
	p.from, p.to, _, _ = dateRange(q.From, q.To) // checked by filters

	switch q.Sort {
	case "":
		p.sort = SortDateDesc
		if text != nil {
			p.sort = SortRelevance
		}
	case SortDate, SortDateDesc:
		p.sort = q.Sort
	case SortRelevance:
		p.sort = SortRelevance
		if text == nil {
			p.sort = SortDateDesc
		}
	default:
		return nil, qerr("sort", "%q is not one of date, -date, relevance", q.Sort)
	}

	if q.Cursor != "" {
		if p.after, err = decodeCursor(q.Cursor, p.sort); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// filters turns every filter of q into a Bleve query.
func filters(q Query) ([]query.Query, error) {
	var out []query.Query
	for _, f := range []struct {
		param, field string
		values       []string
	}{
		{"type", fType, q.Types}, {"actor", fActorKey, actorFilter(q.Actors)}, {"place", fPlaceKey, placeFilter(q.Places)},
		{"feed", fFeed, q.Feeds}, {"status", fStatus, q.Statuses},
	} {
		terms, err := termsFilter(f.param, f.field, f.values)
		if err != nil {
			return nil, err
		}
		if terms != nil {
			out = append(out, terms)
		}
	}
	switch {
	case q.MinSources < 0:
		return nil, qerr("min_sources", "%d is negative", q.MinSources)
	case q.MinSources > 1:
		lo, inclusive := float64(q.MinSources), true
		n := query.NewNumericRangeInclusiveQuery(&lo, nil, &inclusive, nil)
		n.SetField(fSources)
		out = append(out, n)
	}
	dates, err := dateFilter(q.From, q.To)
	if err != nil {
		return nil, err
	}
	out = append(out, dates...)
	if n := q.Near; n != nil {
		if !validLatLon(n.Lat, n.Lon) {
			return nil, qerr("near", "latitude %g, longitude %g out of range", n.Lat, n.Lon)
		}
		if !(n.Km > 0 && n.Km <= 20040) {
			return nil, qerr("near", "distance %g km is not in (0, 20040]", n.Km)
		}
		g := query.NewGeoDistanceQuery(n.Lon, n.Lat, n.distance())
		g.SetField(fGeo)
		out = append(out, g)
	}
	return out, nil
}

// termsFilter is a disjunction of exact terms, nil when values is empty.
func termsFilter(param, field string, values []string) (query.Query, error) {
	var qs []query.Query
	for _, v := range values {
		if v == "" {
			continue
		}
		if len(v) > 256 {
			return nil, qerr(param, "value longer than 256 bytes")
		}
		t := query.NewTermQuery(v)
		t.SetField(field)
		qs = append(qs, t)
	}
	switch {
	case len(qs) == 0:
		return nil, nil
	case len(qs) > MaxFilterValues:
		return nil, qerr(param, "more than %d values", MaxFilterValues)
	case len(qs) == 1:
		return qs[0], nil
	}
	return query.NewDisjunctionQuery(qs), nil
}

// dateFilter selects spans overlapping [from, to] (see dates.go); nil
// when both are empty.
func dateFilter(from, to string) ([]query.Query, error) {
	fromStart, toEnd, ranged, err := dateRange(from, to)
	if err != nil || !ranged {
		return nil, err
	}
	parts := cover(fromStart, toEnd)
	if len(parts) == 1 {
		return parts, nil
	}
	return []query.Query{query.NewDisjunctionQuery(parts)}, nil
}

// dateRange parses from and to into the range [fromStart, toEnd) they
// select; ranged is false when both are empty.
func dateRange(from, to string) (fromStart, toEnd time.Time, ranged bool, err error) {
	fromStart = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	toEnd = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if from == "" && to == "" {
		return fromStart, toEnd, false, nil
	}
	if from != "" {
		s, _, _, ok := event.ParseDate(from)
		if !ok {
			return fromStart, toEnd, false, qerr("from", "%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", clip(from))
		}
		fromStart = s
	}
	if to != "" {
		_, e, _, ok := event.ParseDate(to)
		if !ok {
			return fromStart, toEnd, false, qerr("to", "%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", clip(to))
		}
		toEnd = e
	}
	if !fromStart.Before(toEnd) {
		return fromStart, toEnd, false, qerr("to", "%s is before from %s", to, from)
	}
	return fromStart, toEnd, true, nil
}

// clip shortens a value quoted back in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// knownFields are the fields a query string may name (after aliases).
var knownFields = map[string]bool{
	fText: true, fType: true, fActor: true, fPlace: true, fFeed: true,
	fStatus: true, fArticle: true, fDay: true, fSources: true,
}

// ParseQuery parses a query string as Search reads Query.Q: every clause
// required, OR and -word as written (see querytext.go), each clause in
// Bleve query-string syntax, field aliases mapped to this index's fields, and
// the cost guard (no regular expressions, short wildcards or fuzziness
// above 1, at most MaxQueryTerms terms, MaxQueryBytes long). It returns
// nil for a blank string and a *QueryError for a refused one. Alert rules
// use it so a rule's query means what the same search means.
func ParseQuery(s string) (query.Query, error) { return parseText(s) }

// parseText parses a query string and applies the cost guard; nil for "".
func parseText(s string) (q query.Query, err error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if len(s) > MaxQueryBytes {
		return nil, qerr("q", "longer than %d bytes", MaxQueryBytes)
	}
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, qerr("q", "cannot parse query")
		}
	}()
	n := 0
	parsed, err := parseClauses(s, &n)
	if err != nil {
		return nil, err
	}
	if n > MaxQueryTerms {
		return nil, qerr("q", "more than %d terms", MaxQueryTerms)
	}
	return parsed, nil
}

// guard walks a parsed query string: it refuses costly clauses, counts
// terms into n, maps field aliases to indexed fields, and returns the
// query to run in place of q.
func guard(q query.Query, n *int) (query.Query, error) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		return q, guardEach(n, &q.Must, &q.Should, &q.MustNot, &q.Filter)
	case *query.ConjunctionQuery:
		return q, guardEach(n, pointers(q.Conjuncts)...)
	case *query.DisjunctionQuery:
		return q, guardEach(n, pointers(q.Disjuncts)...)
	case *query.MatchNoneQuery, *query.MatchAllQuery:
		return q, nil
	}
	return guardLeaf(q, n)
}

// guardEach guards every non-nil query in place.
func guardEach(n *int, qs ...*query.Query) error {
	for _, q := range qs {
		if *q == nil {
			continue
		}
		g, err := guard(*q, n)
		if err != nil {
			return err
		}
		*q = g
	}
	return nil
}

func pointers(qs []query.Query) []*query.Query {
	out := make([]*query.Query, len(qs))
	for i := range qs {
		out[i] = &qs[i]
	}
	return out
}

// guardLeaf checks one term-level clause of a query string.
func guardLeaf(q query.Query, n *int) (query.Query, error) {
	const fuzzy = "fuzziness %d is above 1 in %q"
	switch q := q.(type) {
	case *query.RegexpQuery:
		return nil, qerr("q", "regular expressions are not allowed")
	case *query.MatchQuery:
		if q.Fuzziness > 1 {
			return nil, qerr("q", fuzzy, q.Fuzziness, clip(q.Match))
		}
	case *query.MatchPhraseQuery:
		if q.Fuzziness > 1 {
			return nil, qerr("q", fuzzy, q.Fuzziness, clip(q.MatchPhrase))
		}
		if f := resolveField(q.Field()); f != fText && knownFields[f] {
			// A keyword field holds the whole value as one term, without
			// positions: match the term instead of a phrase.
			m := query.NewMatchQuery(q.MatchPhrase)
			m.SetField(f)
			m.SetBoost(q.Boost())
			return guardLeaf(m, n)
		}
	case *query.FuzzyQuery:
		if q.Fuzziness > 1 {
			return nil, qerr("q", fuzzy, q.Fuzziness, clip(q.Term))
		}
	case *query.WildcardQuery:
		if i := strings.IndexAny(q.Wildcard, "*?"); i < minWildcardPrefix {
			return nil, qerr("q", "wildcard %q needs at least %d letters before * or ?", clip(q.Wildcard), minWildcardPrefix)
		}
		if resolveField(q.Field()) == fText {
			q.Wildcard = strings.ToLower(q.Wildcard)
		}
	case *query.NumericRangeQuery, *query.DateRangeStringQuery, *query.DateRangeQuery,
		*query.TermQuery, *query.PrefixQuery:
	default:
		return nil, qerr("q", "unsupported clause %T", q)
	}
	*n++
	if f, ok := q.(query.FieldableQuery); ok {
		name := resolveField(f.Field())
		if !knownFields[name] {
			return nil, qerr("q", "unknown field %q", clip(f.Field()))
		}
		f.SetField(name)
		switch name {
		case fActor:
			keyField(q, fActorKey, builtinEntities().actor)
		case fPlace:
			keyField(q, fPlaceKey, builtinEntities().place)
		}
	}
	return q, nil
}

// keyField points a clause on the actor or place field at its filter
// keys, so that the query string reads names as the actor and place
// filters do: case-insensitive and through the gazetteer
// ("actors:russia", "place:kiev"; a place also through its country). A
// whole value is read as the canonical name it stands for; a prefix or
// wildcard only lower-cased.
func keyField(q query.Query, field string, canon func(string) string) {
	switch q := q.(type) {
	case *query.MatchQuery:
		q.SetField(field)
		q.Match = strings.ToLower(canon(q.Match))
	case *query.TermQuery:
		q.SetField(field)
		q.Term = strings.ToLower(canon(q.Term))
	case *query.PrefixQuery:
		q.SetField(field)
		q.Prefix = strings.ToLower(q.Prefix)
	case *query.WildcardQuery:
		q.SetField(field)
		q.Wildcard = strings.ToLower(q.Wildcard)
	case *query.FuzzyQuery:
		q.SetField(field)
		q.Term = strings.ToLower(q.Term)
	}
}

// resolveField maps a field named in a query string to an indexed field.
func resolveField(name string) string {
	if alias, ok := fieldAliases[name]; ok {
		return alias
	}
	return name
}
