package alert

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/event"
)

// The alerter sees one article's events at a time, while the index merges
// reports of one happening from many articles into one event (see
// Options.ClusterID). To apply min_sources as the timeline does, the
// alerter keeps in SourcesBucket, per merged id, which articles and feeds
// reported it, as far as it tracked them (process tracks a set only when
// a rule matches it, or its article was tracked before):
//
//   - cluster.<merged id>: a sourceSet, the members (one per event read
//     from an article) sorted as the index sorts them;
//   - article.<article>: an articleSources, the merged ids the article's
//     latest set contributed to, the stream sequence of that set, and the
//     corrections it made (see below).
//
// Both are changed only with compare-and-set. An article record is first
// widened to the union of the old and new merged ids, then the members
// are moved, then it is narrowed to the new ones; so a crash at any step
// leaves a record that names every cluster the article may still be in,
// and the next set of that article (or the redelivery) cleans them.
//
// A correction is an article whose new set moves an event to another
// merged event: the same type, actors and first place (its lineage), now
// with another date or status. Widening computes them, before any member
// moves, and records them with the set's sequence, so a redelivery of the
// set finds the same ones. The alerter treats the new merged event as an
// update of the old one (see claimAs).

// member is one event, read from one article, of a merged event.
type member struct {
	EventID  string           `json:"event_id"`
	Article  event.ArticleRef `json:"article"`
	Sentence string           `json:"sentence,omitempty"`
	// Lineage is what stays when the article corrects the event's date
	// or status (see lineage).
	Lineage string `json:"lineage,omitempty"`
}

// lineage digests what an article's corrected event keeps: its type,
// actors and first place, as the index anchors merged events. Two events
// of one lineage in an article's consecutive sets, under other merged
// ids, are one event corrected.
func lineage(e event.Event) string {
	actors := make([]string, 0, len(e.Actors))
	for _, a := range e.Actors {
		actors = append(actors, strings.ToLower(strings.TrimSpace(a)))
	}
	slices.Sort(actors)
	place := ""
	if len(e.Places) > 0 {
		place = strings.ToLower(strings.TrimSpace(e.Places[0].Name))
	}
	h := sha256.Sum256([]byte(e.Type + "\x00" + strings.Join(slices.Compact(actors), "\x1f") + "\x00" + place))
	return hex.EncodeToString(h[:8])
}

// sourceSet is what is known of a merged event's reports.
type sourceSet struct {
	Members []member `json:"members"`
}

// feeds returns the distinct sources of s, sorted, counted as the index
// counts them: by feed, an article without a feed being its own source.
func (s sourceSet) feeds() []string {
	var out []string
	for _, m := range s.Members {
		k := "article\x00" + m.Article.ID
		if m.Article.Feed != "" {
			k = "feed\x00" + m.Article.Feed
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// count is the number of distinct sources of s.
func (s sourceSet) count() int { return len(s.feeds()) }

// fingerprint changes when, and only when, the sources of s change.
func (s sourceSet) fingerprint() string {
	h := sha256.Sum256([]byte(strings.Join(s.feeds(), "\x01")))
	return hex.EncodeToString(h[:8])
}

// with returns the members of s not read from article aid, plus add, in
// the index's member order.
func (s sourceSet) with(aid string, add []member) sourceSet {
	out := sourceSet{Members: []member{}}
	for _, m := range s.Members {
		if m.Article.ID != aid {
			out.Members = append(out.Members, m)
		}
	}
	out.Members = append(out.Members, add...)
	sortMembers(out.Members)
	return out
}

// sortMembers sorts ms in the index's member order.
func sortMembers(ms []member) {
	slices.SortFunc(ms, func(a, b member) int {
		if c := a.Article.Published.Compare(b.Article.Published); c != 0 {
			return c
		}
		if c := strings.Compare(a.Article.ID, b.Article.ID); c != 0 {
			return c
		}
		return strings.Compare(a.EventID, b.EventID)
	})
}

// articleSources is what an article's latest set contributed.
type articleSources struct {
	// Seq is the EVENTS stream sequence of the set; an older set
	// (a late redelivery) changes nothing.
	Seq uint64 `json:"seq"`
	// Clusters are the merged ids the article may have members in, sorted.
	Clusters []string `json:"clusters"`
	// Moved maps each merged id the set of Seq moved an event to, to the
	// merged id it left: the corrections of that set.
	Moved map[string]string `json:"moved,omitempty"`
}

func mergedKey(id string) string   { return "cluster." + id }
func articleKey(aid string) string { return "article." + keySafe(aid) }

// tracked is the outcome of tracking one set: the merged id of each of
// its events, the sources of those merged events and the corrections.
type tracked struct {
	cluster map[string]string    // event id -> merged id
	sources map[string]sourceSet // merged id -> its sources
	moved   map[string]string    // merged id -> the merged id it corrects
	former  map[string][]string  // merged id -> the ids the index's merged event absorbed
	// stale is true for a set older in the stream than the last one
	// tracked for its article: a later version superseded it.
	stale bool
}

// count returns the distinct sources of the merged event of event id.
func (t tracked) count(eventID string) int { return t.sources[t.cluster[eventID]].count() }

// track records the set's events as members of their merged events and
// removes the article's members from merged events its events left. seq
// is the set's stream sequence (0 if unknown). It is idempotent: a
// redelivered set finds everything done. A set older than the last one
// tracked for its article only reads.
func (a *Alerter) track(ctx context.Context, set event.Set, seq uint64) (tracked, error) {
	t := tracked{cluster: map[string]string{}, sources: map[string]sourceSet{}, former: map[string][]string{}}
	aid := set.ArticleID()
	mine := map[string][]member{}
	deadline := time.Now().Add(a.opts.IdentityWait)
	for _, e := range set.Events {
		if e.ID == "" {
			continue
		}
		if e.Article.ID == "" {
			e.Article = set.Article
		}
		id, former, err := a.identify(ctx, e, deadline)
		if err != nil {
			return t, err
		}
		t.cluster[e.ID] = id
		if len(former) > 0 {
			t.former[id] = union(t.former[id], former)
		}
		mine[id] = append(mine[id], member{EventID: e.ID, Article: e.Article, Sentence: e.Sentence, Lineage: lineage(e)})
	}
	ids := sortedKeys(mine)
	if aid == "" { // nothing to key it by: count it, store nothing
		return t, a.peek(ctx, t, ids, mine)
	}
	prev, moved, stale, err := a.widen(ctx, aid, seq, mine)
	t.moved, t.stale = moved, stale
	if err != nil || stale {
		return t, errors.Join(err, a.peek(ctx, t, ids, nil))
	}
	for _, id := range prev {
		if _, ok := mine[id]; !ok {
			if _, err := a.setMembers(ctx, id, aid, nil); err != nil {
				return t, err
			}
		}
	}
	for _, id := range ids {
		s, err := a.setMembers(ctx, id, aid, mine[id])
		if err != nil {
			return t, err
		}
		if s, err = a.withFormer(ctx, s, id, t.former[id]); err != nil {
			return t, err
		}
		t.sources[id] = s
	}
	return t, a.narrow(ctx, aid, seq, ids)
}

// identify returns the merged id of e and the ids its merged event
// absorbed: the index's (Options.Identity) when it holds e, else the
// exact key (Options.ClusterID) and none.
//
// The alerter and the indexer consume EVENTS apart, so the alerter may
// read a set before the indexer has applied it. Until deadline (one per
// set: Options.IdentityWait from its start) it asks again; after it, an
// event the index does not hold yet is keyed by ClusterID, which is also
// the id the index gives the report's group (its merged id while it stands
// alone, else one of its merged event's FormerIDs). That is repaired by
// the next report of the happening: the index then names the merged event
// with that key among its FormerIDs, whose sources count with it
// (withFormer) and whose alert makes its alert a follow-up (claimMerged).
func (a *Alerter) identify(ctx context.Context, e event.Event, deadline time.Time) (string, []string, error) {
	if a.opts.Identity == nil {
		return a.opts.ClusterID(e), nil, nil
	}
	delay := 10 * time.Millisecond
	for {
		id, former, found, err := a.opts.Identity(ctx, e)
		if err != nil {
			return "", nil, fmt.Errorf("identify event %s: %w", e.ID, err)
		}
		if found && id != "" {
			return id, former, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		select {
		case <-ctx.Done():
			return "", nil, ctx.Err()
		case <-time.After(min(delay, left)):
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
	id := a.opts.ClusterID(e)
	a.log.Debug("alerter: the index does not hold the event yet; keyed by its report group", "event", e.ID, "cluster", id)
	return id, nil, nil
}

// withFormer adds to s, the sources of merged id, those recorded under the
// ids its merged event absorbed: each article's members once, those under
// id first. An article whose members moved from a former id to id leaves
// the former id's record when its set is tracked (see track).
func (a *Alerter) withFormer(ctx context.Context, s sourceSet, id string, former []string) (sourceSet, error) {
	if len(former) == 0 {
		return s, nil
	}
	out := sourceSet{Members: slices.Clone(s.Members)}
	have := map[string]bool{}
	for _, m := range s.Members {
		have[m.Article.ID] = true
	}
	added := false
	for _, f := range former {
		if f == id {
			continue
		}
		fs, err := a.sourcesOf(ctx, f)
		if err != nil {
			return s, err
		}
		got := map[string]bool{}
		for _, m := range fs.Members {
			if !have[m.Article.ID] {
				out.Members = append(out.Members, m)
				got[m.Article.ID], added = true, true
			}
		}
		for k := range got {
			have[k] = true
		}
	}
	if !added {
		return s, nil
	}
	sortMembers(out.Members)
	return out, nil
}

// untrack handles a set that no rule matches: nothing of it is recorded,
// unless its article was tracked before (an earlier set matched a rule),
// in which case it is tracked, so that the merged events the article's
// events leave stop counting it. It reads one key, and only when the set
// has an article.
func (a *Alerter) untrack(ctx context.Context, set event.Set, seq uint64) error {
	aid := set.ArticleID()
	if aid == "" {
		return nil
	}
	_, err := a.st.sources.Get(ctx, articleKey(aid))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("get sources of article %s: %w", aid, err)
	}
	_, err = a.track(ctx, set, seq)
	return err
}

// peek fills t with the stored sources of ids, plus the members in
// mine (not stored).
func (a *Alerter) peek(ctx context.Context, t tracked, ids []string, mine map[string][]member) error {
	for _, id := range ids {
		s, err := a.sourcesOf(ctx, id)
		if err != nil {
			return err
		}
		if len(mine[id]) > 0 {
			s = s.with(mine[id][0].Article.ID, mine[id])
		}
		if s, err = a.withFormer(ctx, s, id, t.former[id]); err != nil {
			return err
		}
		t.sources[id] = s
	}
	return nil
}

// widen adds the merged ids of mine to those recorded for article aid and
// records seq with the set's corrections, unless the record is of a later
// set (stale). It returns the ids recorded before and the corrections;
// a redelivered set (the same seq) gets the corrections recorded the
// first time, since its members may have moved already.
func (a *Alerter) widen(ctx context.Context, aid string, seq uint64, mine map[string][]member) (prev []string, moved map[string]string, stale bool, err error) {
	ids := sortedKeys(mine)
	err = casUpdate(ctx, a.st.sources, articleKey(aid), func(old []byte) ([]byte, error) {
		var rec articleSources
		if old != nil {
			if err := json.Unmarshal(old, &rec); err != nil {
				a.log.Warn("alerter: undecodable article sources replaced", "article", aid, "err", err)
				rec = articleSources{}
			}
		}
		prev, stale = rec.Clusters, seq != 0 && seq < rec.Seq
		if stale {
			moved = nil
			return old, nil
		}
		if seq == 0 || seq != rec.Seq {
			var err error
			if rec.Moved, err = a.corrections(ctx, aid, rec.Clusters, mine); err != nil {
				return nil, err
			}
		}
		moved = rec.Moved
		rec.Seq = max(rec.Seq, seq)
		rec.Clusters = union(rec.Clusters, ids)
		return json.Marshal(rec)
	})
	return prev, moved, stale, err
}

// corrections finds the events of article aid that move from one merged
// event to another: for each merged id of mine that the article was not
// in before, the merged id among prev that the article leaves and where
// its member had the same lineage.
func (a *Alerter) corrections(ctx context.Context, aid string, prev []string, mine map[string][]member) (map[string]string, error) {
	left := map[string]string{} // lineage -> merged id left
	for _, id := range prev {
		if _, stays := mine[id]; stays {
			continue
		}
		s, err := a.sourcesOf(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, m := range s.Members {
			if m.Article.ID == aid && m.Lineage != "" {
				left[m.Lineage] = id
			}
		}
	}
	var moved map[string]string
	for _, id := range sortedKeys(mine) {
		if slices.Contains(prev, id) {
			continue
		}
		for _, m := range mine[id] {
			if from, ok := left[m.Lineage]; ok {
				if moved == nil {
					moved = map[string]string{}
				}
				moved[id] = from
				delete(left, m.Lineage)
				break
			}
		}
	}
	return moved, nil
}

// narrow sets the merged ids recorded for article aid to ids, unless a
// later set of the article took over the record.
func (a *Alerter) narrow(ctx context.Context, aid string, seq uint64, ids []string) error {
	return casUpdate(ctx, a.st.sources, articleKey(aid), func(old []byte) ([]byte, error) {
		var rec articleSources
		if old != nil {
			if err := json.Unmarshal(old, &rec); err != nil {
				return nil, fmt.Errorf("decode sources of article %s: %w", aid, err)
			}
		}
		if seq != 0 && rec.Seq != seq {
			return old, nil // a later set of the article took over
		}
		rec.Clusters = ids
		return json.Marshal(rec)
	})
}

// setMembers replaces the members of merged event id read from article
// aid with ms (none: removes them) and returns its sources.
func (a *Alerter) setMembers(ctx context.Context, id, aid string, ms []member) (sourceSet, error) {
	var s sourceSet
	err := casUpdate(ctx, a.st.sources, mergedKey(id), func(old []byte) ([]byte, error) {
		s = sourceSet{}
		if old != nil {
			if err := json.Unmarshal(old, &s); err != nil {
				a.log.Warn("alerter: undecodable sources replaced", "cluster", id, "err", err)
				s = sourceSet{}
			}
		}
		s = s.with(aid, ms)
		if len(s.Members) == 0 {
			return nil, nil
		}
		return json.Marshal(s)
	})
	return s, err
}

// sourcesOf reads the sources of merged event id.
func (a *Alerter) sourcesOf(ctx context.Context, id string) (sourceSet, error) {
	var s sourceSet
	e, err := a.st.sources.Get(ctx, mergedKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("get sources of %s: %w", id, err)
	}
	if err := json.Unmarshal(e.Value(), &s); err != nil {
		return sourceSet{}, fmt.Errorf("decode sources of %s: %w", id, err)
	}
	return s, nil
}

// maxCASAttempts bounds the retries of one compare-and-set.
const maxCASAttempts = 10

// casUpdate applies f to the value of key (nil when absent) and writes
// the result at the revision read, retrying when another writer came
// first. f returning the old bytes unchanged writes nothing; returning
// nil deletes the key. After maxCASAttempts conflicts it returns
// errConflict, so the event set is redelivered.
func casUpdate(ctx context.Context, kv jetstream.KeyValue, key string, f func(old []byte) ([]byte, error)) error {
	for range maxCASAttempts {
		var old []byte
		var rev uint64
		e, err := kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
		case err != nil:
			return fmt.Errorf("get %s: %w", key, err)
		default:
			old, rev = e.Value(), e.Revision()
		}
		val, err := f(old)
		if err != nil {
			return err
		}
		switch {
		case bytes.Equal(val, old) && (val == nil) == (old == nil):
			return nil
		case val == nil:
			err = kv.Delete(ctx, key, jetstream.LastRevision(rev))
		case rev == 0:
			_, err = kv.Create(ctx, key, val)
		default:
			_, err = kv.Update(ctx, key, val, rev)
		}
		if err == nil {
			return nil
		}
		if !isCASConflict(err) {
			return fmt.Errorf("write %s: %w", key, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return errConflict
}

// isCASConflict reports whether err is a lost compare-and-set.
func isCASConflict(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || bus.IsWrongLastSequence(err)
}

// mergedEvent is e as the alert of merged event id reports it: the
// merged id (whose Dateline link is the timeline's event), the sources
// known so far and their count.
func mergedEvent(e event.Event, id string, s sourceSet) event.Event {
	e.ID = id
	e.SourceCount = s.count()
	e.Sources = make([]event.Source, 0, len(s.Members))
	for _, m := range s.Members {
		e.Sources = append(e.Sources, event.Source{ArticleRef: m.Article, EventID: m.EventID, Sentence: m.Sentence})
	}
	if len(s.Members) > 0 {
		e.Article = s.Members[0].Article
	}
	return e
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// union returns the sorted union of a and b.
func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
