package alert

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"
)

// queues holds one queue and one worker per destination, so a slow or
// failing destination delays only itself. Safe for concurrent use.
type queues struct {
	a  *Alerter
	mu sync.Mutex // guards m
	m  map[string]*queue
}

// queue is the work of one destination.
type queue struct {
	limiter *rate.Limiter
	wake    chan struct{}

	mu     sync.Mutex // guards the fields below
	items  []string
	queued map[string]bool
	pause  time.Time // no request before this (Discord bucket exhausted)
}

func newQueues(a *Alerter) *queues { return &queues{a: a, m: map[string]*queue{}} }

// push queues delivery id for its destination, starting the destination's
// worker (owned by wg, stopped by ctx) on first use.
func (qs *queues) push(ctx context.Context, wg *sync.WaitGroup, id string) {
	destID := destOf(id)
	qs.mu.Lock()
	q := qs.m[destID]
	if q == nil {
		lim := Limit{Rate: rate.Inf}
		if d := qs.a.reg.dest(destID); d != nil {
			lim = defaultLimit(d.Kind)
			if o, ok := qs.a.opts.Limits[d.Kind]; ok {
				lim = o
			}
		}
		q = &queue{limiter: rate.NewLimiter(lim.Rate, max(lim.Burst, 1)), wake: make(chan struct{}, 1), queued: map[string]bool{}}
		qs.m[destID] = q
		wg.Go(func() { qs.a.runQueue(ctx, q) })
	}
	qs.mu.Unlock()
	q.mu.Lock()
	if !q.queued[id] {
		q.queued[id] = true
		q.items = append(q.items, id)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) pop() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return "", false
	}
	id := q.items[0]
	q.items = q.items[1:]
	return id, true
}

func (q *queue) done(id string) {
	q.mu.Lock()
	delete(q.queued, id)
	q.mu.Unlock()
}

func (a *Alerter) runQueue(ctx context.Context, q *queue) {
	for {
		id, ok := q.pop()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-q.wake:
				continue
			}
		}
		a.work(ctx, q, id)
		q.done(id)
		if ctx.Err() != nil {
			return
		}
	}
}

// dispatchLoop feeds the queues: it watches the pending markers (which
// also replays the unfinished ones at start) and, every SweepEvery,
// lists them again to take over the work of alerters that died.
func (a *Alerter) dispatchLoop(ctx context.Context, wg *sync.WaitGroup) {
	w, err := a.st.queue.Watch(ctx, "pending.>", jetstream.IgnoreDeletes())
	if err != nil {
		a.log.Error("alerter: watch pending deliveries", "err", err)
		return
	}
	defer func() { _ = w.Stop() }()
	t := time.NewTicker(a.opts.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			if e != nil {
				a.queues.push(ctx, wg, strings.TrimPrefix(e.Key(), "pending."))
			}
		case <-t.C:
			ks, err := keys(ctx, a.st.queue, "pending.>")
			if err != nil {
				a.log.Warn("alerter: sweep pending deliveries", "err", err)
				continue
			}
			for _, k := range ks {
				a.queues.push(ctx, wg, strings.TrimPrefix(k, "pending."))
			}
		}
	}
}

// alive reports whether the owner of a leased delivery may still be at
// work on it: not an earlier run of this node, and within its lease.
func (a *Alerter) alive(d Delivery) bool {
	if d.Owner == "" {
		return false
	}
	if d.Owner == a.owner {
		return true
	}
	node, _, _ := strings.Cut(d.Owner, "/")
	if node == a.opts.Node {
		return false // this node restarted: its earlier run is dead
	}
	return a.now().Before(d.Lease)
}

// load reads a delivery, waiting briefly for one whose pending marker was
// written just before the record itself.
func (a *Alerter) load(ctx context.Context, id string) (Delivery, uint64, error) {
	var err error
	for wait := 2 * time.Millisecond; wait < 2*time.Second; wait *= 2 {
		var d Delivery
		var rev uint64
		if d, rev, err = a.st.getDelivery(ctx, id); !errors.Is(err, jetstream.ErrKeyNotFound) {
			return d, rev, err
		}
		sleep(ctx, wait)
	}
	return Delivery{}, 0, err
}

// work takes one delivery as far as it can go: sent, failed, or left
// pending for its owner.
func (a *Alerter) work(ctx context.Context, q *queue, id string) {
	d, rev, err := a.load(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		_ = deleteKey(ctx, a.st.queue, pendingKey(id)) // never created, or expired
		return
	}
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("alerter: load delivery", "delivery", id, "err", err)
		}
		return
	}
	switch d.Status {
	case StatusSent, StatusCancelled:
		_ = deleteKey(ctx, a.st.queue, pendingKey(id))
		return
	case StatusFailed:
		a.settleFailed(ctx, d)
		return
	case StatusSending:
		if a.alive(d) {
			return
		}
		var again bool
		if d, again = a.interrupted(ctx, d, rev); !again {
			return
		}
	}
	if d.Owner != "" && d.Owner != a.owner && a.alive(d) {
		return // another alerter is retrying it
	}
	dst := a.reg.dest(d.Destination)
	r := a.reg.byName(d.Rule)
	switch {
	case dst == nil:
		a.fail(ctx, d, rev, "destination no longer configured")
		return
	case r == nil:
		a.fail(ctx, d, rev, "rule no longer exists")
		return
	case a.disabled(ctx, dst.id):
		a.fail(ctx, d, rev, "destination disabled after HTTP 410 Gone; replay to enable it again")
		return
	}
	if eff := a.saved.effective([]*compiled{r}); r.Search != "" && len(eff) == 1 {
		r = eff[0] // link the saved search's query in the message
	}
	events, err := a.correctedEvents(ctx, d.Events, d.Type == kindCorrection)
	if err != nil {
		a.log.Warn("alerter: read corrections; the sweep will try again", "delivery", id, "err", err)
		return
	}
	if len(events) == 0 {
		a.cancel(ctx, d, rev, "not sent: every event it tells was marked wrong by an analyst")
		return
	}
	msg, err := newMessage(r, d.Type, events, a.opts.PublicURL)
	if err != nil {
		a.fail(ctx, d, rev, err.Error())
		return
	}
	a.attempts(ctx, q, d, rev, dst, msg)
}

// interrupted settles a delivery whose request was in flight when its
// alerter died. Where the receiver can drop a second copy
// (resendsInterrupted) and attempts remain, it returns d to be sent again
// under the same id, and true; otherwise it fails d as "interrupted",
// replayable, and returns false.
func (a *Alerter) interrupted(ctx context.Context, d Delivery, rev uint64) (Delivery, bool) {
	const why = "interrupted: the alerter stopped while the request was in flight, so it may or may not have arrived"
	switch {
	case !resendsInterrupted(d.Kind):
		a.fail(ctx, d, rev, why+"; replay to send it again")
		return d, false
	case d.Attempts >= a.opts.MaxAttempts:
		a.fail(ctx, d, rev, why+"; gave up after "+strconv.Itoa(d.Attempts)+" attempts; replay to send it again")
		return d, false
	}
	d.LastError = why + "; sent again with the same webhook-id"
	a.log.Info("alerter: resending interrupted delivery", "rule", d.Rule, "destination", d.Kind+":"+d.Destination, "delivery", d.ID, "attempts", d.Attempts)
	return d, true
}

// attempts sends d, retrying with backoff, until it is sent or failed or
// ctx ends.
func (a *Alerter) attempts(ctx context.Context, q *queue, d Delivery, rev uint64, dst *dest, msg Message) {
	log := a.log.With("rule", d.Rule, "destination", dst.label(), "delivery", d.ID)
	for {
		if err := a.waitTurn(ctx, q); err != nil {
			return
		}
		d.Status, d.Owner, d.Attempts, d.Updated = StatusSending, a.owner, d.Attempts+1, a.now().UTC()
		d.Lease = d.Updated.Add(a.opts.Timeout + 5*time.Second)
		var err error
		if rev, err = a.st.updateDelivery(ctx, d, rev); err != nil {
			if ctx.Err() == nil {
				log.Warn("alerter: claim delivery", "err", err)
			}
			return
		}
		// The request is not cancelled by ctx: a clean stop lets it finish
		// (the client's timeout bounds it) rather than leave it in doubt.
		o := a.send.send(context.WithoutCancel(ctx), dst, msg, d.ID, d.Created, a.now())
		if o.pause > 0 {
			q.mu.Lock()
			q.pause = a.now().Add(o.pause)
			q.mu.Unlock()
		}
		wctx := context.WithoutCancel(ctx) // record the outcome even when stopping
		switch o.result {
		case resultOK:
			d.Status, d.LastError, d.Owner, d.Lease, d.Updated = StatusSent, "", "", time.Time{}, a.now().UTC()
			if _, err := a.st.updateDelivery(wctx, d, rev); err != nil {
				log.Warn("alerter: record sent delivery", "err", err)
				return
			}
			_ = deleteKey(wctx, a.st.queue, pendingKey(d.ID))
			log.Info("alert sent", "status", o.status, "attempts", d.Attempts)
			return
		case resultGone:
			if _, err := a.st.queue.Put(wctx, disabledKey(dst.id), []byte(a.now().UTC().Format(time.RFC3339))); err != nil {
				log.Warn("alerter: disable destination", "err", err)
			}
			log.Warn("alerter: destination gone (410), disabled")
			a.fail(wctx, d, rev, o.err.Error())
			return
		case resultFail:
			a.fail(wctx, d, rev, o.err.Error())
			return
		}
		if d.Attempts >= a.opts.MaxAttempts {
			a.fail(wctx, d, rev, "gave up after "+strconv.Itoa(d.Attempts)+" attempts: "+o.err.Error())
			return
		}
		wait := a.backoff(d.Attempts, o.retryAfter)
		d.Status, d.LastError, d.Updated = StatusPending, o.err.Error(), a.now().UTC()
		d.Lease = d.Updated.Add(wait + a.opts.Timeout + 5*time.Second)
		if rev, err = a.st.updateDelivery(wctx, d, rev); err != nil {
			log.Warn("alerter: record retry", "err", err)
			return
		}
		log.Info("alerter: delivery will be retried", "attempt", d.Attempts, "in", wait.String(), "err", o.err)
		if !sleep(ctx, wait) {
			return
		}
	}
}

// waitTurn waits for the destination's rate limit and any pause it asked for.
func (a *Alerter) waitTurn(ctx context.Context, q *queue) error {
	q.mu.Lock()
	pause := q.pause.Sub(a.now())
	q.mu.Unlock()
	if pause > 0 && !sleep(ctx, pause) {
		return ctx.Err()
	}
	return q.limiter.Wait(ctx)
}

// backoff is the wait before attempt n+1: exponential with full jitter
// over the upper half, at least what the server asked for (up to 1h).
func (a *Alerter) backoff(n int, asked time.Duration) time.Duration {
	d := a.opts.RetryBase << min(n-1, 20)
	if d <= 0 || d > a.opts.RetryMax {
		d = a.opts.RetryMax
	}
	d = d/2 + rand.N(d/2+1)
	return max(d, min(asked, time.Hour))
}

// fail turns d into a dead letter: status failed, with a failed marker.
func (a *Alerter) fail(ctx context.Context, d Delivery, rev uint64, reason string) {
	d.Status, d.LastError, d.Owner, d.Lease, d.Updated = StatusFailed, reason, "", time.Time{}, a.now().UTC()
	if _, err := a.st.updateDelivery(ctx, d, rev); err != nil {
		a.log.Warn("alerter: record failed delivery", "delivery", d.ID, "err", err)
		return
	}
	a.log.Warn("alert failed", "rule", d.Rule, "destination", d.Kind+":"+d.Destination, "delivery", d.ID, "attempts", d.Attempts, "err", reason)
	a.settleFailed(ctx, d)
}

// cancel records that d is not to be sent (StatusCancelled) and drops its
// pending marker.
func (a *Alerter) cancel(ctx context.Context, d Delivery, rev uint64, reason string) {
	d.Status, d.LastError, d.Owner, d.Lease, d.Updated = StatusCancelled, reason, "", time.Time{}, a.now().UTC()
	if _, err := a.st.updateDelivery(ctx, d, rev); err != nil {
		a.log.Warn("alerter: record cancelled delivery", "delivery", d.ID, "err", err)
		return
	}
	a.log.Info("alert cancelled", "rule", d.Rule, "destination", d.Kind+":"+d.Destination, "delivery", d.ID, "reason", reason)
	_ = deleteKey(ctx, a.st.queue, pendingKey(d.ID))
}

// settleFailed writes the failed marker, then drops the pending one.
func (a *Alerter) settleFailed(ctx context.Context, d Delivery) {
	if _, err := a.st.queue.Put(ctx, failedKey(d.ID), nil); err != nil {
		a.log.Warn("alerter: mark failed delivery", "delivery", d.ID, "err", err)
		return
	}
	_ = deleteKey(ctx, a.st.queue, pendingKey(d.ID))
}

func (a *Alerter) disabled(ctx context.Context, destID string) bool {
	_, err := a.st.queue.Get(ctx, disabledKey(destID))
	return err == nil
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
