package index

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/geo"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// Matching single events.
//
// The live stream and the alerter see events one batch at a time, before
// anyone searches for them, and must select exactly the events the same
// search will find. Rather than a second implementation of the query
// language, a Matcher holds the very Bleve query Search runs for a Query,
// and a Probe is a small in-memory Bleve index with the search index's
// mapping, in which each event is indexed through the same document
// builder as in the search index (searchDocument). Asking a Probe which
// of its events a Matcher selects is then Bleve answering the query on
// the same document: words, stems, phrases, negation, fields, every
// filter, date overlap and distance included.

// Matcher is the selection of a Query — its query string and every
// filter — ready to test events with a Probe. It is immutable and safe
// for concurrent use.
type Matcher struct {
	q    query.Query // everything but near
	near *distance   // nil: anywhere
	all  bool        // the selection is every visible event
}

// NewMatcher compiles the selection of q. Sort, Limit, Cursor, Facets,
// Highlight, Timeout and Parallel select nothing and are ignored. A query
// Search would refuse gives the same *QueryError.
func NewMatcher(q Query) (*Matcher, error) {
	q.Sort, q.Cursor, q.Limit = "", "", 0
	if _, err := compile(q); err != nil {
		return nil, err
	}
	m := &Matcher{}
	if q.Near != nil {
		d, err := newDistance(*q.Near)
		if err != nil {
			return nil, err
		}
		m.near, q.Near = d, nil
	}
	p, err := compile(q)
	if err != nil {
		return nil, err
	}
	p.sort = SortDateDesc // filters as they are: no scoring to keep apart
	p.hidden = true       // the events a Matcher is given may be
	m.q = p.query()
	_, m.all = p.selection().(*query.MatchAllQuery)
	return m, nil
}

// All reports whether m selects every event not Hidden (an empty query
// without filters), which needs no Probe: the caller leaves out hidden
// events itself.
func (m *Matcher) All() bool {
	return m.all && m.near == nil
}

// distance is the near filter as Bleve's distance searcher applies it
// once its cell search has found the candidates: the event's indexed
// point (a Morton hash of its located place, decoded) within the radius
// by geo.Haversin. A Matcher applies it in Go, with the same functions,
// because building the cell covering of a circle costs milliseconds per
// query (BENCHMARKS.md) while the check itself costs nothing.
type distance struct {
	lon, lat, km float64
}

func newDistance(n Near) (*distance, error) {
	meters, err := geo.ParseDistance(n.distance())
	if err != nil {
		return nil, qerr("near", "%v", err)
	}
	return &distance{lon: n.Lon, lat: n.Lat, km: meters / 1000}, nil
}

// keeps tells whether the point pt, as indexed, lies within d.
func (d *distance) keeps(pt point) bool {
	return pt.ok && geo.Haversin(pt.lon, pt.lat, d.lon, d.lat) <= d.km
}

// point is where the index locates an event: its located place as the
// geopoint field stores it (see searchDocument); ok is false when no
// place has coordinates.
type point struct {
	lon, lat float64
	ok       bool
}

func pointOf(e event.Event) point {
	p, ok := located(e)
	if !ok {
		return point{}
	}
	h := geo.MortonHash(p.Lon, p.Lat)
	return point{lon: geo.MortonUnhashLon(h), lat: geo.MortonUnhashLat(h), ok: true}
}

// ProbeDoc is one event to put in a Probe.
type ProbeDoc struct {
	// Key names the document in the Probe; the caller chooses it (the
	// same event may be put in twice under two keys).
	Key string
	// Event is the event as the search index returns it: a merged event
	// for an event the index merged.
	Event event.Event
	// Members are the events merged into Event, as the index stored them
	// (see Index.Members); nil means those Event itself tells of (see
	// MembersOf).
	Members []event.Event
}

// Probe is an in-memory index of a few events, each indexed exactly as
// the search index indexes it, that tells which of them a Matcher
// selects: for each, the answer Search would give. It is not safe for
// concurrent use; Close it when done.
type Probe struct {
	idx    bleve.Index
	an     analyzers
	points map[string]point // by key, for near
	hidden map[string]bool  // the keys of Hidden events
}

// NewProbe returns an empty Probe.
func NewProbe() (*Probe, error) {
	im := newMapping()
	an, err := newAnalyzers(im)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create probe index: %w", err)
	}
	return &Probe{idx: idx, an: an, points: map[string]point{}, hidden: map[string]bool{}}, nil
}

// Add indexes docs, each under its Key (replacing what the key held).
func (p *Probe) Add(docs ...ProbeDoc) error {
	if len(docs) == 0 {
		return nil
	}
	b := p.idx.NewBatch()
	for _, d := range docs {
		members := d.Members
		if members == nil {
			members = MembersOf(d.Event)
		}
		if err := b.IndexAdvanced(searchDocument(p.an, d.Key, d.Event, members)); err != nil {
			return fmt.Errorf("probe: add event %s: %w", d.Event.ID, err)
		}
	}
	if err := p.idx.Batch(b); err != nil {
		return fmt.Errorf("probe: add %d events: %w", len(docs), err)
	}
	for _, d := range docs {
		p.points[d.Key] = pointOf(d.Event)
		if d.Event.Hidden {
			p.hidden[d.Key] = true
		} else {
			delete(p.hidden, d.Key)
		}
	}
	return nil
}

// Remove takes the documents of keys out.
func (p *Probe) Remove(keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	b := p.idx.NewBatch()
	for _, k := range keys {
		b.Delete(k)
	}
	if err := p.idx.Batch(b); err != nil {
		return fmt.Errorf("probe: remove %d events: %w", len(keys), err)
	}
	for _, k := range keys {
		delete(p.points, k)
		delete(p.hidden, k)
	}
	return nil
}

// Select reports, for each of keys, whether m selects the event held
// under it (false for a key the Probe does not hold).
func (p *Probe) Select(ctx context.Context, m *Matcher, keys []string) ([]bool, error) {
	out := make([]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	if m.All() {
		for i, k := range keys {
			_, out[i] = p.points[k]
			out[i] = out[i] && !p.hidden[k]
		}
		return out, nil
	}
	q := query.NewConjunctionQuery([]query.Query{m.q, query.NewDocIDQuery(keys)})
	req := bleve.NewSearchRequestOptions(q, len(keys), 0, false)
	req.Score = bleve.ScoreNone
	res, err := p.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("probe: select: %w", err)
	}
	hit := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		hit[h.ID] = true
	}
	for i, k := range keys {
		out[i] = hit[k] && (m.near == nil || m.near.keeps(p.points[k]))
	}
	return out, nil
}

// Close releases the Probe.
func (p *Probe) Close() error {
	if err := p.idx.Close(); err != nil {
		return fmt.Errorf("close probe: %w", err)
	}
	return nil
}

// Match tells whether m selects e, for a single event without its
// members at hand (see ProbeDoc.Members); it builds a Probe for the one
// event, so a caller testing many events or matchers should keep a Probe.
func (m *Matcher) Match(ctx context.Context, e event.Event) (bool, error) {
	p, err := NewProbe()
	if err != nil {
		return false, err
	}
	defer func() { _ = p.Close() }()
	if err := p.Add(ProbeDoc{Key: "e", Event: e}); err != nil {
		return false, err
	}
	ok, err := p.Select(ctx, m, []string{"e"})
	if err != nil {
		return false, err
	}
	return ok[0], nil
}

// MembersOf returns the events merged into e as far as e tells: one per
// Source (its article, event id and sentence; the title is e's, as a
// source does not carry its own) when e lists Sources, else e itself, as
// the index holds an event read from one article. A merged event's
// indexed text also holds each member's own title, and, when one article
// gave several members, their sentences, which e does not carry: use
// Index.Members for an event the index holds.
func MembersOf(e event.Event) []event.Event {
	if len(e.Sources) == 0 {
		m := e
		m.Sources, m.SourceCount = nil, 0
		return []event.Event{m}
	}
	out := make([]event.Event, len(e.Sources))
	for i, s := range e.Sources {
		out[i] = event.Event{ID: s.EventID, Title: e.Title, Sentence: s.Sentence, Article: s.ArticleRef}
	}
	return out
}

// Members returns the events the index merged into the event with e's id
// (the id Merged, Search and Get give), sorted as stored: from memory
// for the events the last Apply wrote, else read from the index. found is
// false when the index holds no event with that id.
func (ix *Index) Members(ctx context.Context, e event.Event) (members []event.Event, found bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if r := ix.recent.Load(); r != nil {
		if c, ok := (*r)[e.ID]; ok {
			return slices.Clone(c.members), true, nil
		}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return nil, false, err
	}
	indexes := set.all()
	if b := set.get(eventShard(e)); b != nil {
		indexes = append([]bleve.Index{b}, indexes...) // its own index first
	}
	for _, b := range indexes {
		raw, err := storedField(b, e.ID, fMembers)
		if err != nil {
			return nil, false, fmt.Errorf("read members of event %s: %w", e.ID, err)
		}
		if raw == nil {
			continue
		}
		if err := json.Unmarshal(raw, &members); err != nil {
			return nil, false, fmt.Errorf("decode members of event %s: %w", e.ID, err)
		}
		return members, true, nil
	}
	return nil, false, nil
}
