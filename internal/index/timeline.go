package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// maxTimelineTerms bounds the distinct (day, type) pairs one timeline
// counts: 200 years of days for ten types.
const maxTimelineTerms = 1 << 20

// Bucket is one interval of a timeline.
type Bucket struct {
	// Key names the interval: "2024-06-19" (day), "2024-W25" (ISO week),
	// "2024-06" (month) or "2024" (year).
	Key string `json:"key"`
	// Count is the number of events starting in the interval.
	Count int `json:"count"`
	// ByType splits Count by event type.
	ByType map[string]int `json:"by_type"`
}

// Timeline counts the events matching q per interval ("day", "week",
// "month" or "year") of their first date, split by type. Buckets come in
// ascending key order; empty intervals are left out; undated events are
// not counted. q's Sort, Limit, Cursor, Facets and Highlight are ignored.
//
// Results are cached until the next Apply, so a page reloaded between
// batches costs nothing; the returned buckets are the caller's to modify.
func (ix *Index) Timeline(ctx context.Context, q Query, interval string) ([]Bucket, error) {
	if _, ok := bucketKeys[interval]; !ok {
		return nil, qerr("interval", "%q is not one of day, week, month, year", clip(interval))
	}
	q.Sort, q.Cursor, q.Limit, q.Facets, q.Highlight = SortDate, "", 0, false, false
	key := timelineKey(q, interval)
	gen := ix.gen.Load()
	if b, ok := ix.timelines.get(key, gen); ok {
		return b, nil
	}
	b, err := ix.timeline(ctx, q, interval)
	if err != nil {
		return nil, err
	}
	ix.timelines.put(key, gen, b)
	return cloneBuckets(b), nil
}

// timeline computes a Timeline without the cache.
func (ix *Index) timeline(ctx context.Context, q Query, interval string) ([]Bucket, error) {
	keyOf := bucketKeys[interval]
	p, err := compile(q)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()

	req := bleve.NewSearchRequestOptions(p.query(), 0, 0, false)
	req.Score = bleve.ScoreNone
	req.AddFacet(fTimeline, bleve.NewFacetRequest(fTimeline, maxTimelineTerms))
	res, err := ix.run(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	fr := res.Facets[fTimeline]
	if fr == nil || fr.Terms == nil {
		return []Bucket{}, nil
	}
	if fr.Other > 0 {
		ix.log.Warn("index: timeline truncated", "uncounted", fr.Other)
	}

	byKey := map[string]*Bucket{}
	for _, t := range fr.Terms.Terms() {
		day, typ, _ := strings.Cut(t.Term, "|")
		if day == undatedDay {
			continue
		}
		key, ok := keyOf(day)
		if !ok {
			continue
		}
		b := byKey[key]
		if b == nil {
			b = &Bucket{Key: key, ByType: map[string]int{}}
			byKey[key] = b
		}
		b.Count += t.Count
		b.ByType[typ] += t.Count
	}
	out := make([]Bucket, 0, len(byKey))
	for _, b := range byKey {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// bucketKeys maps an interval to the function giving a day's bucket key.
var bucketKeys = map[string]func(day string) (string, bool){
	"day":   func(d string) (string, bool) { return d, len(d) == 10 },
	"month": func(d string) (string, bool) { return d[:min(7, len(d))], len(d) == 10 },
	"year":  func(d string) (string, bool) { return d[:min(4, len(d))], len(d) == 10 },
	"week": func(d string) (string, bool) {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return "", false
		}
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w), true
	},
}

// timelineCacheSize bounds the cached timelines of one index generation.
const timelineCacheSize = 64

// timelineCache holds timelines computed at one generation of the index
// (Index.gen, advanced by every Apply).
type timelineCache struct {
	mu  sync.Mutex // guards gen and m
	gen uint64
	m   map[string][]Bucket
}

func (c *timelineCache) get(key string, gen uint64) ([]Bucket, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	if !ok || c.gen != gen {
		return nil, false
	}
	return cloneBuckets(b), true
}

func (c *timelineCache) put(key string, gen uint64, b []Bucket) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return // computed before a later Apply: stale already
	}
	if c.gen != gen || c.m == nil || len(c.m) >= timelineCacheSize {
		c.gen, c.m = gen, make(map[string][]Bucket)
	}
	c.m[key] = b
}

func timelineKey(q Query, interval string) string {
	raw, _ := json.Marshal(q)
	return interval + "\x00" + string(raw)
}

func cloneBuckets(b []Bucket) []Bucket {
	out := make([]Bucket, len(b))
	for i, x := range b {
		out[i] = Bucket{Key: x.Key, Count: x.Count, ByType: maps.Clone(x.ByType)}
	}
	return out
}
