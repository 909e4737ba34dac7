package index

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
)

// ErrBehind is returned (wrapped) by ReplaceWith when the new index
// still holds less of the stream than the one it would replace after
// the catch-up: swapping would lose events.
var ErrBehind = errors.New("new index is behind the serving one")

// CatchUp brings an index being rebuilt up to at least EVENTS sequence
// want (from have, its checkpoint). ReplaceWith calls it while the
// serving index accepts no Apply.
type CatchUp func(have, want uint64) error

// ReplaceWith puts next, an index rebuilt beside ix in another directory
// of the same file system, in ix's place, and deletes the old one. Reads
// of ix go on during the rebuild and see the old documents until the
// swap; the swap itself holds them for the time it takes to close and
// open the indexes (milliseconds), and every later read sees the new
// documents. ix stays the same value: whoever holds it (the API, the
// indexer) goes on using it.
//
// No event is lost: with ix's Apply held, next is brought up to ix's
// checkpoint by catchUp (when it is behind), then checked, and given
// ix's corrections (SetCorrections), so no correction is lost either. next may be
// ahead of ix (it read further in the stream); the indexer then applies
// those sets again, which changes nothing (Apply is idempotent).
//
// The directories are exchanged in one atomic rename where the system
// has one (Linux), so a crash leaves either the old index or the new
// one in ix's directory, never neither. ReplaceWith closes next, which
// the caller must not use any more, whatever the result; on an error ix
// still serves its old documents, unless it could not be reopened.
func (ix *Index) ReplaceWith(next *Index, catchUp CatchUp) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	aside := next.dir
	want, err := ix.Checkpoint()
	if err != nil {
		_ = next.Close()
		return fmt.Errorf("replace index %s: %w", ix.dir, err)
	}
	have, err := next.Checkpoint()
	if err == nil && have < want && catchUp != nil {
		if err = catchUp(have, want); err == nil {
			have, err = next.Checkpoint()
		}
	}
	if err == nil {
		// ix's corrections cannot change while its Apply is held: next
		// takes them as they are, whatever it was seeded with.
		_, err = next.SetCorrections(context.Background(), slices.Collect(maps.Values(ix.Corrections())))
	}
	if cerr := next.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && have < want {
		err = fmt.Errorf("%w: checkpoint %d, serving %d", ErrBehind, have, want)
	}
	if err != nil {
		return fmt.Errorf("replace index %s with %s: %w", ix.dir, aside, err)
	}

	ix.mu.Lock()
	if err := ix.swapDirs(aside); err != nil {
		ix.mu.Unlock()
		return fmt.Errorf("replace index %s with %s: %w", ix.dir, aside, err)
	}
	ix.mu.Unlock()
	if err := os.RemoveAll(aside); err != nil {
		ix.log.Warn("remove the replaced index", "dir", aside, "err", err)
	}
	ix.log.Info("index replaced by its rebuild", "dir", ix.dir, "checkpoint", have)
	return nil
}

// swapDirs closes ix's indexes, exchanges ix.dir with dir (closed) and
// opens what ix.dir then holds. If that cannot be opened, the
// directories are exchanged back and the old index opened again. The
// caller holds applyMu and mu.
func (ix *Index) swapDirs(dir string) error {
	if ix.closed {
		return ErrClosed
	}
	if err := ix.set.Load().close(); err != nil {
		ix.log.Warn("close the index being replaced", "dir", ix.dir, "err", err)
	}
	reopen := func(cause error) error {
		set, err := openSet(ix.dir, ix.config)
		if err != nil {
			ix.closed = true // nothing to serve from
			return fmt.Errorf("%w; reopening the old index: %w", cause, err)
		}
		ix.set.Store(set)
		return cause
	}
	if err := exchange(dir, ix.dir); err != nil {
		return reopen(err)
	}
	set, err := openSet(ix.dir, ix.config)
	if err != nil {
		if xerr := exchange(dir, ix.dir); xerr != nil {
			ix.closed = true
			return fmt.Errorf("open the new index: %w; swap back: %w", err, xerr)
		}
		return reopen(fmt.Errorf("open the new index: %w", err))
	}
	st, err := loadCorrections(set.main)
	if err != nil {
		_ = set.close()
		if xerr := exchange(dir, ix.dir); xerr != nil {
			ix.closed = true
			return fmt.Errorf("read the new index's corrections: %w; swap back: %w", err, xerr)
		}
		return reopen(fmt.Errorf("read the new index's corrections: %w", err))
	}
	ix.set.Store(set)
	ix.corr.Store(st)
	// What was computed or learnt from the old segments goes.
	ix.recent.Store(nil)
	ix.filters.reset()
	ix.gen.Add(1)
	return nil
}
