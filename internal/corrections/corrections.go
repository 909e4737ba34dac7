// Package corrections keeps what analysts correct about events: an event
// marked wrong (hidden from searches, kept for audit) or given another
// type, date or actors. Corrections live in a JetStream key-value bucket,
// so they survive restarts and a rebuild of the index (which is a view of
// the EVENTS stream), every replica reads the same ones, and the bucket's
// history keeps who changed what. Labels makes them labelled
// articles in the dev-set gold format, so what analysts fix becomes tests
// for the extraction rules.
package corrections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/event"
)

// Bucket is the key-value bucket corrections live in, one key per
// corrected event id.
const Bucket = "DATELINE_CORRECTIONS"

// history is how many past versions of a correction the bucket keeps (the
// audit trail; JetStream's maximum).
const history = 64

// Correction is what an analyst says about one event. The zero values of
// Type, Date and Actors change nothing.
type Correction struct {
	// EventID is the id of the corrected event (a merged event's id, or
	// one of its former ids, as the API answered it).
	EventID string `json:"event_id"`
	// Hidden marks the event wrong: searches, exports and the stream
	// leave it out; it is kept for audit.
	Hidden bool `json:"hidden,omitempty"`
	// Type, Date and DateEnd replace the event's; Actors replace its
	// actors when not nil.
	Type    string   `json:"type,omitempty"`
	Date    string   `json:"date,omitempty"`
	DateEnd string   `json:"date_end,omitempty"`
	Actors  []string `json:"actors,omitempty"`
	// MergeInto, set alone, merges the event into the event with this
	// id: one event with the sources of both, under the target's id
	// (the merged one's id then finds it). The correction is keyed by
	// the merged event's id.
	MergeInto string `json:"merge_into,omitempty"`
	// Split takes a report out of the event it was merged into: it
	// stands as an event of its own, under the report's own event id. The
	// correction is keyed by the report's event id (one of the event's
	// sources' event_id); with Hidden, Type, Date, DateEnd or Actors it
	// also corrects the event the report then is.
	Split bool `json:"split,omitempty"`
	// Note says why, in the analyst's words.
	Note string `json:"note,omitempty"`
	// By names who corrected it; At is when (set by Put).
	By string    `json:"by,omitempty"`
	At time.Time `json:"at"`
}

// ErrNotFound is returned (wrapped) by Get for an event without a
// correction.
var ErrNotFound = errors.New("no correction")

// Check reports what is wrong with c: no event id, a date that does not
// parse, a type not in types (when types is not nil), or nothing to
// correct.
func (c Correction) Check(types []string) error {
	switch {
	case strings.TrimSpace(c.EventID) == "":
		return errors.New("event_id: empty")
	case strings.ContainsAny(c.EventID, " .*>\t\r\n"):
		return fmt.Errorf("event_id: %q is not an event id", c.EventID)
	case c.MergeInto != "" && (c.Changes() || c.Split):
		return errors.New("merge_into goes alone: no hidden, type, date, date_end, actors or split with it")
	case c.MergeInto == c.EventID:
		return errors.New("merge_into: an event cannot be merged into itself")
	case strings.ContainsAny(c.MergeInto, " .*>\t\r\n"):
		return fmt.Errorf("merge_into: %q is not an event id", c.MergeInto)
	case !c.Changes() && !c.Regroups():
		return errors.New("nothing to correct: give hidden, type, date, date_end, actors, merge_into or split")
	}
	if c.Type != "" && types != nil && !slices.Contains(types, c.Type) {
		return fmt.Errorf("type: %q is not one of %s", c.Type, strings.Join(types, ", "))
	}
	for _, d := range []struct{ key, v string }{{"date", c.Date}, {"date_end", c.DateEnd}} {
		if d.v == "" {
			continue
		}
		if _, _, _, ok := event.ParseDate(d.v); !ok {
			return fmt.Errorf("%s: %q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d.key, d.v)
		}
	}
	for i, a := range c.Actors {
		if strings.TrimSpace(a) == "" {
			return fmt.Errorf("actors[%d]: empty", i)
		}
	}
	return nil
}

// Changes reports whether c hides the event or changes its type, dates
// or actors.
func (c Correction) Changes() bool {
	return c.Hidden || c.Type != "" || c.Date != "" || c.DateEnd != "" || c.Actors != nil
}

// Regroups reports whether c merges the event into another or splits a
// report out of its event.
func (c Correction) Regroups() bool { return c.MergeInto != "" || c.Split }

// Apply returns e as corrected by c (Hidden is the caller's to act on).
func (c Correction) Apply(e event.Event) event.Event {
	if c.Type != "" {
		e.Type = c.Type
	}
	if c.Date != "" {
		e.Date = c.Date
		if _, _, prec, ok := event.ParseDate(c.Date); ok {
			e.Precision = prec
		}
		e.DateEnd = c.DateEnd
	} else if c.DateEnd != "" {
		e.DateEnd = c.DateEnd
	}
	if c.Actors != nil {
		e.Actors = slices.Clone(c.Actors)
	}
	return e
}

// Store reads and writes corrections in the bucket.
type Store struct {
	kv jetstream.KeyValue
}

// Open binds the corrections bucket, creating it (with replicas copies,
// at least 1) when it does not exist.
func Open(ctx context.Context, js jetstream.JetStream, replicas int) (*Store, error) {
	kv, err := js.KeyValue(ctx, Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket: Bucket, Description: "Dateline: analysts' corrections of events, by event id",
			History: history, Replicas: max(replicas, 1), Storage: jetstream.FileStorage,
		})
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = js.KeyValue(ctx, Bucket)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open corrections bucket %s: %w", Bucket, err)
	}
	return &Store{kv: kv}, nil
}

// Put stores c (checked with Check against types), stamped with the
// current time, replacing the event's earlier correction, which the
// bucket's history keeps. It returns c as stored.
func (s *Store) Put(ctx context.Context, c Correction, types []string) (Correction, error) {
	if err := c.Check(types); err != nil {
		return c, fmt.Errorf("correct event %q: %w", c.EventID, err)
	}
	c.At = time.Now().UTC().Truncate(time.Millisecond)
	raw, err := json.Marshal(c)
	if err != nil {
		return c, fmt.Errorf("correct event %s: encode: %w", c.EventID, err)
	}
	if _, err := s.kv.Put(ctx, c.EventID, raw); err != nil {
		return c, fmt.Errorf("correct event %s: store: %w", c.EventID, err)
	}
	return c, nil
}

// Get returns the correction of an event, ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, eventID string) (Correction, error) {
	entry, err := s.kv.Get(ctx, eventID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Correction{}, fmt.Errorf("correction of event %s: %w", eventID, ErrNotFound)
	}
	if err != nil {
		return Correction{}, fmt.Errorf("read correction of event %s: %w", eventID, err)
	}
	return decode(entry)
}

// History returns every stored version of an event's correction, oldest
// first (the audit trail).
func (s *Store) History(ctx context.Context, eventID string) ([]Correction, error) {
	entries, err := s.kv.History(ctx, eventID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read history of correction of event %s: %w", eventID, err)
	}
	var out []Correction
	for _, e := range entries {
		if e.Operation() != jetstream.KeyValuePut {
			continue
		}
		c, err := decode(e)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// List returns every current correction, by event id.
func (s *Store) List(ctx context.Context) ([]Correction, error) {
	lister, err := s.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list corrections: %w", err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]Correction, 0, len(keys))
	for _, k := range keys {
		c, err := s.Get(ctx, k)
		if errors.Is(err, ErrNotFound) {
			continue // deleted since listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Delete withdraws an event's correction; the history keeps it.
func (s *Store) Delete(ctx context.Context, eventID string) error {
	if err := s.kv.Delete(ctx, eventID); err != nil {
		return fmt.Errorf("withdraw correction of event %s: %w", eventID, err)
	}
	return nil
}

func decode(e jetstream.KeyValueEntry) (Correction, error) {
	var c Correction
	if err := json.Unmarshal(e.Value(), &c); err != nil {
		return c, fmt.Errorf("decode correction %s (revision %d): %w", e.Key(), e.Revision(), err)
	}
	return c, nil
}

// Change is one change of the corrections: Correction stored under
// EventID, or, when Correction is nil, the correction of EventID
// withdrawn.
type Change struct {
	EventID    string
	Correction *Correction
}

// Watch follows the bucket until ctx ends: it calls initial once with
// every current correction, then change for each later change, in the
// bucket's order, from the calling goroutine. It returns nil when ctx
// ends, else the first error of a callback or of the watch (the caller
// may call Watch again: initial then gives the whole state anew, so a
// callback that is idempotent misses nothing). ctx bounds the callbacks
// too.
func (s *Store) Watch(ctx context.Context, initial func(context.Context, []Correction) error, change func(context.Context, Change) error) error {
	w, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watch corrections: %w", err)
	}
	defer func() { _ = w.Stop() }()
	var current []Correction
	started := false
	for {
		var entry jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case entry, ok = <-w.Updates():
		}
		if !ok {
			if ctx.Err() != nil {
				return nil
			}
			return errors.New("watch corrections: the watch ended")
		}
		switch {
		case entry == nil: // every current value delivered
			if started {
				continue
			}
			started = true
			if err := initial(ctx, current); err != nil {
				return err
			}
			current = nil
		case entry.Operation() != jetstream.KeyValuePut:
			if started {
				if err := change(ctx, Change{EventID: entry.Key()}); err != nil {
					return err
				}
			}
		default:
			c, err := decode(entry)
			if err != nil {
				return err
			}
			if !started {
				current = append(current, c)
				continue
			}
			if err := change(ctx, Change{EventID: entry.Key(), Correction: &c}); err != nil {
				return err
			}
		}
	}
}
