package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"go.etcd.io/bbolt"

	"github.com/dateline/dateline/internal/event"
)

// Time partitions.
//
// Events live in one Bleve index per period of their span: a calendar
// year from 2000 on, a decade from 1900 to 1999, one period before 1900.
// An event whose span crosses a period boundary, and an undated one, lives
// in the main index, which also holds the checkpoint. A search with a date
// range reads only the main index and the periods the range touches, so
// asking for one year of a decade-long timeline walks one tenth of the
// postings and facet values; a search without one reads every index at
// once, one goroutine per index.
//
// A cluster's period follows from the dates of its merged event (see
// merge), so a cluster lives in one index; its members' dates lie in the
// same period (a day and the month report holding it) except for spans,
// which merge with spans they overlap: Apply looks up a span's candidates
// in main and every period it touches (lookupShards).
//
// Durability: Apply writes the period indexes first, each batch carrying
// the checkpoint, then the main index with the checkpoint and, in
// keyShards, the checkpoint last written to each period. Open checks that
// no period index holds less than main says it was given (Bleve falling
// back to an older snapshot of one of them): that index is unusable
// (ErrCorrupt) and the whole index is rebuilt. A period index ahead of
// main (a crash between the two writes) is fine: replaying from main's
// checkpoint rewrites the same documents.

// shardsDir is the directory, inside the main index's, of the period
// indexes.
const shardsDir = "periods"

// keyShards is main's internal key holding the checkpoint last written to
// each period index.
var keyShards = []byte("dateline.periods")

// mainShard names the main index among the shards.
const mainShard = "main"

// periodOf returns the period of the span [start, end), "" (main) when the
// span crosses a period boundary.
func periodOf(start, end time.Time) string {
	p := periodAt(start)
	if !end.After(start) {
		return p
	}
	if periodAt(end.Add(-time.Nanosecond)) != p {
		return ""
	}
	return p
}

// periodAt names the period holding t.
func periodAt(t time.Time) string {
	switch y := t.Year(); {
	case y >= 2000:
		return strconv.Itoa(y)
	case y >= 1900:
		return strconv.Itoa(y/10*10) + "s"
	default:
		return "early"
	}
}

// periodSpan returns the bounds [lo, hi) of a period name.
func periodSpan(name string) (lo, hi time.Time, ok bool) {
	at := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	switch {
	case name == "early":
		return at(-100000), at(1900), true
	case len(name) == 5 && name[4] == 's':
		y, err := strconv.Atoi(name[:4])
		if err != nil || y < 1900 || y > 1990 || y%10 != 0 {
			return lo, hi, false
		}
		return at(y), at(y + 10), true
	default:
		y, err := strconv.Atoi(name)
		if err != nil || y < 2000 || y > 9999 {
			return lo, hi, false
		}
		return at(y), at(y + 1), true
	}
}

// eventShard is the index an event's cluster lives in.
func eventShard(e event.Event) string {
	start, end, ok := e.Span()
	if !ok {
		return mainShard
	}
	if p := periodOf(start, end); p != "" {
		return p
	}
	return mainShard
}

// shardSet is an immutable view of the open indexes: main and the
// periods, by name. Apply replaces it when it creates a period.
type shardSet struct {
	main    bleve.Index
	periods map[string]bleve.Index
}

// all returns main and every period, main first, periods in name order.
func (s *shardSet) all() []bleve.Index {
	out := []bleve.Index{s.main}
	for _, name := range slices.Sorted(maps.Keys(s.periods)) {
		out = append(out, s.periods[name])
	}
	return out
}

// get returns the named index, nil when it does not exist.
func (s *shardSet) get(name string) bleve.Index {
	if name == mainShard {
		return s.main
	}
	return s.periods[name]
}

// overlapping returns main and the periods that overlap [from, to).
func (s *shardSet) overlapping(from, to time.Time) []bleve.Index {
	out := []bleve.Index{s.main}
	for _, name := range slices.Sorted(maps.Keys(s.periods)) {
		lo, hi, ok := periodSpan(name)
		if ok && lo.Before(to) && hi.After(from) {
			out = append(out, s.periods[name])
		}
	}
	return out
}

// with returns a copy of s holding b as period name.
func (s *shardSet) with(name string, b bleve.Index) *shardSet {
	periods := maps.Clone(s.periods)
	if periods == nil {
		periods = map[string]bleve.Index{}
	}
	periods[name] = b
	return &shardSet{main: s.main, periods: periods}
}

// close closes every index, periods first.
func (s *shardSet) close() error {
	var errs []error
	for name, b := range s.periods {
		if err := b.Close(); err != nil {
			errs = append(errs, fmt.Errorf("period %s: %w", name, err))
		}
	}
	if err := s.main.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// readShardMarks reads main's record of the checkpoint last written to
// each period.
func readShardMarks(main bleve.Index) (map[string]uint64, error) {
	raw, err := main.GetInternal(keyShards)
	if err != nil {
		return nil, fmt.Errorf("read period checkpoints: %w", err)
	}
	marks := map[string]uint64{}
	if raw == nil {
		return marks, nil
	}
	if err := json.Unmarshal(raw, &marks); err != nil {
		return nil, fmt.Errorf("decode period checkpoints: %w", err)
	}
	return marks, nil
}

// openPeriods opens every period index under dir and checks each against
// marks. A period main has no record of holds nothing main committed (a
// crash before main's write): it is opened if it can be, else removed.
func openPeriods(dir string, marks map[string]uint64, config func() map[string]any) (map[string]bleve.Index, error) {
	periods := map[string]bleve.Index{}
	closeAll := func() {
		for _, b := range periods {
			_ = b.Close()
		}
	}
	root := filepath.Join(dir, shardsDir)
	entries, err := os.ReadDir(root)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list periods: %w", err)
	}
	for _, ent := range entries {
		name := ent.Name()
		if _, _, ok := periodSpan(name); !ok || !ent.IsDir() {
			closeAll()
			return nil, fmt.Errorf("%w: unexpected %s in %s", ErrCorrupt, name, root)
		}
		path := filepath.Join(root, name)
		mark, recorded := marks[name]
		b, err := openBleve(path, config())
		switch {
		case errors.Is(err, bbolt.ErrTimeout):
			closeAll()
			return nil, ErrLocked
		case err != nil && !recorded:
			if rerr := os.RemoveAll(path); rerr != nil {
				closeAll()
				return nil, fmt.Errorf("remove unrecorded period %s: %w", name, rerr)
			}
			continue
		case err != nil:
			closeAll()
			return nil, fmt.Errorf("%w: period %s: %w", ErrCorrupt, name, err)
		}
		b.SetName(name)
		periods[name] = b
		raw, err := b.GetInternal(keyCheckpoint)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("%w: period %s: read checkpoint: %w", ErrCorrupt, name, err)
		}
		cp, err := decodeCheckpoint(raw)
		if recorded && (err != nil || cp < mark) {
			closeAll()
			return nil, fmt.Errorf("%w: period %s holds checkpoint %d (%v), below the %d written to it", ErrCorrupt, name, cp, err, mark)
		}
	}
	for name := range marks {
		if periods[name] == nil {
			closeAll()
			return nil, fmt.Errorf("%w: period %s is missing", ErrCorrupt, name)
		}
	}
	return periods, nil
}

// createPeriod creates the index of a new period.
func (ix *Index) createPeriod(name string) (bleve.Index, error) {
	path := filepath.Join(ix.dir, shardsDir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create period %s: %w", name, err)
	}
	_ = os.RemoveAll(path) // the leftover of a crash before main recorded it
	b, err := bleve.NewUsing(path, ix.m, scorch.Name, scorch.Name, ix.config())
	if err != nil {
		return nil, fmt.Errorf("create period %s: %w", name, err)
	}
	b.SetName(name)
	return b, nil
}
