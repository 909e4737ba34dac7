package alert

import (
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

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
)

// Analysts' corrections (internal/corrections) reach alerts in two ways:
//
//   - at send time, a worker gives each event of a delivery its current
//     correction: a hidden event is left out (a delivery left with no
//     event is cancelled, not sent), a corrected type, date or actors
//     replace the extracted ones in the message;
//   - an event a rule has alerted (its seen mark is done) that is then
//     corrected gets a follow-up, kind "correction", to each destination
//     the rule's alert was sent to (or is being sent to), saying what
//     changed; a destination whose alert is still pending, failed or
//     cancelled gets none: the alert itself, if it goes, tells the event
//     as corrected then. Its delivery id carries
//     the correction's version, so the follow-up is claimed once however
//     often the correction is seen: the alerter follows the bucket, and
//     every start reads every current correction again. Corrections
//     older than followUpAge are not followed up on a start, so one whose
//     follow-up record expired (retention) is never sent twice.
//
// Only immediate rules get follow-ups (their first alert's delivery holds
// the event told); withdrawing a correction sends nothing.

// Corrections is the alerter's view of the corrections bucket;
// *corrections.Store is one.
type Corrections interface {
	// Get returns an event's correction, an error wrapping
	// corrections.ErrNotFound when it has none.
	Get(ctx context.Context, eventID string) (corrections.Correction, error)
	// Watch calls initial with every current correction, then change
	// for each later change, until ctx ends (see corrections.Store.Watch).
	Watch(ctx context.Context, initial func(context.Context, []corrections.Correction) error, change func(context.Context, corrections.Change) error) error
}

// kindCorrection is the kind of a follow-up about an analyst's correction.
const kindCorrection = "correction"

// StatusCancelled is the status of a delivery not sent because every
// event it told was marked wrong (hidden) by an analyst before it went.
const StatusCancelled = "cancelled"

// followUpAge bounds the age of the corrections a start follows up: less
// than retention, so the follow-up's record is still there to be found.
const followUpAge = retention - 24*time.Hour

// correctedEvents returns events with their current corrections applied:
// hidden ones left out unless keepHidden.
func (a *Alerter) correctedEvents(ctx context.Context, events []event.Event, keepHidden bool) ([]event.Event, error) {
	if a.opts.Corrections == nil {
		return events, nil
	}
	out := make([]event.Event, 0, len(events))
	for _, e := range events {
		c, found, err := a.correctionOf(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		if !found {
			out = append(out, e)
			continue
		}
		if c.Hidden && !keepHidden {
			continue
		}
		out = append(out, applyCorrection(e, c))
	}
	return out, nil
}

// correctionOf returns the correction of the event id names: its own,
// else (with Options.Resolve) that of the event it is now.
func (a *Alerter) correctionOf(ctx context.Context, id string) (corrections.Correction, bool, error) {
	c, err := a.opts.Corrections.Get(ctx, id)
	if err == nil {
		return c, true, nil
	}
	if !errors.Is(err, corrections.ErrNotFound) {
		return c, false, fmt.Errorf("correction of event %s: %w", id, err)
	}
	if a.opts.Resolve == nil {
		return c, false, nil
	}
	cur, _, found, err := a.opts.Resolve(ctx, id)
	if err != nil || !found || cur == id {
		return c, false, err
	}
	c, err = a.opts.Corrections.Get(ctx, cur)
	if errors.Is(err, corrections.ErrNotFound) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("correction of event %s (now %s): %w", id, cur, err)
	}
	return c, true, nil
}

// applyCorrection returns e as c corrects it, with what changed in
// e.Corrected (see event.Corrected).
func applyCorrection(e event.Event, c corrections.Correction) event.Event {
	out := c.Apply(e)
	out.Hidden = c.Hidden
	var fields []string
	if c.Type != "" {
		fields = append(fields, "type")
	}
	if c.Date != "" {
		fields = append(fields, "date")
	}
	if c.Date != "" || c.DateEnd != "" {
		fields = append(fields, "date_end")
	}
	if c.Actors != nil {
		fields = append(fields, "actors")
	}
	out.Corrected = &event.Corrected{Hidden: c.Hidden, Fields: fields, Note: c.Note, By: c.By, At: c.At,
		Extracted: event.Extracted{Type: e.Type, CAMEO: e.CAMEO, Date: e.Date, DateEnd: e.DateEnd, Precision: e.Precision, Actors: slices.Clone(e.Actors)}}
	return out
}

// changes says in words what e's correction changed ("type: protest →
// statement; marked wrong: not a strike"), "" for an uncorrected event.
func changes(e event.Event) string {
	c := e.Corrected
	if c == nil {
		return ""
	}
	var parts []string
	if c.Hidden {
		parts = append(parts, "marked wrong")
	}
	was := func(name, from, to string) {
		if from != to {
			if from == "" {
				from = "none"
			}
			if to == "" {
				to = "none"
			}
			parts = append(parts, fmt.Sprintf("%s: %s → %s", name, from, to))
		}
	}
	for _, f := range c.Fields {
		switch f {
		case "type":
			was("type", c.Extracted.Type, e.Type)
		case "date":
			was("date", c.Extracted.Date, e.Date)
		case "date_end":
			was("end date", c.Extracted.DateEnd, e.DateEnd)
		case "actors":
			was("actors", strings.Join(c.Extracted.Actors, ", "), strings.Join(e.Actors, ", "))
		}
	}
	s := strings.Join(parts, "; ")
	if c.Note != "" {
		s += " (" + c.Note + ")"
	}
	if c.By != "" {
		s += " by " + c.By
	}
	return strings.TrimSpace(s)
}

// alertedAs returns the first of ids (key-safe) that rule r alerted, ""
// when none.
func (a *Alerter) alertedAs(ctx context.Context, r *compiled, ids []string) (string, error) {
	seen := map[string]bool{}
	for _, id := range ids {
		id = keySafe(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		done, err := a.alerted(ctx, r, "c"+id)
		if err != nil || done {
			return id, err
		}
	}
	return "", nil
}

// correctionVersion names one version of a correction in delivery ids.
func correctionVersion(c corrections.Correction) string {
	raw, _ := json.Marshal(c)
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:8])
}

// followCorrections follows the corrections bucket until ctx ends,
// sending follow-ups (see above). A failure of the watch is logged and
// the watch started again after a pause.
func (a *Alerter) followCorrections(ctx context.Context) {
	if a.opts.Corrections == nil {
		return
	}
	for ctx.Err() == nil {
		err := a.opts.Corrections.Watch(ctx,
			func(ctx context.Context, cs []corrections.Correction) error {
				for _, c := range cs {
					if a.now().Sub(c.At) > followUpAge {
						continue
					}
					if err := a.followUp(ctx, c); err != nil {
						return err
					}
				}
				return nil
			},
			func(ctx context.Context, ch corrections.Change) error {
				if ch.Correction == nil {
					return nil
				}
				return a.followUp(ctx, *ch.Correction)
			})
		if err == nil || ctx.Err() != nil {
			return
		}
		a.log.Warn("alerter: corrections watch stopped; will retry", "err", err)
		sleep(ctx, 5*time.Second)
	}
}

// followUp claims the follow-up of correction c for every immediate rule
// that alerted its event, under its id or (with Options.Resolve) the id
// it has now or one it had.
func (a *Alerter) followUp(ctx context.Context, c corrections.Correction) error {
	ids := []string{c.EventID}
	if a.opts.Resolve != nil {
		cur, former, found, err := a.opts.Resolve(ctx, c.EventID)
		if err != nil {
			return fmt.Errorf("follow up the correction of event %s: %w", c.EventID, err)
		}
		if found {
			ids = append(ids, cur)
			ids = append(ids, former...)
		}
	}
	for _, r := range a.reg.all() {
		if r.Mode == Digest || r.Mode == Threshold || len(r.dests) == 0 {
			continue
		}
		id, err := a.alertedAs(ctx, r, ids)
		if err != nil {
			return err
		}
		if id == "" {
			continue
		}
		now := a.now().UTC()
		for _, d := range r.dests {
			first, _, err := a.st.getDelivery(ctx, d.id+"."+r.id+".ec"+id)
			if errors.Is(err, jetstream.ErrKeyNotFound) {
				continue // its record expired
			}
			if err != nil {
				return fmt.Errorf("follow up the correction of event %s: %w", c.EventID, err)
			}
			if first.Status != StatusSent && first.Status != StatusSending {
				// Not sent (yet): when it goes, it tells the event as
				// corrected then, or is cancelled.
				continue
			}
			del := Delivery{
				ID: d.id + "." + r.id + ".ec" + id + "-k" + correctionVersion(c), Rule: r.Name, Destination: d.id, Kind: d.Kind,
				Type: kindCorrection, Events: first.Events, Status: StatusPending, Created: now, Updated: now,
			}
			if err := a.st.enqueue(ctx, del); err != nil {
				return fmt.Errorf("follow up the correction of event %s: %w", c.EventID, err)
			}
			a.log.Info("alerter: correction follow-up claimed", "rule", r.Name, "event", c.EventID, "delivery", del.ID)
		}
	}
	return nil
}
