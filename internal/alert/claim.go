package alert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/event"
)

// seen is what a rule last did with a merged event (SeenBucket, key
// <rule>.c<merged id>). It is written before the deliveries and marked
// Done after, so a crash in between redoes the same work on redelivery:
// the same window, the same delivery ids.
type seen struct {
	// FP is the fingerprint of the sources being alerted.
	FP string `json:"fp"`
	// Update is true when this version is a follow-up.
	Update bool `json:"update,omitempty"`
	// At is when the version was first matched (digest and threshold
	// windows are taken from it).
	At time.Time `json:"at"`
	// Done is true once the deliveries or window entries exist.
	Done bool `json:"done"`
	// Window is the end of the digest window the version was put in when
	// that is not the window of At: a claim redone after that window
	// ended (see placeDigest). Zero means the window of At.
	Window time.Time `json:"window,omitzero"`
}

// subject is the delivery (and window entry) subject of this version of
// the key-safe subject id.
func (st seen) subject(id string) string {
	if st.Update {
		return "e" + id + "-" + st.FP
	}
	return "e" + id
}

// window is the end of the digest window of r this version goes into.
func (st seen) window(r *compiled) time.Time {
	if !st.Window.IsZero() {
		return st.Window
	}
	return r.windowEnd(st.At)
}

// errConflict means another alerter changed a record first; the message
// is redelivered and worked again.
var errConflict = errors.New("concurrent update")

// claimMerged records that rule r matched the merged event id (reported
// as e, with its sources s) and makes its deliveries (or window entries)
// exist: once per (rule, merged id, destination); with follow_ups, once
// more each time the set of sources changes. from, when not empty, is the
// merged id the article of e corrected into id (see corrections): if r
// alerted it, the new merged event is an update of it, sent only with
// follow_ups. former are the ids the index's merged event absorbed (see
// Options.Identity): when r alerted one of them and not yet id, id is
// that event under its new id, likewise an update.
func (a *Alerter) claimMerged(ctx context.Context, r *compiled, e event.Event, id string, s sourceSet, from string, former []string) error {
	if from == "" && len(former) > 0 {
		var err error
		if from, err = a.alertedFormer(ctx, r, id, former); err != nil {
			return err
		}
	}
	return a.claimAs(ctx, r, mergedEvent(e, id, s), "c"+id, s.fingerprint(), from)
}

// alertedFormer returns the first of former that rule r alerted, when r
// has no claim on merged id yet; "" otherwise.
func (a *Alerter) alertedFormer(ctx context.Context, r *compiled, id string, former []string) (string, error) {
	_, err := a.st.seen.Get(ctx, r.id+".c"+id)
	switch {
	case err == nil:
		return "", nil
	case !errors.Is(err, jetstream.ErrKeyNotFound):
		return "", fmt.Errorf("look up %s.c%s: %w", r.id, id, err)
	}
	for _, f := range former {
		if f == id {
			continue
		}
		done, err := a.alerted(ctx, r, "c"+f)
		if err != nil || done {
			return f, err
		}
	}
	return "", nil
}

// claimAs is claim under the key-safe subject id and version fp: the seen
// key is <rule>.<id>, the delivery subject e<id>. from is the key-safe
// subject id a correction came from, or "".
func (a *Alerter) claimAs(ctx context.Context, r *compiled, e event.Event, id, fp, from string) error {
	key := r.id + "." + id
	var st seen
	var rev uint64
	entry, err := a.st.seen.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		st = seen{FP: fp, At: a.now().UTC()}
		if from != "" {
			corrected, err := a.alerted(ctx, r, "c"+from)
			if err != nil {
				return err
			}
			// A correction of an alerted event is its follow-up; without
			// follow_ups it is recorded and nothing is sent.
			st.Update, st.Done = corrected, corrected && !r.FollowUps
		}
		raw, _ := json.Marshal(st)
		if rev, err = a.st.seen.Create(ctx, key, raw); err != nil {
			if errors.Is(err, jetstream.ErrKeyExists) {
				return errConflict
			}
			return fmt.Errorf("claim %s: %w", key, err)
		}
		if st.Done {
			return nil
		}
	case err != nil:
		return fmt.Errorf("look up %s: %w", key, err)
	default:
		rev = entry.Revision()
		if err := json.Unmarshal(entry.Value(), &st); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		if st.Done {
			if st.FP == fp || !r.FollowUps {
				return nil
			}
			st = seen{FP: fp, Update: true, At: a.now().UTC()}
			raw, _ := json.Marshal(st)
			if rev, err = a.st.seen.Update(ctx, key, raw, rev); err != nil {
				return errConflict
			}
		}
	}
	if r.Mode == Digest {
		var put bool
		if st, rev, put, err = a.placeDigest(ctx, r, key, id, st, rev); err != nil {
			return err
		}
		if !put {
			st.Done = true
			raw, _ := json.Marshal(st)
			if _, err := a.st.seen.Update(ctx, key, raw, rev); err != nil {
				return errConflict
			}
			return nil
		}
	}
	if err := a.emit(ctx, r, e, id, st); err != nil {
		return err
	}
	st.Done = true
	raw, _ := json.Marshal(st)
	if _, err := a.st.seen.Update(ctx, key, raw, rev); err != nil {
		return errConflict
	}
	return nil
}

// alerted reports whether rule r has alerted the subject id (its seen
// mark is done).
func (a *Alerter) alerted(ctx context.Context, r *compiled, id string) (bool, error) {
	entry, err := a.st.seen.Get(ctx, r.id+"."+id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up %s.%s: %w", r.id, id, err)
	}
	var st seen
	if err := json.Unmarshal(entry.Value(), &st); err != nil {
		return false, fmt.Errorf("decode %s.%s: %w", r.id, id, err)
	}
	return st.Done, nil
}

// emit creates the deliveries of an immediate rule, or the window entry
// of a digest or threshold rule.
func (a *Alerter) emit(ctx context.Context, r *compiled, e event.Event, id string, st seen) error {
	subject := st.subject(id)
	kind := kindEvent
	if st.Update {
		kind = kindUpdate
	}
	switch r.Mode {
	case Digest:
		return a.putWindow(ctx, digestKey(r, st.window(r), subject), windowEntry{At: st.At, Event: e})
	case Threshold:
		if err := a.putWindow(ctx, "threshold."+r.id+"."+subject, windowEntry{At: st.At, Event: e}); err != nil {
			return err
		}
		return a.checkThreshold(ctx, r)
	}
	return a.deliver(ctx, r, kind, subject, []event.Event{e})
}

// deliver enqueues one delivery per destination of r.
func (a *Alerter) deliver(ctx context.Context, r *compiled, kind, subject string, events []event.Event) error {
	now := a.now().UTC()
	for _, d := range r.dests {
		del := Delivery{
			ID: d.id + "." + r.id + "." + subject, Rule: r.Name, Destination: d.id, Kind: d.Kind,
			Type: kind, Events: events, Status: StatusPending, Created: now, Updated: now,
		}
		if err := a.st.enqueue(ctx, del); err != nil {
			return err
		}
	}
	return nil
}

// windowEntry is an event waiting in a digest or threshold window.
type windowEntry struct {
	At    time.Time   `json:"at"`
	Event event.Event `json:"event"`
	key   string      // where it is stored
}

func (a *Alerter) putWindow(ctx context.Context, key string, w windowEntry) error {
	raw, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("encode window entry: %w", err)
	}
	if _, err := a.st.windows.Put(ctx, key, raw); err != nil {
		return fmt.Errorf("put window entry %s: %w", key, err)
	}
	return nil
}

// loadWindow reads the entries under keys, oldest first.
func (a *Alerter) loadWindow(ctx context.Context, ks []string) ([]windowEntry, error) {
	var out []windowEntry
	for _, k := range ks {
		e, err := a.st.windows.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("get window entry %s: %w", k, err)
		}
		var w windowEntry
		if err := json.Unmarshal(e.Value(), &w); err != nil {
			a.log.Warn("alerter: undecodable window entry dropped", "key", k, "err", err)
			_ = deleteKey(ctx, a.st.windows, k)
			continue
		}
		w.key = k
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// checkThreshold sends one message when r has Threshold entries within
// its window, then starts counting afresh. Entries older than the window
// are dropped.
func (a *Alerter) checkThreshold(ctx context.Context, r *compiled) error {
	ks, err := keys(ctx, a.st.windows, "threshold."+r.id+".>")
	if err != nil {
		return err
	}
	entries, err := a.loadWindow(ctx, ks)
	if err != nil {
		return err
	}
	cutoff := a.now().Add(-r.window)
	var live []windowEntry
	for _, w := range entries {
		if w.At.Before(cutoff) {
			if err := deleteKey(ctx, a.st.windows, w.key); err != nil {
				return err
			}
			continue
		}
		live = append(live, w)
	}
	if len(live) < r.Threshold {
		return nil
	}
	h := sha256.New()
	events := make([]event.Event, 0, len(live))
	for _, w := range live {
		h.Write([]byte(w.Event.ID + "\x00"))
		events = append(events, w.Event)
	}
	subject := "t" + hex.EncodeToString(h.Sum(nil)[:8])
	if err := a.deliver(ctx, r, kindThreshold, subject, events); err != nil {
		return err
	}
	for _, w := range live {
		if err := deleteKey(ctx, a.st.windows, w.key); err != nil {
			return err
		}
	}
	return nil
}
