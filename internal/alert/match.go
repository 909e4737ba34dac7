package alert

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// parseQuery parses a rule query with the search syntax and its limits;
// nil for an empty query. Its error is the search's reason, without the
// parameter name (a rule's field is "query").
func parseQuery(s string) (query.Query, error) {
	q, err := index.ParseQuery(s)
	var qe *index.QueryError
	if errors.As(err, &qe) {
		return nil, errors.New(qe.Msg)
	}
	return q, err
}

// ruleFields maps the search parameters index.QueryError names to the
// fields of a rule.
var ruleFields = map[string]string{
	"q": "query", "type": "types", "actor": "actors", "place": "places", "status": "statuses",
}

// selection compiles what a rule selects by its query and filters: the
// search of GET /api/v1/events with q, type, actor, place and status
// (index.Matcher), so that a rule means what the same search means.
// min_sources and min_confidence are the rule's own (see admits).
func selection(r Rule) (*index.Matcher, error) {
	return index.NewMatcher(index.Query{Q: r.Query, Types: r.Types, Actors: r.Actors, Places: r.Places, Statuses: r.Statuses})
}

// admits applies what a rule checks beside its search: an event id,
// min_confidence and min_sources. sources is the number of distinct
// sources of e's merged event, or -1 when unknown; a min_sources above 1
// compares it, or Mentions when it is unknown.
func (c *compiled) admits(e event.Event, sources int) bool {
	return e.ID != "" && e.Confidence >= c.MinConfidence && c.enoughSources(e, sources)
}

func (c *compiled) enoughSources(e event.Event, sources int) bool {
	if c.MinSources > 1 && sources >= 0 {
		return sources >= c.MinSources
	}
	return max(e.Mentions, 1) >= c.MinSources
}

// match returns, per rule, the events it matches, in the order given,
// comparing min_sources with Mentions.
func match(ctx context.Context, rules []*compiled, events []event.Event) (map[*compiled][]event.Event, error) {
	return matchSources(ctx, rules, events, nil)
}

// matchSources is match with sources(event id) giving the distinct
// sources of each event's merged event, which min_sources above 1 then
// compares; nil: compare Mentions. Each rule's search is answered by an
// index.Probe holding the events, indexed as the search index indexes an
// event read from one article. Safe for concurrent use.
func matchSources(ctx context.Context, rules []*compiled, events []event.Event, sources func(string) int) (map[*compiled][]event.Event, error) {
	out := map[*compiled][]event.Event{}
	cand := map[*compiled][]string{}
	byID := map[string]event.Event{}
	for _, r := range rules {
		for _, e := range events {
			n := -1
			if sources != nil {
				n = sources(e.ID)
			}
			if !r.admits(e, n) {
				continue
			}
			if r.sel.All() {
				out[r] = append(out[r], e)
				continue
			}
			cand[r] = append(cand[r], e.ID)
			byID[e.ID] = e
		}
	}
	if len(cand) == 0 {
		return out, nil
	}
	p, err := index.NewProbe()
	if err != nil {
		return nil, fmt.Errorf("match events: %w", err)
	}
	defer func() { _ = p.Close() }()
	docs := make([]index.ProbeDoc, 0, len(byID))
	for id, e := range byID {
		docs = append(docs, index.ProbeDoc{Key: id, Event: e})
	}
	if err := p.Add(docs...); err != nil {
		return nil, fmt.Errorf("match events: %w", err)
	}
	for r, ids := range cand {
		sel, err := p.Select(ctx, r.sel, ids)
		if err != nil {
			return nil, fmt.Errorf("match rule %q: %w", r.Name, err)
		}
		for i, id := range ids { // in the given order
			if sel[i] {
				out[r] = append(out[r], byID[id])
			}
		}
	}
	return out, nil
}
