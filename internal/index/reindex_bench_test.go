package index

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/stage"
)

// reindexBatch is the batch of dateline reindex (event sets per Apply,
// service.reindexBatch).
const reindexBatch = 8000

// BenchmarkReindex measures dateline reindex's rate: the corpus of
// BenchmarkIndex (DATELINE_BENCH_EVENTS events, default 20,000, in
// articles of 1 to 7 events) published as event sets on a real embedded
// JetStream, then read back from EVENTS into a new index as the rebuild
// does (stage.Rebuild, batches of reindexBatch sets, and of a quarter of
// that); beside it, in the
// same run, the same sets applied from memory (the index's share) and
// raw Bleve indexing the same events with its default mapping in batches
// of 1,000 (the ceiling of DESIGN.md):
//
//	DATELINE_BENCH_EVENTS=100000 go test -run '^$' -bench Reindex -benchtime 1x ./internal/index/
func BenchmarkReindex(b *testing.B) {
	events := genCorpus(benchEvents(b), 1)
	sets := setsOf(events)
	ctx := context.Background()

	bs := bustest.New(b, "")
	for _, s := range sets {
		data, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bs.JS.Publish(ctx, bus.EventSubject(s.Article.ID), data); err != nil {
			b.Fatal(err)
		}
	}
	for _, batch := range []int{reindexBatch / 4, reindexBatch} {
		b.Run(fmt.Sprintf("reindex-from-EVENTS/batch=%d", batch), func(b *testing.B) {
			var docs uint64
			for b.Loop() {
				ix, err := Open(filepath.Join(b.TempDir(), "index"), Options{})
				if err != nil {
					b.Fatal(err)
				}
				r := &stage.Rebuild{JS: bs.JS, Store: ix, BatchSize: batch}
				_, last, err := r.Bounds(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r.To(ctx, last); err != nil {
					b.Fatal(err)
				}
				if got := r.Done().Events; got != len(events) {
					b.Fatalf("rebuilt %d events, want %d", got, len(events))
				}
				docs, _ = ix.Count()
				_ = ix.Close()
			}
			b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(docs), "merged-events")
		})
	}
	b.Run("apply-from-memory", func(b *testing.B) {
		for b.Loop() {
			ix, err := Open(filepath.Join(b.TempDir(), "index"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			for lo := 0; lo < len(sets); lo += reindexBatch {
				if err := ix.Apply(ctx, sets[lo:min(lo+reindexBatch, len(sets))], uint64(lo+1)); err != nil { // as many sets per Apply as reindex
					b.Fatal(err)
				}
			}
			_ = ix.Close()
		}
		b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("raw-bleve-default-mapping", func(b *testing.B) {
		for b.Loop() {
			raw, err := buildRaw(filepath.Join(b.TempDir(), "raw"), events)
			if err != nil {
				b.Fatal(err)
			}
			_ = raw.Close()
		}
		b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
