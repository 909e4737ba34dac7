package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// digestGrace is how long after its end a digest window is sent. A claim
// puts an event into a window only before the window ends (see
// placeDigest), so the grace covers the time its write takes and the
// clocks of other alerters being a little apart. A write landing later
// still is sent by the next flush, in a part of its own (see
// flushDigests).
const digestGrace = 5 * time.Second

// digestKey is the window entry of subject in r's digest window ending at end.
func digestKey(r *compiled, end time.Time, subject string) string {
	return fmt.Sprintf("digest.%s.%d.%s", r.id, end.Unix(), subject)
}

// digestSubject is the delivery subject of part n (from 1) of the digest
// window ending at end: d<end> for the first, d<end>-<n> for the parts
// sending entries written after it.
func digestSubject(end int64, n int) string {
	s := "d" + strconv.FormatInt(end, 10)
	if n > 1 {
		s += "-" + strconv.Itoa(n)
	}
	return s
}

// placeDigest decides the window a digest claim of the version st of the
// subject id goes into, before emit puts it there. A claim redone after
// its window ended (a redelivery after a crash between the window entry
// and the seen mark) leaves the event where the first try put it: in the
// window's entry if it is still there, or in the digest already sent (put
// is then false: nothing is left to do). Only an event the first try
// never wrote joins the current window, which is recorded in the seen
// mark first, so that a later redo looks there.
func (a *Alerter) placeDigest(ctx context.Context, r *compiled, key, id string, st seen, rev uint64) (seen, uint64, bool, error) {
	end, now := st.window(r), a.now()
	if now.Before(end) {
		return st, rev, true, nil
	}
	subject := st.subject(id)
	if _, err := a.st.windows.Get(ctx, digestKey(r, end, subject)); err == nil {
		return st, rev, false, nil
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return st, rev, false, fmt.Errorf("get window entry of %s: %w", key, err)
	}
	parts, err := a.digestParts(ctx, r, end.Unix())
	if err != nil {
		return st, rev, false, err
	}
	for _, p := range parts {
		if slices.Contains(p.Entries, subject) {
			return st, rev, false, nil
		}
	}
	st.Window = r.windowEnd(now)
	raw, _ := json.Marshal(st)
	if rev, err = a.st.seen.Update(ctx, key, raw, rev); err != nil {
		return st, rev, false, errConflict
	}
	return st, rev, true, nil
}

// digestParts reads the parts of r's digest of the window ending at end
// sent so far, in order, as its first destination's records.
func (a *Alerter) digestParts(ctx context.Context, r *compiled, end int64) ([]Delivery, error) {
	if len(r.dests) == 0 {
		return nil, nil
	}
	var out []Delivery
	for n := 1; ; n++ {
		d, _, err := a.st.getDelivery(ctx, r.dests[0].id+"."+r.id+"."+digestSubject(end, n))
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
}

// flushDigests sends every digest window that ended digestGrace ago: one
// delivery per destination listing the window's events, then the entries
// are dropped. Entries of a rule that no longer exists are dropped too.
//
// Each window entry is sent once. The delivery records list the entries
// they carry, so a flush repeated after a crash sends nothing new, and an
// entry written after its window was sent (a slow write) goes out in a
// further part of the window's digest, d<end>-<n>. The first
// destination's record of a part is its claim: when another alerter made
// it first, its list is the one every destination gets.
func (a *Alerter) flushDigests(ctx context.Context) error {
	ks, err := keys(ctx, a.st.windows, "digest.>")
	if err != nil {
		return err
	}
	type window struct {
		rule string
		end  int64
	}
	groups := map[window][]string{}
	now := a.now().Add(-digestGrace)
	for _, k := range ks {
		parts := strings.SplitN(k, ".", 4) // digest.<rule>.<end>.<subject>
		if len(parts) != 4 {
			continue
		}
		end, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil || time.Unix(end, 0).After(now) {
			continue
		}
		w := window{parts[1], end}
		groups[w] = append(groups[w], k)
	}
	for w, ks := range groups {
		r := a.reg.byID(w.rule)
		entries, err := a.loadWindow(ctx, ks)
		if err != nil {
			return err
		}
		if r == nil || len(r.dests) == 0 {
			for _, e := range entries {
				if err := deleteKey(ctx, a.st.windows, e.key); err != nil {
					return err
				}
			}
			continue
		}
		if err := a.flushWindow(ctx, r, w.end, entries); err != nil {
			return fmt.Errorf("digest of rule %q: %w", r.Name, err)
		}
	}
	return nil
}

// flushWindow sends the entries of r's window ending at end that no part
// of its digest lists yet, as the next part, and drops the entries sent.
// The parts found are enqueued again for every destination, in case a
// crash stopped a flush between them.
func (a *Alerter) flushWindow(ctx context.Context, r *compiled, end int64, entries []windowEntry) error {
	parts, err := a.digestParts(ctx, r, end)
	if err != nil {
		return err
	}
	sent := map[string]bool{}
	for _, p := range parts {
		if err := a.deliverPart(ctx, r, p, r.dests[1:]); err != nil {
			return err
		}
		for _, s := range p.Entries {
			sent[s] = true
		}
	}
	var late []windowEntry
	for _, e := range entries {
		if !sent[entrySubject(e.key)] {
			late = append(late, e)
		}
	}
	if len(late) > 0 {
		now := a.now().UTC()
		p := Delivery{
			ID: r.dests[0].id + "." + r.id + "." + digestSubject(end, len(parts)+1), Rule: r.Name,
			Type: kindDigest, Status: StatusPending, Created: now, Updated: now,
		}
		for _, e := range late {
			p.Events = append(p.Events, e.Event)
			p.Entries = append(p.Entries, entrySubject(e.key))
		}
		if err := a.deliverPart(ctx, r, p, r.dests[:1]); err != nil {
			return err
		}
		// Another alerter may have made this part first, with other
		// entries: what its record lists is what is sent.
		if p, _, err = a.st.getDelivery(ctx, p.ID); err != nil {
			return err
		}
		if err := a.deliverPart(ctx, r, p, r.dests[1:]); err != nil {
			return err
		}
		for _, s := range p.Entries {
			sent[s] = true
		}
	}
	for _, e := range entries {
		if !sent[entrySubject(e.key)] {
			continue // listed by no part yet: the next flush sends it
		}
		if err := deleteKey(ctx, a.st.windows, e.key); err != nil {
			return err
		}
	}
	return nil
}

// deliverPart enqueues the digest part p (a record of any destination)
// for each of dests.
func (a *Alerter) deliverPart(ctx context.Context, r *compiled, p Delivery, dests []*dest) error {
	subject := p.ID[strings.LastIndex(p.ID, ".")+1:]
	now := a.now().UTC()
	for _, d := range dests {
		del := Delivery{
			ID: d.id + "." + r.id + "." + subject, Rule: r.Name, Destination: d.id, Kind: d.Kind,
			Type: kindDigest, Events: p.Events, Entries: p.Entries, Status: StatusPending, Created: now, Updated: now,
		}
		if err := a.st.enqueue(ctx, del); err != nil {
			return err
		}
	}
	return nil
}

// entrySubject is the subject a window entry key ends with.
func entrySubject(key string) string {
	return key[strings.LastIndex(key, ".")+1:]
}
