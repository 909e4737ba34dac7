package poller

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// KV key prefixes. State and leases may share one bucket.
const (
	kvStatePrefix = "state."
	kvLeasePrefix = "lease."
)

// feedKey turns a feed URL into a valid KV key token.
func feedKey(feedURL string) string {
	sum := sha256.Sum256([]byte(feedURL))
	return hex.EncodeToString(sum[:16])
}

// KVState is a StateStore on a JetStream KeyValue bucket: one key
// "state.<sha256(url)[:16] hex>" per feed holding the State as JSON. It
// survives restarts and is shared by every poller on the same bucket.
type KVState struct {
	kv jetstream.KeyValue
}

var _ StateStore = (*KVState)(nil)

// NewKVState returns a StateStore on kv. The bucket needs no TTL and one
// history entry is enough.
func NewKVState(kv jetstream.KeyValue) *KVState { return &KVState{kv: kv} }

// Load implements StateStore.
func (s *KVState) Load(ctx context.Context, feedURL string) (State, bool, error) {
	e, err := s.kv.Get(ctx, kvStatePrefix+feedKey(feedURL))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("load state of %s: %w", feedURL, err)
	}
	var st State
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return State{}, false, fmt.Errorf("load state of %s: %w", feedURL, err)
	}
	return st, true, nil
}

// Save implements StateStore.
func (s *KVState) Save(ctx context.Context, st State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("save state of %s: %w", st.URL, err)
	}
	if _, err := s.kv.Put(ctx, kvStatePrefix+feedKey(st.URL), b); err != nil {
		return fmt.Errorf("save state of %s: %w", st.URL, err)
	}
	return nil
}

// KVLeaser is a Leaser on a JetStream KeyValue bucket: one key
// "lease.<hash>" per feed holding {owner, expires}, taken with Create and
// taken over, once expired, with Update at the read revision, so two
// holders racing for it cannot both win. Expiry compares wall clocks, so
// pollers' clocks should agree to well within the lease TTL.
type KVLeaser struct {
	kv    jetstream.KeyValue
	owner string
	now   func() time.Time
}

var _ Leaser = (*KVLeaser)(nil)

type leaseRecord struct {
	Owner   string    `json:"owner"`
	Expires time.Time `json:"expires"`
}

// NewKVLeaser returns a Leaser on kv for the holder named owner, which must
// be unique among pollers (empty: a random id).
func NewKVLeaser(kv jetstream.KeyValue, owner string) *KVLeaser {
	if owner == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		owner = hex.EncodeToString(b[:])
	}
	return &KVLeaser{kv: kv, owner: owner, now: time.Now}
}

// Acquire implements Leaser.
func (l *KVLeaser) Acquire(ctx context.Context, feedURL string, ttl time.Duration) (bool, error) {
	key := kvLeasePrefix + feedKey(feedURL)
	val, err := json.Marshal(leaseRecord{Owner: l.owner, Expires: l.now().Add(ttl)})
	if err != nil {
		return false, err
	}
	for range 3 {
		_, err = l.kv.Create(ctx, key, val)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return false, fmt.Errorf("acquire lease on %s: %w", feedURL, err)
		}
		e, err := l.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // released meanwhile: try Create again
		}
		if err != nil {
			return false, fmt.Errorf("acquire lease on %s: %w", feedURL, err)
		}
		var cur leaseRecord
		if json.Unmarshal(e.Value(), &cur) == nil && cur.Owner != l.owner && l.now().Before(cur.Expires) {
			return false, nil
		}
		_, err = l.kv.Update(ctx, key, val, e.Revision())
		if err == nil {
			return true, nil
		}
		if errors.Is(err, jetstream.ErrKeyRevisionMismatch) || errors.Is(err, jetstream.ErrKeyExists) {
			return false, nil
		}
		return false, fmt.Errorf("acquire lease on %s: %w", feedURL, err)
	}
	return false, nil
}

// Release implements Leaser.
func (l *KVLeaser) Release(ctx context.Context, feedURL string) error {
	key := kvLeasePrefix + feedKey(feedURL)
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("release lease on %s: %w", feedURL, err)
	}
	var cur leaseRecord
	if json.Unmarshal(e.Value(), &cur) != nil || cur.Owner != l.owner {
		return nil
	}
	err = l.kv.Delete(ctx, key, jetstream.LastRevision(e.Revision()))
	if err != nil && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("release lease on %s: %w", feedURL, err)
	}
	return nil
}
