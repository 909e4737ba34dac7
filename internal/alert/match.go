package alert

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// The fields of the matcher's in-memory index. They mirror the search
// index (internal/index) so a rule's query means what the same search
// means: one English full-text field and exact keyword fields.
const (
	fText    = "text"
	fType    = "type"
	fActor   = "actor"
	fPlace   = "place"
	fFeed    = "feed"
	fStatus  = "status"
	fArticle = "article"
	fDay     = "day"
	fStart   = "start"
	fEnd     = "end"
)

// fieldAliases maps names a query may use to the indexed fields, as search does.
var fieldAliases = map[string]string{
	"": fText, "title": fText, "sentence": fText, "article_title": fText, "article.title": fText,
	"actors": fActor, "places": fPlace, "places.name": fPlace, "article.feed": fFeed, "types": fType,
}

var knownFields = map[string]bool{
	fText: true, fType: true, fActor: true, fPlace: true, fFeed: true,
	fStatus: true, fArticle: true, fDay: true, fStart: true, fEnd: true,
}

const (
	maxQueryBytes = 1024
	maxQueryTerms = 32
)

// parseQuery parses a rule query with the search syntax and its limits;
// nil for an empty query.
func parseQuery(s string) (q query.Query, err error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if len(s) > maxQueryBytes {
		return nil, fmt.Errorf("longer than %d bytes", maxQueryBytes)
	}
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("cannot parse query")
		}
	}()
	parsed, err := query.NewQueryStringQuery(s).Parse()
	if err != nil {
		return nil, err
	}
	n := 0
	if parsed, err = guard(parsed, &n); err != nil {
		return nil, err
	}
	if n > maxQueryTerms {
		return nil, fmt.Errorf("more than %d terms", maxQueryTerms)
	}
	return parsed, nil
}

// guard refuses costly clauses, counts terms and maps field aliases.
func guard(q query.Query, n *int) (query.Query, error) {
	var err error
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []*query.Query{&q.Must, &q.Should, &q.MustNot, &q.Filter} {
			if *c != nil {
				if *c, err = guard(*c, n); err != nil {
					return nil, err
				}
			}
		}
		return q, nil
	case *query.ConjunctionQuery:
		for i := range q.Conjuncts {
			if q.Conjuncts[i], err = guard(q.Conjuncts[i], n); err != nil {
				return nil, err
			}
		}
		return q, nil
	case *query.DisjunctionQuery:
		for i := range q.Disjuncts {
			if q.Disjuncts[i], err = guard(q.Disjuncts[i], n); err != nil {
				return nil, err
			}
		}
		return q, nil
	case *query.MatchNoneQuery, *query.MatchAllQuery:
		return q, nil
	case *query.RegexpQuery:
		return nil, fmt.Errorf("regular expressions are not allowed")
	case *query.MatchQuery:
		if q.Fuzziness > 1 {
			return nil, fmt.Errorf("fuzziness %d is above 1", q.Fuzziness)
		}
	case *query.MatchPhraseQuery:
		if q.Fuzziness > 1 {
			return nil, fmt.Errorf("fuzziness %d is above 1", q.Fuzziness)
		}
		if f := resolveField(q.Field()); f != fText && knownFields[f] {
			m := query.NewMatchQuery(q.MatchPhrase)
			m.SetField(f)
			return guard(m, n)
		}
	case *query.FuzzyQuery:
		if q.Fuzziness > 1 {
			return nil, fmt.Errorf("fuzziness %d is above 1", q.Fuzziness)
		}
	case *query.WildcardQuery:
		if i := strings.IndexAny(q.Wildcard, "*?"); i < 2 {
			return nil, fmt.Errorf("wildcard %q needs at least 2 letters before * or ?", q.Wildcard)
		}
		if resolveField(q.Field()) == fText {
			q.Wildcard = strings.ToLower(q.Wildcard)
		}
	case *query.NumericRangeQuery, *query.DateRangeStringQuery, *query.DateRangeQuery,
		*query.TermQuery, *query.PrefixQuery:
	default:
		return nil, fmt.Errorf("unsupported clause %T", q)
	}
	*n++
	if f, ok := q.(query.FieldableQuery); ok {
		name := resolveField(f.Field())
		if !knownFields[name] {
			return nil, fmt.Errorf("unknown field %q", f.Field())
		}
		f.SetField(name)
	}
	return q, nil
}

func resolveField(name string) string {
	if a, ok := fieldAliases[name]; ok {
		return a
	}
	return name
}

// matcher decides which events each rule matches. Filters run in Go; the
// query runs on an in-memory Bleve index holding only the events being
// matched. It is safe for concurrent use.
type matcher struct {
	mu  sync.Mutex // guards idx: documents are added, searched, removed
	idx bleve.Index
}

func newMatcher() (*matcher, error) {
	idx, err := bleve.NewMemOnly(matchMapping())
	if err != nil {
		return nil, fmt.Errorf("matcher index: %w", err)
	}
	return &matcher{idx: idx}, nil
}

func (m *matcher) close() error { return m.idx.Close() }

func matchMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.DefaultField = fText
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	dm := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store, text.IncludeInAll, text.IncludeTermVectors = false, false, true
	dm.AddFieldMappingsAt(fText, text)
	for _, f := range []string{fType, fActor, fPlace, fFeed, fStatus, fArticle, fDay} {
		k := bleve.NewKeywordFieldMapping()
		k.Store, k.IncludeInAll, k.DocValues = false, false, false
		dm.AddFieldMappingsAt(f, k)
	}
	for _, f := range []string{fStart, fEnd} {
		d := bleve.NewDateTimeFieldMapping()
		d.Store, d.IncludeInAll, d.DocValues = false, false, false
		dm.AddFieldMappingsAt(f, d)
	}
	im.DefaultMapping = dm
	return im
}

// doc is the indexed form of an event, as the search index builds it.
func doc(e event.Event) map[string]any {
	var text strings.Builder
	for _, s := range []string{e.Title, e.Sentence, e.Article.Title} {
		if s != "" {
			text.WriteString(s + "\n")
		}
	}
	text.WriteString(strings.Join(e.Actors, "\n") + "\n")
	places := make([]string, 0, len(e.Places))
	for _, p := range e.Places {
		text.WriteString(p.Name)
		if p.Country != "" && p.Country != p.Name {
			text.WriteString(", " + p.Country)
		}
		text.WriteString("\n")
		places = append(places, p.Name)
	}
	d := map[string]any{
		fText: text.String(), fType: e.Type, fActor: e.Actors, fPlace: places,
		fFeed: e.Article.Feed, fStatus: string(e.Status), fArticle: e.Article.ID, fDay: "0000-00-00",
	}
	if start, end, ok := e.Span(); ok {
		d[fDay] = start.Format(time.DateOnly)
		d[fStart], d[fEnd] = start, end
	}
	return d
}

// passes applies the exact filters of r to e. sources is the number of
// distinct sources of e's merged event, or -1 when unknown; a min_sources
// above 1 compares it, or Mentions when it is unknown.
func (c *compiled) passes(e event.Event, sources int) bool {
	anyOf := func(want []string, have ...string) bool {
		if len(want) == 0 {
			return true
		}
		for _, h := range have {
			if slices.Contains(want, h) {
				return true
			}
		}
		return false
	}
	places := make([]string, 0, len(e.Places))
	for _, p := range e.Places {
		places = append(places, p.Name)
	}
	return anyOf(c.Types, e.Type) && anyOf(c.Actors, e.Actors...) && anyOf(c.Places, places...) &&
		anyOf(c.Statuses, string(e.Status)) && c.enoughSources(e, sources) &&
		e.Confidence >= c.MinConfidence
}

func (c *compiled) enoughSources(e event.Event, sources int) bool {
	if c.MinSources > 1 && sources >= 0 {
		return sources >= c.MinSources
	}
	return max(e.Mentions, 1) >= c.MinSources
}

// match returns, per rule, the events it matches, in the order given,
// comparing min_sources with Mentions.
func (m *matcher) match(ctx context.Context, rules []*compiled, events []event.Event) (map[*compiled][]event.Event, error) {
	return m.matchSources(ctx, rules, events, nil)
}

// matchSources is match with sources(event id) giving the distinct
// sources of each event's merged event, which min_sources above 1 then
// compares; nil: compare Mentions.
func (m *matcher) matchSources(ctx context.Context, rules []*compiled, events []event.Event, sources func(string) int) (map[*compiled][]event.Event, error) {
	out := map[*compiled][]event.Event{}
	cand := map[*compiled][]string{}
	byID := map[string]event.Event{}
	needIndex := false
	for _, r := range rules {
		for _, e := range events {
			n := -1
			if sources != nil {
				n = sources(e.ID)
			}
			if e.ID == "" || !r.passes(e, n) {
				continue
			}
			if r.q == nil {
				out[r] = append(out[r], e)
				continue
			}
			cand[r] = append(cand[r], e.ID)
			byID[e.ID] = e
			needIndex = true
		}
	}
	if !needIndex {
		return out, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.idx.NewBatch()
	for id, e := range byID {
		if err := b.Index(id, doc(e)); err != nil {
			return nil, fmt.Errorf("index event %s for matching: %w", id, err)
		}
	}
	if err := m.idx.Batch(b); err != nil {
		return nil, fmt.Errorf("index events for matching: %w", err)
	}
	defer func() {
		del := m.idx.NewBatch()
		for id := range byID {
			del.Delete(id)
		}
		_ = m.idx.Batch(del)
	}()
	for r, ids := range cand {
		q := query.NewConjunctionQuery([]query.Query{r.q, query.NewDocIDQuery(ids)})
		req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
		res, err := m.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("match rule %q: %w", r.Name, err)
		}
		hit := map[string]bool{}
		for _, h := range res.Hits {
			hit[h.ID] = true
		}
		for _, id := range ids { // keep the given order
			if hit[id] {
				out[r] = append(out[r], byID[id])
			}
		}
	}
	return out, nil
}
