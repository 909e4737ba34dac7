package index

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"
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
	key := interval + "\x00" + selectionKey(q)
	gen := ix.gen.Load()
	if b, ok := ix.timelines.get(key, gen); ok {
		return cloneBuckets(b), nil
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

	p.hidden = ix.corr.Load().anyHidden()
	req := bleve.NewSearchRequestOptions(p.query(), 0, 0, false)
	req.Score = bleve.ScoreNone
	req.AddFacet(fTimeline, bleve.NewFacetRequest(fTimeline, maxTimelineTerms))
	res, err := ix.run(ctx, p, req)
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

func cloneBuckets(b []Bucket) []Bucket {
	out := make([]Bucket, len(b))
	for i, x := range b {
		out[i] = Bucket{Key: x.Key, Count: x.Count, ByType: maps.Clone(x.ByType)}
	}
	return out
}
