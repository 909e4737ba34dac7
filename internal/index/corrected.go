package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2"

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
)

// Corrections.
//
// An analyst's correction (internal/corrections) is applied where a
// cluster's document is written, so every search, filter, facet, export
// and the live stream read the corrected event at no cost per query:
// Apply writes each cluster it recomputes with the correction of its id
// or, failing that, of one of its FormerIDs (a correction keyed by an id
// the event had follows the event it became); SetCorrections and Correct
// record a change of the corrections and rewrite the documents it
// concerns. The corrections a document was written with are kept in
// main (keyCorrections) in the same batch, so an index reopened after a
// crash, or rebuilt from EVENTS, compares them with the bucket's and
// rewrites what differs (SetCorrections).
//
// Clustering never sees corrections: reports merge by what they say, and
// a cluster's document stays in the period index of its extracted dates,
// where Apply looks for it. A document whose corrected dates lie outside
// that period is listed in keyDisplaced, and searches with a date range
// read its index too.
//
// A hidden event keeps its document, flagged in fHidden: Get answers it
// (with Hidden set, for audit) while every query leaves it out
// (plan.query).

// Internal keys of main for corrections.
var (
	// keyCorrections holds the corrections the documents were written
	// with, a JSON object by corrected event id.
	keyCorrections = []byte("dateline.corrections")
	// keyDisplaced holds the documents written with corrected dates
	// outside their period, a JSON object from document id to index.
	keyDisplaced = []byte("dateline.displaced")
)

// fHidden is "1" in the document of a hidden event (keyword, not stored).
const fHidden = "hidden"

// correctionState is what an index knows of corrections. It is never
// modified once stored in Index.corr.
type correctionState struct {
	byID      map[string]corrections.Correction
	displaced map[string]string // document id -> the index holding it
	hidden    bool              // some correction of byID hides its event
	regroups  bool              // some correction of byID merges or splits
}

// of returns the correction of the event with id and former ids: its
// own, else the latest of its former ids'.
func (st *correctionState) of(id string, former []string) (corrections.Correction, bool) {
	if c, ok := st.byID[id]; ok && c.Changes() {
		return c, true
	}
	var best corrections.Correction
	found := false
	for _, f := range former {
		if c, ok := st.byID[f]; ok && c.Changes() && (!found || c.At.After(best.At)) {
			best, found = c, true
		}
	}
	return best, found
}

// anyHidden reports whether some correction hides an event.
func (st *correctionState) anyHidden() bool { return st != nil && st.hidden }

// withByID sets st.byID to cs, and st.hidden.
func (st *correctionState) withByID(cs map[string]corrections.Correction) {
	st.byID, st.hidden, st.regroups = cs, false, false
	for _, c := range cs {
		st.hidden = st.hidden || c.Hidden
		st.regroups = st.regroups || c.Regroups()
	}
}

// displacedShards returns the indexes holding displaced documents.
func (st *correctionState) displacedShards() []string {
	if st == nil || len(st.displaced) == 0 {
		return nil
	}
	out := slices.Collect(maps.Values(st.displaced))
	slices.Sort(out)
	return slices.Compact(out)
}

// place records where the document of corrected event e, written to
// shard, lives: displaced when its corrected dates leave shard's period.
func (st *correctionState) place(e event.Event, shard string) {
	if shard != mainShard && e.Corrected != nil && eventShard(e) != shard {
		st.displaced[e.ID] = shard
		return
	}
	delete(st.displaced, e.ID)
}

// clone returns a copy of st whose maps the caller may change.
func (st *correctionState) clone() *correctionState {
	return &correctionState{byID: maps.Clone(st.byID), displaced: maps.Clone(st.displaced), hidden: st.hidden, regroups: st.regroups}
}

// loadCorrections reads main's record of corrections.
func loadCorrections(main bleve.Index) (*correctionState, error) {
	st := &correctionState{byID: map[string]corrections.Correction{}, displaced: map[string]string{}}
	for _, k := range []struct {
		key []byte
		v   any
	}{{keyCorrections, &st.byID}, {keyDisplaced, &st.displaced}} {
		raw, err := main.GetInternal(k.key)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", k.key, err)
		}
		if raw == nil {
			continue
		}
		if err := json.Unmarshal(raw, k.v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", k.key, err)
		}
	}
	st.withByID(st.byID)
	return st, nil
}

// setInternal adds st's record to main's batch.
func (st *correctionState) setInternal(b *bleve.Batch) error {
	for _, k := range []struct {
		key []byte
		v   any
	}{{keyCorrections, st.byID}, {keyDisplaced, st.displaced}} {
		raw, err := json.Marshal(k.v)
		if err != nil {
			return fmt.Errorf("encode %s: %w", k.key, err)
		}
		b.SetInternal(k.key, raw)
	}
	return nil
}

// corrected returns merged event e as st corrects it: e itself when no
// correction applies.
func (ix *Index) corrected(e event.Event, st *correctionState) event.Event {
	c, ok := st.of(e.ID, e.FormerIDs)
	if !ok {
		return e
	}
	out := c.Apply(e)
	if out.Type != e.Type {
		out.CAMEO = ix.cameo[out.Type]
	}
	out.Hidden = c.Hidden
	var fields []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"type", c.Type != ""}, {"date", c.Date != ""}, {"date_end", c.Date != "" || c.DateEnd != ""}, {"actors", c.Actors != nil}} {
		if f.set {
			fields = append(fields, f.name)
		}
	}
	out.Corrected = &event.Corrected{
		Hidden: c.Hidden, Fields: fields, Note: c.Note, By: c.By, At: c.At,
		Extracted: event.Extracted{
			Type: e.Type, CAMEO: e.CAMEO, Date: e.Date, DateEnd: e.DateEnd,
			Precision: e.Precision, Actors: slices.Clone(e.Actors),
		},
	}
	return out
}

// Corrections returns the corrections the index applies, by event id.
func (ix *Index) Corrections() map[string]corrections.Correction {
	st := ix.corr.Load()
	if st == nil {
		return map[string]corrections.Correction{}
	}
	return maps.Clone(st.byID)
}

// SetCorrections makes cs, every current correction, the corrections the
// index applies: the documents of the events whose correction changed
// (by their id or a former id) are written again, durably, and returned
// as stored (Hidden ones included), for the live stream. A correction of
// an event the index does not hold yet is kept and applied when Apply
// writes the event. Calls are serialised with Apply.
func (ix *Index) SetCorrections(ctx context.Context, cs []corrections.Correction) ([]event.Event, error) {
	next := make(map[string]corrections.Correction, len(cs))
	for _, c := range cs {
		next[c.EventID] = c
	}
	return ix.recorrect(ctx, func(map[string]corrections.Correction) map[string]corrections.Correction { return next })
}

// Correct records one change of the corrections: c stored under its
// EventID, or, when c is nil, the correction of id withdrawn. It
// rewrites and returns what SetCorrections would.
func (ix *Index) Correct(ctx context.Context, id string, c *corrections.Correction) ([]event.Event, error) {
	return ix.recorrect(ctx, func(cur map[string]corrections.Correction) map[string]corrections.Correction {
		next := maps.Clone(cur)
		if c == nil {
			delete(next, id)
		} else {
			next[id] = *c
		}
		return next
	})
}

// recorrect replaces the corrections by change(current) and rewrites the
// documents of the ids whose correction differs.
func (ix *Index) recorrect(ctx context.Context, change func(map[string]corrections.Correction) map[string]corrections.Correction) ([]event.Event, error) {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	set, err := ix.reader()
	if err != nil {
		return nil, err
	}
	st := ix.corr.Load()
	next := st.clone()
	next.withByID(change(st.byID))
	var ids []string
	for id := range next.byID {
		if old, ok := st.byID[id]; !ok || !reflect.DeepEqual(old, next.byID[id]) {
			ids = append(ids, id)
		}
	}
	for id := range st.byID {
		if _, ok := next.byID[id]; !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	slices.Sort(ids)
	ix.recent.Store(nil)
	refs, err := ix.holding(ctx, set, ids)
	if err != nil {
		return nil, fmt.Errorf("correct events: %w", err)
	}
	batches := map[string]*bleve.Batch{}
	bl := newBlocker(ix.clustering)
	next, out, done, err := ix.regroupCorrected(ctx, set, bl, st, next, ids, batches)
	if err != nil {
		return nil, fmt.Errorf("correct events: %w", err)
	}
	for _, ref := range refs {
		if done[ref] {
			continue
		}
		e, err := ix.rewriteDoc(set, bl, next, ref, batches)
		if err != nil {
			return nil, fmt.Errorf("correct event %s: %w", ref.id, err)
		}
		out = append(out, e)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("correct events: %w", err)
	}
	if err := ix.writeCorrected(set, next, batches); err != nil {
		return nil, fmt.Errorf("correct events: %w", err)
	}
	ix.corr.Store(next)
	ix.gen.Add(1)
	ix.log.Info("index: corrections applied", "changed", len(ids), "events_rewritten", len(out))
	return out, nil
}

// holding returns the documents whose id, or one of whose former ids, is
// one of ids, each once.
func (ix *Index) holding(ctx context.Context, set *shardSet, ids []string) ([]docRef, error) {
	seen := map[docRef]bool{}
	var out []docRef
	add := func(r docRef) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, b := range set.all() {
		for _, id := range ids {
			raw, err := storedField(b, id, fMembers)
			if err != nil {
				return nil, fmt.Errorf("look up event %s: %w", id, err)
			}
			if raw != nil {
				add(docRef{id: id, shard: b.Name()})
			}
		}
		for _, field := range []string{fFormer, fMember} {
			found, err := ix.termDocIDs(ctx, b, field, ids)
			if err != nil {
				return nil, fmt.Errorf("look up %s ids: %w", field, err)
			}
			for _, id := range found {
				add(docRef{id: id, shard: b.Name()})
			}
		}
	}
	return out, nil
}

// regroupCorrected regroups the clusters concerned by the merges and
// splits among the changed corrections ids (st before, next after):
// those holding a changed id (as id, former id or member) or a merge's
// target, old or new, written to batches whatever changed. It returns
// next with the documents placed, the events written (and, as Hidden
// stubs, the ids of the documents deleted) and the documents it wrote.
func (ix *Index) regroupCorrected(ctx context.Context, set *shardSet, bl *blocker, st, next *correctionState, ids []string, batches map[string]*bleve.Batch) (*correctionState, []event.Event, map[docRef]bool, error) {
	var keys []string
	for _, id := range ids {
		old, now := st.byID[id], next.byID[id]
		if !old.Regroups() && !now.Regroups() {
			continue
		}
		keys = append(keys, id)
		for _, t := range []string{old.MergeInto, now.MergeInto} {
			if t != "" {
				keys = append(keys, t)
			}
		}
	}
	if len(keys) == 0 {
		return next, nil, nil, nil
	}
	refs, err := ix.holding(ctx, set, keys)
	if err != nil {
		return nil, nil, nil, err
	}
	cs := clusters{}
	for _, ref := range refs {
		if err := cs.load(set, ref.id, ref.shard); err != nil {
			return nil, nil, nil, err
		}
	}
	// The clusters their reports may join once apart (a split or a
	// merge withdrawn), as for new reports.
	var members []event.Event
	for _, c := range cs {
		members = append(members, c.members...)
	}
	if _, err := ix.loadCandidates(ctx, set, bl, cs, members, map[string]bool{}); err != nil {
		return nil, nil, nil, err
	}
	rw, err := ix.regroup(ctx, set, bl, cs, nil, nil, next)
	if err != nil {
		return nil, nil, nil, err
	}
	rw.force = true
	batchOf := func(shard string) *bleve.Batch {
		b := batches[shard]
		if b == nil {
			b = set.main.NewBatch()
			batches[shard] = b
		}
		return b
	}
	if _, _, err := rw.write(ix.an, bl, batchOf); err != nil {
		return nil, nil, nil, err
	}
	next, _ = rw.placed(next)
	done := map[docRef]bool{}
	var out []event.Event
	for _, id := range slices.Sorted(maps.Keys(rw.clusters)) {
		c := rw.clusters[id]
		done[docRef{id: id, shard: c.shard}] = true
		if c.merged != nil {
			out = append(out, *c.merged)
		}
	}
	for _, d := range rw.deletes {
		done[d] = true
		if _, kept := rw.clusters[d.id]; !kept {
			out = append(out, event.Event{ID: d.id, Hidden: true})
		}
	}
	return next, out, done, nil
}

// rewriteDoc adds to its index's batch the document of ref recomputed
// from its stored members with the corrections of st, records where it
// lives in st, and returns the event as stored.
func (ix *Index) rewriteDoc(set *shardSet, bl *blocker, st *correctionState, ref docRef, batches map[string]*bleve.Batch) (event.Event, error) {
	b := set.get(ref.shard)
	rawMembers, err := storedField(b, ref.id, fMembers)
	if err != nil || rawMembers == nil {
		return event.Event{}, errors.Join(errors.New("members not found"), err)
	}
	var ms []event.Event
	if err := json.Unmarshal(rawMembers, &ms); err != nil {
		return event.Event{}, fmt.Errorf("decode members: %w", err)
	}
	e := merge(ref.id, ms)
	// The former ids as Apply wrote them: merges and splits add some.
	rawOld, err := storedField(b, ref.id, fEvent)
	if err != nil {
		return event.Event{}, err
	}
	var old event.Event
	if err := json.Unmarshal(rawOld, &old); err != nil {
		return event.Event{}, fmt.Errorf("decode: %w", err)
	}
	e.FormerIDs = old.FormerIDs
	e = ix.corrected(e, st)
	rawEvent, err := json.Marshal(e)
	if err != nil {
		return event.Event{}, fmt.Errorf("encode: %w", err)
	}
	doc := newDocument(ix.an, e, rawEvent, ms, rawMembers)
	addBlocking(doc, ix.an, bl, e, ms)
	batch := batches[ref.shard]
	if batch == nil {
		batch = b.NewBatch()
		batches[ref.shard] = batch
	}
	if err := batch.IndexAdvanced(doc); err != nil {
		return event.Event{}, err
	}
	st.place(e, ref.shard)
	return asStored(e, rawEvent)
}

// writeCorrected writes the periods' batches, then main's with st's
// record, each durable before the next. A period that does not exist yet
// (a report split out of a cluster of another period) is created, with
// main's checkpoint, and recorded in main as Apply does.
func (ix *Index) writeCorrected(set *shardSet, st *correctionState, batches map[string]*bleve.Batch) error {
	var names []string
	var created []string
	for name := range batches {
		if name == mainShard {
			continue
		}
		names = append(names, name)
		if set.get(name) == nil {
			b, err := ix.createPeriod(name)
			if err != nil {
				return err
			}
			set = set.with(name, b)
			ix.set.Store(set)
			created = append(created, name)
		}
	}
	var cp uint64
	if len(created) > 0 {
		raw, err := set.main.GetInternal(keyCheckpoint)
		if err != nil {
			return fmt.Errorf("read checkpoint: %w", err)
		}
		if cp, err = decodeCheckpoint(raw); err != nil {
			return err
		}
		for _, name := range created {
			batches[name].SetInternal(keyCheckpoint, encodeCheckpoint(cp))
		}
	}
	if err := writePeriods(set, names, batches); err != nil {
		return err
	}
	main := batches[mainShard]
	if main == nil {
		main = set.main.NewBatch()
	}
	if err := st.setInternal(main); err != nil {
		return err
	}
	if len(created) > 0 {
		marks, err := readShardMarks(set.main)
		if err != nil {
			return err
		}
		for _, name := range created {
			marks[name] = cp
		}
		raw, err := json.Marshal(marks)
		if err != nil {
			return fmt.Errorf("encode period checkpoints: %w", err)
		}
		main.SetInternal(keyShards, raw)
	}
	if err := set.main.Batch(main); err != nil {
		return fmt.Errorf("write main: %w", err)
	}
	return nil
}
