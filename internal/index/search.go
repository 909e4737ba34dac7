package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/dateline/dateline/internal/event"
)

// facetSize is the number of terms per facet in Result.Facets.
const facetSize = 10

// shardFacetSize is the number of terms per facet each index reports
// when a search reads several: a term outside every index's top
// shardFacetSize but inside the overall top facetSize would be missed or
// undercounted, which takes a long tail of terms spread evenly.
const shardFacetSize = 10 * facetSize

// facetFields maps the facet names of Result.Facets to indexed fields.
var facetFields = []struct{ name, field string }{
	{"type", fType}, {"actor", fActor}, {"place", fPlace}, {"feed", fFeed},
}

// Result is one page of a search.
type Result struct {
	// Total is the number of events matching the query (all pages).
	Total uint64 `json:"total"`
	// Events is this page, in the query's order.
	Events []event.Event `json:"events"`
	// Facets maps "type", "actor", "place" and "feed" to their top values
	// and counts over all matching events; nil unless asked for.
	Facets map[string]map[string]int `json:"facets,omitempty"`
	// Next is the cursor of the following page; "" on the last page.
	Next string `json:"next,omitempty"`
	// Highlights maps an event id to HTML fragments of its title and
	// sentence with matching words in <mark>; nil unless asked for.
	Highlights map[string][]string `json:"highlights,omitempty"`
}

// Search runs q. A query the index refuses gives a *QueryError; a search
// cut short by q.Timeout or ctx gives an error wrapping
// context.DeadlineExceeded or context.Canceled. Facets are cached until
// the next Apply, so paging through a faceted query counts them once.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	p, err := compile(q)
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()

	// One hit more than the page tells whether there is a next page.
	p.hidden = ix.corr.Load().anyHidden()
	req := bleve.NewSearchRequestOptions(p.query(), p.limit+1, 0, false)
	req.SortBy(sortOrder(p.sort))
	if p.sort != SortRelevance {
		req.Score = bleve.ScoreNone
	}
	if p.after != nil {
		req.SetSearchAfter(p.after)
	}
	gen := ix.gen.Load()
	facets, cached := map[string]map[string]int(nil), false
	if q.Facets {
		facets, cached = ix.facets.get(selectionKey(q), gen)
	}
	if q.Facets && !cached {
		for _, f := range facetFields {
			// Each index counts its top shardFacetSize terms; the sums of
			// those lists give the top facetSize (see topTerms).
			req.AddFacet(f.name, bleve.NewFacetRequest(f.field, shardFacetSize))
		}
	}

	res, err := ix.run(ctx, p, req)
	if err != nil {
		return Result{}, err
	}
	hits := res.Hits
	if len(hits) > p.limit {
		hits = hits[:p.limit]
	}
	out := Result{Total: res.Total, Events: make([]event.Event, 0, len(hits))}
	raws, err := ix.fetch(hits)
	if err != nil {
		return Result{}, err
	}
	for i, raw := range raws {
		if raw == nil {
			continue // replaced or removed by an Apply since the search
		}
		var e event.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return Result{}, fmt.Errorf("search: decode event %s: %w", hits[i].ID, err)
		}
		out.Events = append(out.Events, e)
	}
	if len(res.Hits) > p.limit {
		out.Next = encodeCursor(p.sort, hits[len(hits)-1])
	}
	if q.Facets && !cached {
		facets = make(map[string]map[string]int, len(facetFields))
		for _, f := range facetFields {
			facets[f.name] = topTerms(res.Facets[f.name], facetSize)
		}
		ix.facets.put(selectionKey(q), gen, facets)
	}
	if q.Facets {
		out.Facets = make(map[string]map[string]int, len(facets))
		for name, counts := range facets {
			out.Facets[name] = maps.Clone(counts)
		}
	}
	if q.Highlight && p.text != nil {
		out.Highlights = newHighlighter(ix.an, p.text).events(out.Events)
	}
	return out, nil
}

// topTerms returns the n most frequent terms of a facet, ties by term.
func topTerms(fr *search.FacetResult, n int) map[string]int {
	counts := map[string]int{}
	if fr == nil || fr.Terms == nil {
		return counts
	}
	terms := slices.Clone(fr.Terms.Terms())
	slices.SortFunc(terms, func(a, b *search.TermFacet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Term, b.Term)
	})
	for _, t := range terms[:min(n, len(terms))] {
		counts[t.Term] = t.Count
	}
	return counts
}

// run executes a request under the read lock on the indexes overlapping
// [p.from, p.to), p.parallel of them at once, and merges their answers as
// one index would give them. A timeout gives an error wrapping the
// context's; a failure of any index fails the search (never part of the
// index served as the whole).
func (ix *Index) run(ctx context.Context, p *plan, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return nil, err
	}
	indexes := set.overlapping(p.from, p.to)
	for _, name := range ix.corr.Load().displacedShards() {
		if b := set.get(name); b != nil && !slices.Contains(indexes, b) {
			indexes = append(indexes, b) // holds events whose corrected dates may match
		}
	}
	results := make([]*bleve.SearchResult, len(indexes))
	errs := make([]error, len(indexes))
	work := make(chan int, len(indexes))
	for i := range indexes {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range min(p.parallel, len(indexes)) {
		wg.Go(func() {
			for i := range work {
				child := *req // each reads its own copy: sort orders keep state
				child.Sort = req.Sort.Copy()
				if results[i], errs[i] = indexes[i].SearchInContext(ctx, &child); errs[i] != nil {
					errs[i] = fmt.Errorf("index %s: %w", indexes[i].Name(), errs[i])
				}
			}
		})
	}
	wg.Wait()
	if cerr := ctx.Err(); cerr != nil {
		return nil, fmt.Errorf("search: %w", cerr)
	}
	if err := errors.Join(errs...); err != nil {
		var qe *QueryError
		if errors.As(err, &qe) {
			return nil, qe
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	res := results[0]
	for _, r := range results[1:] {
		res.Merge(r)
	}
	if len(results) > 1 {
		scoring, desc := req.Sort.CacheIsScore(), req.Sort.CacheDescending()
		slices.SortStableFunc(res.Hits, func(a, b *search.DocumentMatch) int {
			return req.Sort.Compare(scoring, desc, a, b)
		})
		if len(res.Hits) > req.Size {
			res.Hits = res.Hits[:req.Size]
		}
		for name, fr := range req.Facets {
			res.Facets.Fixup(name, fr.Size)
		}
	}
	return res, nil
}

// fetch returns the stored event JSON of each hit, read from the index
// that found it after the search, so that a search over several indexes
// loads the page alone rather than a page from each; nil for a hit an
// Apply has removed since.
func (ix *Index) fetch(hits search.DocumentMatchCollection) ([][]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(hits))
	for i, h := range hits {
		b := set.get(h.Index)
		if b == nil {
			continue
		}
		if out[i], err = storedField(b, h.ID, fEvent); err != nil {
			return nil, fmt.Errorf("search: load event %s: %w", h.ID, err)
		}
	}
	return out, nil
}

// query is the selection (see selection) without the events analysts
// marked wrong (fHidden): every search, timeline, facet and Matcher
// leaves them out. Where none can be hidden (p.hidden false) it is the
// selection itself, at no cost.
func (p *plan) query() query.Query {
	if !p.hidden {
		return p.selection()
	}
	hidden := query.NewTermQuery("1")
	hidden.SetField(fHidden)
	return query.NewBooleanQuery([]query.Query{p.selection()}, nil, []query.Query{unscored{hidden}})
}

// selection combines the text query and the filters in one conjunction,
// which Bleve drives from its most selective part. Filters never score:
// with relevance they are wrapped in unscored, so the ranking is the
// text's alone; otherwise scoring is off for the whole search.
func (p *plan) selection() query.Query {
	switch {
	case p.text == nil && len(p.filters) == 0:
		return query.NewMatchAllQuery()
	case p.text == nil && len(p.filters) == 1:
		return p.filters[0]
	case p.text == nil:
		return query.NewConjunctionQuery(p.filters)
	case len(p.filters) == 0:
		return p.text
	}
	parts := []query.Query{p.text}
	for _, f := range p.filters {
		if p.sort == SortRelevance {
			f = unscored{f}
		}
		parts = append(parts, f)
	}
	return query.NewConjunctionQuery(parts)
}

// unscored runs a query as a pure filter: its matches score zero and it
// gets Bleve's non-scoring (bitmap) searchers.
type unscored struct {
	query.Query
}

// Searcher implements query.Query.
func (u unscored) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping,
	_ search.SearcherOptions) (search.Searcher, error) {
	return u.Query.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
}
