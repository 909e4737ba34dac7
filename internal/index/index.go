// Package index keeps the searchable view of events: a Bleve index that the
// indexer role writes with Apply and the API reads with Search, Timeline and
// Get. The index is a view, rebuildable from the EVENTS stream.
//
// One document per happening: events read from different articles that
// report the same happening (compatible type, dates, status, actors and
// places, see cluster.go and compat.go) are merged into one event with its
// Sources; which events merge and the merged id depend only on the set of
// events, whatever order articles arrive in, across restarts and
// rebuilds. Search, Timeline and facets count merged events; Get also
// finds one by a member's id or a former id.
//
// Each merged document stores its members, and indexes their article ids,
// so Apply can take an updated article's events out of their clusters.
// (Not Bleve internal keys: scorch rewrites every internal key on every
// persisted snapshot, so per-article keys would make each batch cost as
// much as the whole index.)
//
// Time partitions: events live in one Bleve index per year (decade before
// 2000) of their span, events whose span crosses a year and undated ones
// in the main index; a search with a date range reads only main and the
// years it touches, several indexes at once. See shards.go.
//
// Durability: Apply writes the documents of a batch and the last stream
// sequence they came from (Checkpoint) in one Bleve batch per index it
// touches, main last, and returns once all are on disk. Because each
// index keeps the checkpoint in the same snapshot as its documents, and
// main records the checkpoint last written to each year, an index that
// Bleve reopens at an older snapshot is caught: main at an older snapshot
// reports the older checkpoint, and replaying the stream from
// Checkpoint()+1 brings everything back exactly (Apply is idempotent, so
// replaying too much is harmless); a year at an older snapshot than main
// recorded makes the index unusable. An index that cannot be opened gives
// ErrCorrupt (see OpenFresh).
//
// Mapping: documents are built by hand with only the fields queries use
// (see mapping.go): one English full-text field with positions for
// phrases, keyword fields for filters and facets, calendar terms for date
// overlap (see dates.go), a keyword day for sorting, a geopoint, and the
// event JSON stored once. Highlighting re-analyses the returned page
// instead of storing text and term vectors twice.
package index

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"go.etcd.io/bbolt"

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// ErrCorrupt is returned (wrapped) by Open when the directory holds an
// index that cannot be used: unreadable metadata or segments, a missing or
// unreadable checkpoint, or a mapping written by another version of this
// package. The caller should rebuild from the stream, for example with
// OpenFresh.
var ErrCorrupt = errors.New("index unusable")

// ErrLocked is returned (wrapped) by Open when another process (or
// another Open in this one) holds the index: it is in use, not broken.
var ErrLocked = errors.New("index in use by another process")

// ErrClosed is returned by every method called after Close.
var ErrClosed = errors.New("index closed")

// Internal (non-document) keys, stored by Bleve beside the segments and
// written in the same batch as documents. They never show up in searches.
var (
	keyCheckpoint = []byte("dateline.checkpoint")
	keyMapping    = []byte("dateline.mapping")
)

// Options configures Open.
type Options struct {
	// Logger receives open, rebuild and slow-batch messages; nil discards.
	Logger *slog.Logger
	// Types are the event types' facts; their anchors decide which
	// reports merge into one event (see Clustering). Nil means the types
	// of the rules built into the binary.
	Types rules.Catalog
	// LockWait is how long Open waits for another holder of the index to
	// let go before returning ErrLocked; 0 means 5s.
	LockWait time.Duration
}

// storeConfig is the Bleve store configuration for opts.
func (opts Options) storeConfig() map[string]any {
	wait := opts.LockWait
	if wait <= 0 {
		wait = 5 * time.Second
	}
	return map[string]any{
		"bolt_timeout": wait.String(),
		// Each Apply adds a small segment to every year it touches (tens
		// of events each when a batch spans many years). Bleve's default
		// counts any segment under 2,000 documents as 2,000 when planning
		// merges, so it merges such segments far more often than their
		// size calls for; at 200 indexing is ~2× faster on a corpus spread
		// over twelve years, with the same query speed (BENCHMARKS.md).
		"scorchMergePlanOptions": map[string]any{"FloorSegmentSize": 200},
	}
}

// Index is a Bleve index of events. All methods are safe for concurrent
// use; Apply calls are serialised. Close it once when done.
type Index struct {
	dir string
	log *slog.Logger
	// clustering groups reports into merged events; set by Open.
	clustering Clustering
	m          mapping.IndexMapping
	an         analyzers

	// filters are the Bloom filters of the segments' keyword terms that
	// Apply looks up (bloom.go).
	filters termFilters

	// applyMu serialises Apply: it reads the index to find the events an
	// article no longer has, then writes, and must not interleave.
	applyMu sync.Mutex

	// gen counts successful Applies; timelines and facets cache results
	// computed at the current gen.
	gen       atomic.Uint64
	timelines genCache[[]Bucket]
	facets    genCache[map[string]map[string]int]

	// recent holds the merged events the last successful Apply wrote,
	// for Merged; nil while an Apply writes, after a failed one and after
	// Close. Replaced whole, never modified.
	recent atomic.Pointer[recentClusters]

	// config returns a new Bleve store configuration (Bleve writes into
	// the one it is given, so each index gets its own).
	config func() map[string]any

	// mu guards closed against Close racing with readers.
	mu     sync.RWMutex
	closed bool
	// set holds the open indexes (see shards.go); Apply swaps in a new set
	// when it creates a period.
	set atomic.Pointer[shardSet]

	// corr holds the corrections the documents are written with (see
	// corrected.go); replaced whole under applyMu, never modified.
	corr atomic.Pointer[correctionState]
	// cameo maps each event type to its CAMEO code, for corrected types.
	cameo map[string]string
}

// Open opens the index in dir, creating it when dir is missing or empty.
// An existing directory that is not a usable index of this version gives an
// error wrapping ErrCorrupt.
func Open(dir string, opts Options) (*Index, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	im := newMapping()
	an, err := newAnalyzers(im)
	if err != nil {
		return nil, err
	}
	types := opts.Types
	if types == nil {
		if types, err = pipelines.Catalog(); err != nil {
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
	}
	clustering := NewClustering(types)
	cameo := make(map[string]string, len(types))
	for _, t := range types {
		cameo[t.ID] = t.CAMEO
	}
	ix := &Index{dir: dir, log: log, m: im, an: an, config: opts.storeConfig, clustering: clustering, cameo: cameo}

	fresh, err := isFresh(dir)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if fresh {
		b, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, opts.storeConfig())
		if err != nil {
			return nil, fmt.Errorf("create index %s: %w", dir, err)
		}
		b.SetName(mainShard)
		ix.set.Store(&shardSet{main: b})
		ix.corr.Store(&correctionState{byID: map[string]corrections.Correction{}, displaced: map[string]string{}})
		batch := b.NewBatch()
		batch.SetInternal(keyMapping, []byte(mappingVersion))
		batch.SetInternal(keyCheckpoint, encodeCheckpoint(0))
		if err := b.Batch(batch); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("initialise index %s: %w", dir, err)
		}
		log.Info("index created", "dir", dir, "mapping", mappingVersion)
		return ix, nil
	}

	set, err := openSet(dir, ix.config)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	st, err := loadCorrections(set.main)
	if err != nil {
		_ = set.close()
		return nil, fmt.Errorf("open index %s: %w: %w", dir, ErrCorrupt, err)
	}
	ix.set.Store(set)
	ix.corr.Store(st)
	n, _ := ix.Count()
	cp, _ := ix.Checkpoint()
	log.Info("index opened", "dir", dir, "events", n, "periods", len(set.periods), "checkpoint", cp)
	return ix, nil
}

// openSet opens the existing index in dir: main, checked, and its
// periods. The error wraps ErrLocked or ErrCorrupt when it is one of
// those.
func openSet(dir string, config func() map[string]any) (*shardSet, error) {
	b, err := openBleve(dir, config())
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	b.SetName(mainShard)
	if err := verify(b); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	marks, err := readShardMarks(b)
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	periods, err := openPeriods(dir, marks, config)
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	return &shardSet{main: b, periods: periods}, nil
}

// OpenFresh opens the index in dir like Open; if it is unusable
// (ErrCorrupt), it moves dir aside to dir+".broken-<UTC time>", logs why,
// and creates an empty index in dir. rebuilt reports that the caller must
// replay the stream from the start. Any other error, ErrLocked included,
// is returned with dir untouched.
func OpenFresh(dir string, opts Options) (ix *Index, rebuilt bool, err error) {
	ix, err = Open(dir, opts)
	if err == nil || !errors.Is(err, ErrCorrupt) {
		return ix, false, err
	}
	aside := dir + ".broken-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	if rerr := os.Rename(dir, aside); rerr != nil {
		return nil, false, fmt.Errorf("move unusable index %s aside: %w (after: %w)", dir, rerr, err)
	}
	if opts.Logger != nil {
		opts.Logger.Warn("index unusable; moved aside, rebuilding from the stream",
			"dir", dir, "moved_to", aside, "reason", err.Error())
	}
	ix, err = Open(dir, opts)
	if err != nil {
		return nil, false, err
	}
	return ix, true, nil
}

// isFresh reports whether dir does not exist or is an empty directory.
func isFresh(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// openBleve opens an existing index, turning a panic from a damaged file
// into an error.
func openBleve(dir string, config map[string]any) (b bleve.Index, err error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return nil, fmt.Errorf("not a bleve index: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("panic opening bleve: %v", r)
		}
	}()
	return bleve.OpenUsing(dir, config)
}

// verify checks the mapping version and checkpoint of an opened main
// index.
func verify(b bleve.Index) error {
	v, err := b.GetInternal(keyMapping)
	if err != nil {
		return fmt.Errorf("read mapping version: %w", err)
	}
	if string(v) != mappingVersion {
		return fmt.Errorf("mapping version %q, want %q", v, mappingVersion)
	}
	raw, err := b.GetInternal(keyCheckpoint)
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	if _, err := decodeCheckpoint(raw); err != nil {
		return err
	}
	return nil
}

func encodeCheckpoint(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

func decodeCheckpoint(raw []byte) (uint64, error) {
	if len(raw) != 8 {
		return 0, fmt.Errorf("checkpoint is %d bytes, want 8", len(raw))
	}
	return binary.BigEndian.Uint64(raw), nil
}

// reader returns the open indexes, or ErrClosed. Callers hold ix.mu for
// reading while they use them.
func (ix *Index) reader() (*shardSet, error) {
	if ix.closed {
		return nil, ErrClosed
	}
	return ix.set.Load(), nil
}

// Checkpoint returns the last EVENTS stream sequence stored by Apply, 0
// for a new index. Every event of the stream up to it is in the index (if
// still current); the caller replays from Checkpoint()+1.
func (ix *Index) Checkpoint() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return 0, err
	}
	raw, err := set.main.GetInternal(keyCheckpoint)
	if err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	cp, err := decodeCheckpoint(raw)
	if err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return cp, nil
}

// Count returns the number of indexed (merged) events.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return 0, err
	}
	var total uint64
	for _, b := range set.all() {
		n, err := b.DocCount()
		if err != nil {
			return 0, fmt.Errorf("count events: %w", err)
		}
		total += n
	}
	return total, nil
}

// Get returns the event with the given id: a merged event by its own id,
// the merged event holding a member event read from one article (the
// ids alerts and the live stream carry), or the merged event that
// absorbed an event of that id (listed in its FormerIDs). The event's ID
// then differs from id (see Resolve). found is false when there is none.
func (ix *Index) Get(ctx context.Context, id string) (e event.Event, found bool, err error) {
	if err := ctx.Err(); err != nil {
		return e, false, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return e, false, err
	}
	raw, err := ix.lookup(ctx, set, id)
	if err != nil || raw == nil {
		return e, false, err
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, false, fmt.Errorf("decode event %s: %w", id, err)
	}
	return e, true, nil
}

// lookup returns the stored JSON of the event id, or of the merged event
// holding member id; nil when there is none.
func (ix *Index) lookup(ctx context.Context, set *shardSet, id string) ([]byte, error) {
	indexes := set.all()
	for _, b := range indexes {
		raw, err := storedField(b, id, fEvent)
		if err != nil {
			return nil, fmt.Errorf("get event %s: %w", id, err)
		}
		if raw != nil {
			return raw, nil
		}
	}
	for _, field := range []string{fMember, fFormer} {
		tq := query.NewTermQuery(id)
		tq.SetField(field)
		for _, b := range indexes {
			ids, err := ix.docIDs(ctx, b, tq, 1)
			if err != nil {
				return nil, fmt.Errorf("get event %s: look up %s: %w", id, field, err)
			}
			if len(ids) > 0 {
				return storedField(b, ids[0], fEvent)
			}
		}
	}
	return nil, nil
}

// Merged returns the merged events that now hold the events of sets, each
// once, in the order first met: what a live view shows after Apply(sets)
// (a new article on an old event yields that event, with one source
// more). Events no longer in the index are left out.
//
// The merged events the last Apply wrote are answered from memory, as
// they would be read back; the rest (older sets, events whose cluster
// that Apply did not write) are read from the index. Call it after the
// Apply of sets returns, not concurrently with a later Apply: one that
// runs meanwhile may leave the answer mixing the two batches' views.
func (ix *Index) Merged(ctx context.Context, sets []event.Set) ([]event.Event, error) {
	var recent recentClusters
	if r := ix.recent.Load(); r != nil {
		recent = *r
	}
	var out []event.Event
	seen, shown := map[string]bool{}, map[string]bool{} // member ids, merged ids
	for _, s := range sets {
		for _, m := range s.Events {
			if m.ID == "" || seen[m.ID] {
				continue
			}
			e, ok, err := ix.clusterOf(ctx, recent, m)
			if err != nil {
				return nil, err
			}
			seen[m.ID] = true
			if ok && !shown[e.ID] {
				shown[e.ID] = true
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// clusterOf returns the merged event holding m: the one at the index
// and id Apply gave m's cluster (from recent when the last Apply wrote
// it, else read), else looked up by m's id.
func (ix *Index) clusterOf(ctx context.Context, recent recentClusters, m event.Event) (event.Event, bool, error) {
	var e event.Event
	if err := ctx.Err(); err != nil {
		return e, false, err
	}
	id, shard := ix.clustering.ID(m), eventShard(m)
	if st := ix.corr.Load(); st != nil && st.regroups {
		// A report split out is its own event, under its own id, or
		// merged away: the index knows where (see regroup_corrected.go).
		if r, ok := recent.lookup(m.ID, shard); ok {
			return r, true, nil
		}
		return ix.Get(ctx, m.ID)
	}
	if r, ok := recent.lookup(id, shard); ok {
		return r, true, nil
	}
	ix.mu.RLock()
	set, err := ix.reader()
	var raw []byte
	if err == nil {
		if b := set.get(shard); b != nil {
			raw, err = storedField(b, id, fEvent)
		}
	}
	ix.mu.RUnlock()
	if err != nil {
		return e, false, fmt.Errorf("get event %s: %w", m.ID, err)
	}
	if raw == nil {
		return ix.Get(ctx, m.ID)
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, false, fmt.Errorf("decode event %s: %w", m.ID, err)
	}
	return e, true, nil
}

// Close flushes and closes the index. Later calls return ErrClosed;
// closing twice is a no-op.
func (ix *Index) Close() error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	ix.recent.Store(nil)
	if err := ix.set.Load().close(); err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}
