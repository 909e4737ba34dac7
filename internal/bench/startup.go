package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/dateline/dateline/internal/index"
)

// startupRuns is how many times each index is opened and queried.
const startupRuns = 3

// startup is how long an index kept on disk takes to open and answer its
// first search: Dateline's (what `dateline serve` waits for before
// /readyz, besides NATS) and raw Bleve's, both from the corpus the query
// step built.
type startup struct {
	own, raw []time.Duration // one per run, in order
}

// measureStartup opens the indexes under corpus startupRuns times each,
// running one two-word one-year search (limit 20) after each open. The
// raw index is skipped when withRaw is false. The page cache holds the
// files the query steps just read, so these are warm starts.
func measureStartup(ctx context.Context, corpus string, withRaw bool) (startup, error) {
	var s startup
	for range startupRuns {
		start := time.Now()
		ix, err := index.Open(filepath.Join(corpus, "dateline"), index.Options{})
		if err != nil {
			return s, fmt.Errorf("open the Dateline index: %w", err)
		}
		_, err = ix.Search(ctx, index.Query{Q: "government talks", From: "2020", To: "2020", Limit: 20})
		d := time.Since(start)
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return s, fmt.Errorf("first search of the Dateline index: %w", err)
		}
		s.own = append(s.own, d)
	}
	if !withRaw {
		return s, nil
	}
	for range startupRuns {
		start := time.Now()
		raw, err := bleve.Open(filepath.Join(corpus, "raw"))
		if err != nil {
			return s, fmt.Errorf("open the raw Bleve index: %w", err)
		}
		req := bleve.NewSearchRequestOptions(bleve.NewQueryStringQuery("government talks"), 20, 0, false)
		req.Fields = []string{"*"}
		_, err = raw.SearchInContext(ctx, req)
		d := time.Since(start)
		if cerr := raw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return s, fmt.Errorf("first search of the raw Bleve index: %w", err)
		}
		s.raw = append(s.raw, d)
	}
	return s, nil
}

// worst is the longest of ds, 0 when empty.
func worst(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds)
}
