package poller

import (
	"context"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/feedlist"
)

// Leaser gives one poller at a time the right to poll a feed, so pollers
// that share a StateStore never poll the same feed in the same round.
//
// The Poller calls Acquire before each poll; on true it reloads the feed's
// State from the shared store (another poller may have just polled it and
// saved a later NextPoll), polls, saves the State and then calls Release.
// A lease that is not released (its holder died) lapses after ttl.
// Implementations must be safe for concurrent use; ctx bounds each call.
type Leaser interface {
	// Acquire takes the lease on feedURL for ttl. It returns false, nil when
	// another holder has it.
	Acquire(ctx context.Context, feedURL string, ttl time.Duration) (bool, error)
	// Release gives up a lease this holder has; releasing a lease that has
	// lapsed or passed to another holder is a no-op.
	Release(ctx context.Context, feedURL string) error
}

// MemoryLeaser is a Leaser for pollers in one process, for tests. Each
// holder is a MemoryLeaser returned by Holder on a shared table.
type MemoryLeaser struct {
	owner string
	t     *leaseTable
}

type leaseTable struct {
	mu     sync.Mutex
	now    func() time.Time
	leases map[string]memLease // by feed URL
}

type memLease struct {
	owner   string
	expires time.Time
}

// NewMemoryLeaser returns the first holder of a new in-memory lease table;
// call Holder on it for more. now is the clock (nil: time.Now).
func NewMemoryLeaser(owner string, now func() time.Time) *MemoryLeaser {
	if now == nil {
		now = time.Now
	}
	return &MemoryLeaser{owner: owner, t: &leaseTable{now: now, leases: map[string]memLease{}}}
}

// Holder returns another holder named owner sharing the same leases.
func (m *MemoryLeaser) Holder(owner string) *MemoryLeaser {
	return &MemoryLeaser{owner: owner, t: m.t}
}

// Acquire implements Leaser.
func (m *MemoryLeaser) Acquire(_ context.Context, feedURL string, ttl time.Duration) (bool, error) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	now := m.t.now()
	if l, ok := m.t.leases[feedURL]; ok && l.owner != m.owner && now.Before(l.expires) {
		return false, nil
	}
	m.t.leases[feedURL] = memLease{owner: m.owner, expires: now.Add(ttl)}
	return true, nil
}

// Release implements Leaser.
func (m *MemoryLeaser) Release(_ context.Context, feedURL string) error {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	if l, ok := m.t.leases[feedURL]; ok && l.owner == m.owner {
		delete(m.t.leases, feedURL)
	}
	return nil
}

// lease takes the feed's lease and reloads its shared state. proceed=false
// means another poller has it or has just polled it; st then says when to
// look again. ok=false means ctx ended.
func (p *Poller) lease(ctx context.Context, f feedlist.Feed, st State, now time.Time) (_ State, proceed, ok bool) {
	retry := func(reason string) (State, bool, bool) {
		st.NextPoll, st.NextReason = now.Add(min(p.interval(f), time.Minute)), reason
		return st, false, ctx.Err() == nil
	}
	got, err := p.opts.Leaser.Acquire(ctx, f.URL, p.opts.LeaseTTL)
	if err != nil {
		return retry("lease error: " + err.Error())
	}
	fresh, found, err := p.store.Load(ctx, f.URL)
	if err != nil {
		if got {
			_ = p.opts.Leaser.Release(context.WithoutCancel(ctx), f.URL)
		}
		return retry("state store error: " + err.Error())
	}
	if found {
		fresh.URL = f.URL
		st = fresh
	}
	if !got {
		if !st.NextPoll.After(now) {
			st.NextPoll, st.NextReason = now.Add(min(p.interval(f), p.opts.LeaseTTL)), "leased by another poller"
		}
		return st, false, true
	}
	if st.Disabled || st.NextPoll.After(now) {
		_ = p.opts.Leaser.Release(context.WithoutCancel(ctx), f.URL)
		return st, false, true // another poller polled it this round
	}
	return st, true, true
}

// keepLease renews the lease on feedURL every LeaseTTL/3 while a long poll
// (many full-text fetches) runs, and returns a func that stops renewing and
// releases the lease. The renewing goroutine ends when stop is called.
func (p *Poller) keepLease(ctx context.Context, feedURL string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(max(p.opts.LeaseTTL/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if ok, err := p.opts.Leaser.Acquire(ctx, feedURL, p.opts.LeaseTTL); err != nil || !ok {
					p.opts.Logger.Warn("renew feed lease", "feed", feedURL, "ok", ok, "err", err)
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := p.opts.Leaser.Release(rctx, feedURL); err != nil {
			p.opts.Logger.Warn("release feed lease", "feed", feedURL, "err", err)
		}
	}
}
