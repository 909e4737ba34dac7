package alert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/event"
)

// The key-value buckets of the alerter, declared by Setup.
const (
	// RulesBucket holds the rules added through the API, by name.
	RulesBucket = "alerts"
	// SeenBucket holds, per (rule, merged event), what was last alerted.
	SeenBucket = "alert_seen"
	// DeliveriesBucket holds one Delivery per (destination, rule, event or
	// window). Creating it is the claim that makes a delivery happen once.
	DeliveriesBucket = "alert_deliveries"
	// QueueBucket holds markers: pending.<id> for deliveries not yet
	// finished, failed.<id> for dead letters, disabled.<dest> for
	// destinations that answered 410.
	QueueBucket = "alert_queue"
	// WindowsBucket holds the events waiting in digest and threshold windows.
	WindowsBucket = "alert_windows"
	// SourcesBucket holds, per merged event (index.ClusterID), the
	// articles and feeds that reported it (cluster.<merged id>), and per
	// article the merged ids its latest set contributed to
	// (article.<article>): what min_sources counts.
	SourcesBucket = "alert_sources"
)

// retention is how long delivery records and seen marks are kept.
const retention = 30 * 24 * time.Hour

// Setup declares the alerter's buckets, creating or updating them. It is
// idempotent; Run and NewHandler call it.
func Setup(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if replicas < 1 {
		replicas = 1
	}
	for _, kc := range []jetstream.KeyValueConfig{
		{Bucket: RulesBucket, Description: "alert rules added through the API"},
		{Bucket: SeenBucket, Description: "what each alert rule last sent per merged event", TTL: retention},
		{Bucket: DeliveriesBucket, Description: "alert deliveries: one per destination, rule and event or window", TTL: retention},
		{Bucket: QueueBucket, Description: "pending and failed alert deliveries, disabled destinations"},
		{Bucket: WindowsBucket, Description: "events waiting in digest and threshold windows"},
		{Bucket: SourcesBucket, Description: "the articles and feeds reporting each merged event", TTL: retention},
	} {
		kc.Storage, kc.Replicas, kc.History = jetstream.FileStorage, replicas, 1
		if _, err := js.CreateOrUpdateKeyValue(ctx, kc); err != nil {
			return fmt.Errorf("declare bucket %s: %w", kc.Bucket, err)
		}
	}
	return nil
}

// stores are the opened buckets.
type stores struct {
	rules, seen, deliveries, queue, windows, sources jetstream.KeyValue
}

func openStores(ctx context.Context, js jetstream.JetStream, replicas int) (*stores, error) {
	if err := Setup(ctx, js, replicas); err != nil {
		return nil, err
	}
	s := &stores{}
	for _, b := range []struct {
		name string
		kv   *jetstream.KeyValue
	}{{RulesBucket, &s.rules}, {SeenBucket, &s.seen}, {DeliveriesBucket, &s.deliveries}, {QueueBucket, &s.queue}, {WindowsBucket, &s.windows}, {SourcesBucket, &s.sources}} {
		kv, err := js.KeyValue(ctx, b.name)
		if err != nil {
			return nil, fmt.Errorf("open bucket %s: %w", b.name, err)
		}
		*b.kv = kv
	}
	return s, nil
}

// Statuses of a Delivery.
const (
	StatusPending = "pending" // waiting for its next attempt
	StatusSending = "sending" // a request is in flight
	StatusSent    = "sent"
	StatusFailed  = "failed" // a dead letter: listable and replayable
)

// Delivery is one message to one destination: the outbox entry, its
// progress and, when it failed, the dead letter.
type Delivery struct {
	// ID is the delivery's key: <destination>.<rule>.<subject>.
	ID string `json:"id"`
	// Rule is the rule's name.
	Rule string `json:"rule"`
	// Destination is the destination's id (no secrets).
	Destination string `json:"destination"`
	// Kind is the destination's kind.
	Kind string `json:"kind"`
	// Type is event, update, digest or threshold.
	Type string `json:"type"`
	// Events are what the message reports.
	Events []event.Event `json:"events"`
	// Entries are, for a digest, the subjects of the window entries its
	// Events came from: what the window has sent (see flushDigests).
	Entries []string `json:"entries,omitempty"`
	// Status is pending, sending, sent or failed.
	Status string `json:"status"`
	// Attempts counts the requests made.
	Attempts int `json:"attempts"`
	// LastError is the last failure, without secrets.
	LastError string `json:"last_error,omitempty"`
	// Created and Updated are when the record was written.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Owner is the alerter working on it ("node/run"), Lease until when.
	Owner string    `json:"owner,omitempty"`
	Lease time.Time `json:"lease,omitzero"`
}

func pendingKey(id string) string      { return "pending." + id }
func failedKey(id string) string       { return "failed." + id }
func disabledKey(destID string) string { return "disabled." + destID }

// destOf returns the destination id a delivery id starts with.
func destOf(id string) string {
	d, _, _ := strings.Cut(id, ".")
	return d
}

// keySafe returns s if it can be one token of a KV key, else a digest of it.
func keySafe(s string) string {
	ok := s != "" && len(s) <= 64
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	h := sha256.Sum256([]byte(s))
	return "h" + hex.EncodeToString(h[:12])
}

func (s *stores) getDelivery(ctx context.Context, id string) (Delivery, uint64, error) {
	e, err := s.deliveries.Get(ctx, id)
	if err != nil {
		return Delivery{}, 0, fmt.Errorf("get delivery %s: %w", id, err)
	}
	var d Delivery
	if err := json.Unmarshal(e.Value(), &d); err != nil {
		return Delivery{}, 0, fmt.Errorf("decode delivery %s: %w", id, err)
	}
	return d, e.Revision(), nil
}

// updateDelivery writes d if it is still at rev; it returns the new revision.
func (s *stores) updateDelivery(ctx context.Context, d Delivery, rev uint64) (uint64, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("encode delivery %s: %w", d.ID, err)
	}
	n, err := s.deliveries.Update(ctx, d.ID, raw, rev)
	if err != nil {
		return 0, fmt.Errorf("update delivery %s: %w", d.ID, err)
	}
	return n, nil
}

// enqueue durably records a new delivery: first its pending marker, then
// the record itself, whose creation is the claim. A delivery that already
// exists is left alone (it was enqueued before: a redelivery, a restart or
// another alerter).
func (s *stores) enqueue(ctx context.Context, d Delivery) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode delivery %s: %w", d.ID, err)
	}
	if _, err := s.deliveries.Get(ctx, d.ID); err == nil {
		return nil
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("look up delivery %s: %w", d.ID, err)
	}
	if _, err := s.queue.Put(ctx, pendingKey(d.ID), nil); err != nil {
		return fmt.Errorf("queue delivery %s: %w", d.ID, err)
	}
	if _, err := s.deliveries.Create(ctx, d.ID, raw); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("create delivery %s: %w", d.ID, err)
	}
	return nil
}

// keys lists the keys of kv matching filter; none is not an error.
func keys(ctx context.Context, kv jetstream.KeyValue, filter string) ([]string, error) {
	l, err := kv.ListKeysFiltered(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("list %s keys: %w", filter, err)
	}
	var out []string
	for k := range l.Keys() {
		out = append(out, k)
	}
	_ = l.Stop()
	return out, nil
}

// deleteKey deletes a key, ignoring one already gone.
func deleteKey(ctx context.Context, kv jetstream.KeyValue, key string) error {
	if err := kv.Delete(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
