package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/stage"
)

// reindexBatch is the most event sets a rebuild applies at once (about
// 32,000 events): more than the indexer's live batches, as a rebuild has
// a backlog to read. Fewer, larger segments to write and merge: at
// 100,000 events, 8,000 sets rebuild ~1.5× faster than 2,000
// (BenchmarkReindex in internal/index).
const reindexBatch = 8000

// reindexer runs a service's index rebuilds, one at a time, in a
// goroutine it owns: stop ends it and waits.
type reindexer struct {
	mu     sync.Mutex // guards status and cancel
	status api.ReindexStatus
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// StartReindex starts rebuilding the index from EVENTS beside the one
// that serves, which keeps answering until the new one is complete and
// takes its place (see index.ReplaceWith). While a rebuild runs it
// returns that one's status and api.ErrReindexRunning.
func (s *Service) StartReindex() (api.ReindexStatus, error) {
	r := &s.reindex
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status.State == api.ReindexRunning {
		return r.status, api.ErrReindexRunning
	}
	if s.ix == nil {
		return r.status, errors.New("reindex: this process has no index (roles indexer or api)")
	}
	ctx, cancel := context.WithCancel(s.life)
	r.cancel = cancel
	r.status = api.ReindexStatus{State: api.ReindexRunning, Started: time.Now().UTC()}
	log := s.log.With("component", "reindex")
	ix, js, types, dir := s.ix, s.bus.JS, s.types, filepath.Join(s.cfg.DataDir, "index")
	r.wg.Go(func() {
		defer cancel()
		log.Info("index rebuild started", "dir", dir)
		err := rebuildIndex(ctx, js, ix, dir, types, log, r.progress)
		r.finish(err)
		if err != nil {
			log.Error("index rebuild failed; the old index still serves", "err", err)
			return
		}
		st := r.get()
		log.Info("index rebuilt and swapped in", "events", st.Events, "sets", st.Sets,
			"seq", st.Seq, "events_per_second", int(st.EventsPerSecond))
	})
	return r.status, nil
}

// ReindexStatus reports the running or the last rebuild.
func (s *Service) ReindexStatus() api.ReindexStatus { return s.reindex.get() }

var _ api.Reindexer = (*Service)(nil)

func (r *reindexer) get() api.ReindexStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// progress records how far the rebuild is.
func (r *reindexer) progress(p stage.RebuildProgress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = withProgress(r.status, p)
}

func (r *reindexer) finish(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = finished(r.status, err)
}

// stop cancels a running rebuild and waits for it to end.
func (r *reindexer) stop() {
	r.mu.Lock()
	if r.cancel != nil {
		r.cancel()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// withProgress returns st moved on to p.
func withProgress(st api.ReindexStatus, p stage.RebuildProgress) api.ReindexStatus {
	st.Seq, st.Sets, st.Events, st.Skipped = p.Seq, p.Sets, p.Events, p.Skipped
	if p.Last > 0 {
		st.FirstSeq, st.LastSeq = p.First, p.Last
	}
	if el := time.Since(st.Started).Seconds(); el > 0 {
		st.EventsPerSecond = float64(st.Events) / el
	}
	return st
}

// finished returns st as done, or failed with err.
func finished(st api.ReindexStatus, err error) api.ReindexStatus {
	st.Finished = time.Now().UTC()
	if el := st.Finished.Sub(st.Started).Seconds(); el > 0 {
		st.EventsPerSecond = float64(st.Events) / el
	}
	st.State = api.ReindexDone
	if err != nil {
		st.State, st.Error = api.ReindexFailed, err.Error()
	}
	return st
}

// rebuildIndex fills a new index in dir+".rebuild" from the whole EVENTS
// stream while live (the index in dir) keeps serving and indexing, then
// swaps it in: the last stretch is copied with live's Apply held, so the
// new index holds at least everything live did (see index.ReplaceWith),
// and live's indexer goes on from its consumer, re-applying harmlessly
// what the rebuild read beyond. A leftover dir+".rebuild" (an
// interrupted rebuild) is removed first; on failure the new one is.
func rebuildIndex(ctx context.Context, js jetstream.JetStream, live *index.Index, dir string, types rules.Catalog, log *slog.Logger, report func(stage.RebuildProgress)) (err error) {
	next := dir + ".rebuild"
	if err := os.RemoveAll(next); err != nil {
		return fmt.Errorf("reindex: remove the leftover %s: %w", next, err)
	}
	nx, err := index.Open(next, index.Options{Logger: log, Types: types})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := os.RemoveAll(next); rerr != nil {
				log.Warn("reindex: remove the unfinished index", "dir", next, "err", rerr)
			}
		}
	}()
	r := &stage.Rebuild{JS: js, Store: nx, BatchSize: reindexBatch, Progress: report, Logger: log}
	// Copy what the stream holds, again while much more arrived meanwhile,
	// so that the final stretch, copied while live waits, is short.
	for round := 0; ; round++ {
		_, last, err := r.Bounds(ctx)
		if err == nil {
			var cp uint64
			if cp, err = r.To(ctx, last); err == nil {
				_, now, berr := r.Bounds(ctx)
				if berr != nil || now < cp+reindexBatch || round == 4 {
					break
				}
				continue
			}
		}
		_ = nx.Close()
		return fmt.Errorf("reindex: %w", err)
	}
	err = live.ReplaceWith(nx, func(_, want uint64) error {
		_, err := r.To(ctx, want)
		return err
	})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	return nil
}

// Reindex rebuilds the index of the api replica whose data directory is
// cfg's, when no process serves it: from the EVENTS stream of cfg's NATS
// (or of the embedded store under data_dir) into a new directory beside
// it, swapped in when complete. report, if set, receives the status as
// the rebuild goes. A running serve holds the index (or the embedded
// store): Reindex then fails with an error saying to ask that process
// (dateline reindex --server).
func Reindex(ctx context.Context, cfg config.Config, log *slog.Logger, report func(api.ReindexStatus)) (api.ReindexStatus, error) {
	st := api.ReindexStatus{State: api.ReindexRunning, Started: time.Now().UTC()}
	types, err := LoadTypes(cfg.Pipelines)
	if err != nil {
		return st, err
	}
	b, done, err := openNATS(ctx, cfg, "dateline-reindex")
	if errors.Is(err, ErrDataDirInUse) {
		return st, fmt.Errorf("%w: a running dateline serves it; ask it to rebuild (dateline reindex --server URL)", err)
	}
	if cfg.NATS.URL == "" && errors.Is(err, os.ErrNotExist) {
		return st, fmt.Errorf("data_dir %s holds no embedded NATS store, so no EVENTS to rebuild from (an external NATS is named by nats.url or --nats): %w", cfg.DataDir, err)
	}
	if err != nil {
		return st, fmt.Errorf("open nats: %w", err)
	}
	defer done()
	dir := filepath.Join(cfg.DataDir, "index")
	ix, _, err := index.OpenFresh(dir, index.Options{Logger: log, Types: types, LockWait: time.Second})
	if errors.Is(err, index.ErrLocked) {
		return st, fmt.Errorf("%w: a running dateline serves it; ask it to rebuild (dateline reindex --server URL)", err)
	}
	if err != nil {
		return st, err
	}
	err = rebuildIndex(ctx, b.JS, ix, dir, types, log, func(p stage.RebuildProgress) {
		st = withProgress(st, p)
		if report != nil {
			report(st)
		}
	})
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("reindex: close %s: %w", dir, cerr)
	}
	st = finished(st, err)
	return st, err
}
