package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/dateline/dateline/internal/event"
)

// articleChunk bounds the number of terms looked up in one disjunction
// by termDocIDs on an index that is not scorch.
const articleChunk = 512

// Apply writes sets together with checkpoint, the last EVENTS stream
// sequence they came from: one Bleve batch per index touched (see
// shards.go), the main index last.
//
// Each set replaces everything its article said before: the article's
// earlier events leave their clusters, its new events join the clusters
// of their happenings (see cluster.go and regroup.go), and every cluster
// touched is recomputed from its members, or deleted when left empty or
// absorbed into another (its id then lives on in that one's FormerIDs).
// An event of a happening already indexed from other articles therefore
// adds a source to that event rather than a new one. The result depends
// only on the latest set of each article, never on the order sets arrive
// in; a redelivered set changes nothing (and rewrites nothing). When sets
// holds several sets for one article, the last one wins. An event without
// an id is skipped and logged; an event without an article takes the
// set's.
//
// Apply returns only after the batches are durable on disk, so each call
// costs a sync per index touched: apply many sets per call (about 1,000 events gives ~5,000
// events/s on 2 cores; one article per call ~200 events/s, see
// BenchmarkApplyBatchSize). ctx is checked before the write starts; once
// started, the write is not interrupted. Calls are serialised.
func (ix *Index) Apply(ctx context.Context, sets []event.Set, checkpoint uint64) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return err
	}
	start := time.Now()
	// The index is about to change: until this Apply succeeds, Merged
	// reads everything back.
	ix.recent.Store(nil)

	articles, events := ix.latest(sets)
	bl := newBlocker(ix.clustering)
	cs, err := ix.loadClusters(ctx, set, bl, articles, events)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	rw, err := ix.regroup(ctx, set, bl, cs, articles, events, ix.corr.Load())
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	batches := map[string]*bleve.Batch{}
	batchOf := func(shard string) *bleve.Batch {
		b := batches[shard]
		if b == nil {
			b = set.main.NewBatch() // a batch is not tied to its index
			batches[shard] = b
		}
		return b
	}
	written, deleted, err := rw.write(ix.an, bl, batchOf)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}

	// Periods first, main last: main's checkpoint covers only what is
	// already durable everywhere (see shards.go).
	marks, err := readShardMarks(set.main)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	var names []string
	for _, name := range slices.Sorted(maps.Keys(batches)) {
		if name == mainShard {
			continue
		}
		if set.get(name) == nil {
			b, err := ix.createPeriod(name)
			if err != nil {
				return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
			}
			set = set.with(name, b)
			ix.set.Store(set)
		}
		batches[name].SetInternal(keyCheckpoint, encodeCheckpoint(checkpoint))
		names = append(names, name)
	}
	if err := writePeriods(set, names, batches); err != nil {
		return fmt.Errorf("apply checkpoint %d (%d sets): %w", checkpoint, len(sets), err)
	}
	for _, name := range names {
		marks[name] = checkpoint
	}
	batch := batchOf(mainShard)
	batch.SetInternal(keyCheckpoint, encodeCheckpoint(checkpoint))
	st, moved := rw.placed(ix.corr.Load())
	if moved {
		if err := st.setInternal(batch); err != nil {
			return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
		}
	}
	rawMarks, err := json.Marshal(marks)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: encode period checkpoints: %w", checkpoint, err)
	}
	batch.SetInternal(keyShards, rawMarks)
	if err := set.main.Batch(batch); err != nil {
		return fmt.Errorf("apply checkpoint %d (%d sets): write batch: %w", checkpoint, len(sets), err)
	}
	ix.gen.Add(1)
	ix.corr.Store(st)
	recent := rw.recent()
	ix.recent.Store(&recent)
	ix.log.Debug("index: batch applied", "sets", len(sets), "events", len(events),
		"clusters_written", written, "clusters_deleted", deleted, "indexes", len(batches),
		"checkpoint", checkpoint, "took", time.Since(start))
	return nil
}

// latest returns the articles the sets replace and the events of the last
// set of each, in first-seen article order: events without an id
// dropped, events without an article given the set's.
func (ix *Index) latest(sets []event.Set) (articles []string, events []event.Event) {
	last := make(map[string]int, len(sets)) // article id -> index in sets
	var order []string
	for i, s := range sets {
		id := s.ArticleID()
		if _, seen := last[id]; !seen {
			order = append(order, id)
		}
		last[id] = i
	}
	for _, aid := range order {
		s := sets[last[aid]]
		if aid != "" {
			articles = append(articles, aid)
		}
		for _, e := range s.Events {
			if e.ID == "" {
				ix.log.Warn("index: event without id skipped", "article", aid, "title", e.Title)
				continue
			}
			if e.Article.ID == "" {
				e.Article = s.Article
			}
			e.Sources, e.SourceCount = nil, 0
			events = append(events, e)
		}
	}
	return articles, events
}

// cluster is one cluster while Apply works on it.
type cluster struct {
	shard   string // the index it lives in (see shards.go)
	members []event.Event
	raw     []byte // the stored members JSON; nil for a new cluster
	// merged is the merged event write wrote, as stored, and sorted its
	// members; nil when it wrote none (an emptied or unchanged cluster).
	merged *event.Event
	sorted []event.Event
}

// clusters are the clusters one Apply touches, by cluster id.
type clusters map[string]*cluster

// load reads cluster id from shard into cs (empty when there is none).
func (cs clusters) load(set *shardSet, id, shard string) error {
	if _, done := cs[id]; done {
		return nil
	}
	c := &cluster{shard: shard}
	cs[id] = c
	b := set.get(shard)
	if b == nil {
		return nil // a period not created yet
	}
	raw, err := storedField(b, id, fMembers)
	if err != nil {
		return fmt.Errorf("load event %s: %w", id, err)
	}
	if raw != nil {
		if err := json.Unmarshal(raw, &c.members); err != nil {
			return fmt.Errorf("decode members of event %s: %w", id, err)
		}
		c.raw = raw
	}
	return nil
}

// loadClusters reads every cluster that holds an event of articles or
// may take one of events (see loadCandidates); an event with nothing to
// look up by (no actors, no places, no date) can only join its own
// report group, read by its id.
func (ix *Index) loadClusters(ctx context.Context, set *shardSet, bl *blocker, articles []string, events []event.Event) (clusters, error) {
	cs := clusters{}
	for _, b := range set.all() {
		ids, err := ix.clustersOfArticles(ctx, b, articles)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if err := cs.load(set, id, b.Name()); err != nil {
				return nil, err
			}
		}
	}
	var blocked []event.Event
	for _, e := range events {
		if _, lookup := bl.terms(e); len(lookup) > 0 {
			blocked = append(blocked, e)
			continue
		}
		if err := cs.load(set, ix.clustering.ID(e), eventShard(e)); err != nil {
			return nil, err
		}
	}
	if _, err := ix.loadCandidates(ctx, set, bl, cs, blocked, map[string]bool{}); err != nil {
		return nil, err
	}
	return cs, nil
}

// storedField returns the stored value of field in document id, nil when
// there is no such document or field.
func storedField(b bleve.Index, id, field string) ([]byte, error) {
	doc, err := b.Document(id)
	if err != nil || doc == nil {
		return nil, err
	}
	var raw []byte
	doc.VisitFields(func(f bindex.Field) {
		if f.Name() == field {
			raw = f.Value()
		}
	})
	return raw, nil
}

// rewrite is what an Apply writes: the clusters of the neighbourhood after
// regrouping, by id, and the documents to delete.
type rewrite struct {
	clusters clusters
	deletes  []docRef
	// force writes every cluster, changed members or not (a correction
	// changed what they show).
	force bool
}

// docRef names a document in one of the indexes.
type docRef struct{ id, shard string }

// regroup partitions the reports of cs, without those of articles and
// with events, into clusters (see Regrouping in regroup.go), widening cs
// while a cluster loses or gives up members, and returns what to write.
func (ix *Index) regroup(ctx context.Context, set *shardSet, bl *blocker, cs clusters, articles []string, events []event.Event, st *correctionState) (rewrite, error) {
	gone := make(map[string]bool, len(articles))
	for _, a := range articles {
		gone[a] = true
	}
	queried := map[string]bool{}
	for _, e := range events {
		_, lookup := bl.terms(e)
		for _, shard := range lookupShards(e) {
			for _, t := range lookup {
				queried[shard+"\x00"+t] = true
			}
		}
	}
	var parts [][]event.Event
	var ids []string
	var extra map[string][]string
	for round := 0; ; round++ {
		pool := slices.Clone(events)
		for _, c := range cs {
			for _, m := range c.members {
				if !gone[m.Article.ID] {
					pool = append(pool, m)
				}
			}
		}
		parts, ids, extra = ix.correctParts(ix.clustering.partition(pool), st)
		if round == maxRounds {
			break
		}
		partOf := make(map[string]int, len(pool))
		for i, p := range parts {
			for _, m := range p {
				partOf[m.ID] = i
			}
		}
		var moved []event.Event
		for _, id := range slices.Sorted(maps.Keys(cs)) {
			c := cs[id]
			var kept []event.Event
			for _, m := range c.members {
				if !gone[m.Article.ID] {
					kept = append(kept, m)
				}
			}
			disturbed := len(kept) < len(c.members)
			for _, m := range kept {
				disturbed = disturbed || partOf[m.ID] != partOf[kept[0].ID]
			}
			if disturbed {
				moved = append(moved, kept...)
			}
		}
		if len(moved) == 0 {
			break
		}
		n, err := ix.loadCandidates(ctx, set, bl, cs, moved, queried)
		if err != nil {
			return rewrite{}, err
		}
		if n == 0 {
			break
		}
	}

	out := rewrite{clusters: clusters{}}
	for i, ms := range parts {
		id := ids[i]
		e := merge(id, ms)
		e.FormerIDs = ix.formerIDs(id, ms, extra[id])
		// The extracted dates place the cluster (see corrected.go).
		c := &cluster{shard: eventShard(e), members: ms}
		e = ix.corrected(e, st)
		if old := cs[id]; old != nil && old.shard == c.shard {
			c.raw = old.raw
		}
		c.merged = &e
		out.clusters[id] = c
	}
	for _, id := range slices.Sorted(maps.Keys(cs)) {
		old := cs[id]
		if old.raw == nil {
			continue
		}
		if c := out.clusters[id]; c == nil || c.shard != old.shard {
			out.deletes = append(out.deletes, docRef{id: id, shard: old.shard})
		}
	}
	return out, nil
}

// write adds to the batch of its index every cluster of p whose members
// changed, and every delete.
func (p rewrite) write(an analyzers, bl *blocker, batchOf func(shard string) *bleve.Batch) (written, deleted int, err error) {
	for _, d := range p.deletes {
		batchOf(d.shard).Delete(d.id)
		deleted++
	}
	for _, id := range slices.Sorted(maps.Keys(p.clusters)) {
		c := p.clusters[id]
		e := *c.merged
		c.merged = nil
		members := c.members
		raw, err := json.Marshal(members)
		if err != nil {
			return 0, 0, fmt.Errorf("encode members of event %s: %w", id, err)
		}
		if bytes.Equal(raw, c.raw) && !p.force {
			continue // unchanged: a redelivery, or a neighbour left as it was
		}
		rawEvent, err := json.Marshal(e)
		if err != nil {
			return 0, 0, fmt.Errorf("encode event %s: %w", id, err)
		}
		doc := newDocument(an, e, rawEvent, members, raw)
		addBlocking(doc, an, bl, e, members)
		stored, err := asStored(e, rawEvent)
		if err != nil {
			return 0, 0, err
		}
		c.merged, c.sorted = &stored, members
		if err := batchOf(c.shard).IndexAdvanced(doc); err != nil {
			return 0, 0, fmt.Errorf("add event %s: %w", id, err)
		}
		written++
	}
	return written, deleted, nil
}

// placed returns st with the documents p wrote or deleted placed (see
// correctionState.place), and whether that changed anything.
func (p rewrite) placed(st *correctionState) (*correctionState, bool) {
	var ids []string
	for _, d := range p.deletes {
		ids = append(ids, d.id)
	}
	for id, c := range p.clusters {
		if c.merged != nil {
			ids = append(ids, id)
		}
	}
	next := st
	for _, id := range ids {
		shard, was := st.displaced[id]
		c := p.clusters[id]
		is := c != nil && c.merged != nil && c.shard != mainShard && c.merged.Corrected != nil && eventShard(*c.merged) != c.shard
		if was == is && (!is || shard == c.shard) {
			continue
		}
		if next == st {
			next = st.clone()
		}
		if is {
			next.place(*c.merged, c.shard)
		} else {
			delete(next.displaced, id)
		}
	}
	return next, next != st
}

// recent returns the merged events write wrote, for Merged, under their
// ids and their former ids.
func (p rewrite) recent() recentClusters {
	r := make(recentClusters, len(p.clusters))
	for id, c := range p.clusters {
		if c.merged != nil {
			r[id] = recentCluster{shard: c.shard, event: *c.merged, members: c.sorted}
		}
	}
	for id, c := range p.clusters {
		if c.merged == nil {
			continue
		}
		for _, f := range c.merged.FormerIDs {
			if _, taken := p.clusters[f]; !taken {
				r[f] = r[id]
			}
		}
	}
	return r
}

// clustersOfArticles returns the ids of the clusters holding an event of
// the given articles, walking a non-scoring searcher so there is no
// result-size cap.
func (ix *Index) clustersOfArticles(ctx context.Context, b bleve.Index, articles []string) ([]string, error) {
	if len(articles) == 0 {
		return nil, nil
	}
	ids, err := ix.termDocIDs(ctx, b, fArticle, articles)
	if err != nil {
		return nil, fmt.Errorf("look up existing events: %w", err)
	}
	return ids, nil
}

// termDocIDs returns the ids of the documents of b that index any of
// terms in the keyword field, each once. On a scorch index it looks the
// terms up in each segment's dictionary, opened once per segment, rather
// than building a term searcher (a dictionary per segment) for each term,
// and skips the terms a segment's Bloom filter rules out (termFilters);
// otherwise it walks disjunctions of up to articleChunk term queries.
func (ix *Index) termDocIDs(ctx context.Context, b bleve.Index, field string, terms []string) ([]string, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	adv, err := b.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open reader: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		_ = r.Close()
		var ids []string
		for lo := 0; lo < len(terms); lo += articleChunk {
			hi := min(lo+articleChunk, len(terms))
			qs := make([]query.Query, 0, hi-lo)
			for _, t := range terms[lo:hi] {
				tq := query.NewTermQuery(t)
				tq.SetField(field)
				qs = append(qs, tq)
			}
			found, err := ix.docIDs(ctx, b, query.NewDisjunctionQuery(qs), 0)
			if err != nil {
				return nil, err
			}
			ids = append(ids, found...)
		}
		slices.Sort(ids)
		return slices.Compact(ids), nil
	}
	defer func() { _ = r.Close() }()
	sorted := slices.Clone(terms)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var ids []string
	seen := map[string]bool{}
	segs := snap.Segments()
	dicts := make([]*segmentDict, len(segs))
	for i, ss := range segs {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		dicts[i] = &segmentDict{seg: ss.Segment(), docs: ss.Count(), dict: dict}
	}
	filters := ix.filters.forSegments(b.Name(), field, dicts)
	for i, ss := range segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dict, filter := dicts[i].dict, filters[i]
		for _, t := range sorted {
			if !filter.mayHave(t) {
				continue // not in this segment (termFilters)
			}
			pl, err := dict.PostingsList([]byte(t), ss.Deleted(), nil)
			if err != nil {
				return nil, err
			}
			it := pl.Iterator(false, false, false, nil)
			for {
				p, err := it.Next()
				if err != nil {
					return nil, err
				}
				if p == nil {
					break
				}
				raw, err := ss.DocID(p.Number())
				if err != nil {
					return nil, err
				}
				if id := string(raw); !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// docIDs returns the ids of the documents matching q, at most limit of
// them (0: all), walking a non-scoring searcher.
func (ix *Index) docIDs(ctx context.Context, b bleve.Index, q query.Query, limit int) ([]string, error) {
	adv, err := b.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open reader: %w", err)
	}
	defer func() { _ = r.Close() }()
	s, err := q.Searcher(ctx, r, ix.m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer func() { _ = s.Close() }()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var ids []string
	for limit == 0 || len(ids) < limit {
		d, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		id, err := r.ExternalID(d.IndexInternalID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		sctx.DocumentMatchPool.Put(d)
	}
	return ids, nil
}

// writePeriods writes the batches of the named period indexes of set
// together: each waits on its own sync.
func writePeriods(set *shardSet, names []string, batches map[string]*bleve.Batch) error {
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			if err := set.get(name).Batch(batches[name]); err != nil {
				errs[i] = fmt.Errorf("write period %s: %w", name, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
