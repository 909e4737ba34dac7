package alert

import (
	"context"
	"errors"
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
	"github.com/dateline/dateline/internal/index"
)

// The fields of the matcher's in-memory index. They are the search
// index's (internal/index), so a rule's query, parsed by index.ParseQuery,
// means what the same search means: one English full-text field, exact
// keyword fields, the first day and the number of sources.
const (
	fText    = "text"
	fType    = "type"
	fActor   = "actor"
	fPlace   = "place"
	fFeed    = "feed"
	fStatus  = "status"
	fArticle = "article"
	fDay     = "day"
	fSources = "source_count"
)

// parseQuery parses a rule query with the search syntax and its limits;
// nil for an empty query.
func parseQuery(s string) (query.Query, error) {
	q, err := index.ParseQuery(s)
	var qe *index.QueryError
	if errors.As(err, &qe) {
		return nil, errors.New(qe.Msg)
	}
	return q, err
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
	n := bleve.NewNumericFieldMapping()
	n.Store, n.IncludeInAll, n.DocValues = false, false, false
	dm.AddFieldMappingsAt(fSources, n)
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
		fSources: float64(max(e.SourceCount, 1)),
	}
	if start, _, ok := e.Span(); ok {
		d[fDay] = start.Format(time.DateOnly)
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
		anyOf(c.Statuses, string(e.Status)) && anyOf(c.feeds, e.Article.Feed) && c.enoughSources(e, sources) &&
		e.Confidence >= c.MinConfidence && (c.span == nil || c.span.overlaps(e)) && (c.near == nil || within(c.near, e))
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
