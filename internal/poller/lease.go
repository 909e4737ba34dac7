package poller

import (
	"context"
	"sync"
	"time"
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
