package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// articleChunk bounds the number of article ids looked up in one
// disjunction by Apply.
const articleChunk = 512

// Apply writes sets in one Bleve batch together with checkpoint, the last
// EVENTS stream sequence they came from. For each set it (re)indexes the
// set's events (document id = event id, so a redelivered set changes
// nothing) and deletes the events of the same article that are no longer
// in it. When sets holds several sets for one article, the last one wins.
// An event without an id is skipped and logged; an event without an
// article takes the set's.
//
// Apply returns only after the batch is durable on disk, so each call
// costs a sync: apply many sets per call (about 1,000 events gives ~5,000
// events/s on 2 cores; one article per call ~200 events/s, see
// BenchmarkApplyBatchSize). ctx is checked before the write starts; once
// started, the write is not interrupted. Calls are serialised.
func (ix *Index) Apply(ctx context.Context, sets []event.Set, checkpoint uint64) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b, err := ix.reader()
	if err != nil {
		return err
	}
	start := time.Now()

	batch := b.NewBatch()
	lookup, keep, err := ix.fill(batch, sets)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	existing, err := ix.idsOfArticles(ctx, b, lookup)
	if err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	deleted := 0
	for _, id := range existing {
		if !keep[id] {
			batch.Delete(id)
			deleted++
		}
	}
	batch.SetInternal(keyCheckpoint, encodeCheckpoint(checkpoint))

	if err := ctx.Err(); err != nil {
		return fmt.Errorf("apply checkpoint %d: %w", checkpoint, err)
	}
	if err := b.Batch(batch); err != nil {
		return fmt.Errorf("apply checkpoint %d (%d sets): write batch: %w", checkpoint, len(sets), err)
	}
	ix.gen.Add(1)
	ix.log.Debug("index: batch applied", "sets", len(sets), "indexed", len(keep),
		"deleted", deleted, "checkpoint", checkpoint, "took", time.Since(start))
	return nil
}

// fill adds the events of the last set of each article to batch. It
// returns the articles whose older events must be looked up and the ids
// of the events to keep.
func (ix *Index) fill(batch *bleve.Batch, sets []event.Set) (articles []string, keep map[string]bool, err error) {
	latest := make(map[string]int, len(sets)) // article id -> index in sets
	var order []string
	for i, s := range sets {
		id := setArticleID(s)
		if _, seen := latest[id]; !seen {
			order = append(order, id)
		}
		latest[id] = i
	}
	keep = make(map[string]bool)
	for _, aid := range order {
		s := sets[latest[aid]]
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
			doc, err := newDocument(ix.an, e)
			if err != nil {
				return nil, nil, err
			}
			if err := batch.IndexAdvanced(doc); err != nil {
				return nil, nil, fmt.Errorf("add event %s: %w", e.ID, err)
			}
			keep[e.ID] = true
		}
	}
	return articles, keep, nil
}

// setArticleID is the article a set replaces: its own, else that of its
// first event that names one.
func setArticleID(s event.Set) string {
	if s.Article.ID != "" {
		return s.Article.ID
	}
	for _, e := range s.Events {
		if e.Article.ID != "" {
			return e.Article.ID
		}
	}
	return ""
}

// idsOfArticles returns the ids of every indexed event of the given
// articles, walking a non-scoring searcher so there is no result-size cap.
func (ix *Index) idsOfArticles(ctx context.Context, b bleve.Index, articles []string) ([]string, error) {
	if len(articles) == 0 {
		return nil, nil
	}
	adv, err := b.Advanced()
	if err != nil {
		return nil, fmt.Errorf("look up existing events: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("look up existing events: open reader: %w", err)
	}
	defer func() { _ = r.Close() }()

	var ids []string
	for lo := 0; lo < len(articles); lo += articleChunk {
		hi := min(lo+articleChunk, len(articles))
		terms := make([]query.Query, 0, hi-lo)
		for _, a := range articles[lo:hi] {
			tq := query.NewTermQuery(a)
			tq.SetField(fArticle)
			terms = append(terms, tq)
		}
		s, err := query.NewDisjunctionQuery(terms).Searcher(ctx, r, ix.m, search.SearcherOptions{Score: "none"})
		if err != nil {
			return nil, fmt.Errorf("look up existing events: %w", err)
		}
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		for {
			d, err := s.Next(sctx)
			if err != nil {
				_ = s.Close()
				return nil, fmt.Errorf("look up existing events: %w", err)
			}
			if d == nil {
				break
			}
			id, err := r.ExternalID(d.IndexInternalID)
			if err != nil {
				_ = s.Close()
				return nil, fmt.Errorf("look up existing events: %w", err)
			}
			ids = append(ids, id)
			sctx.DocumentMatchPool.Put(d)
		}
		if err := s.Close(); err != nil {
			return nil, fmt.Errorf("look up existing events: %w", err)
		}
	}
	return ids, nil
}
