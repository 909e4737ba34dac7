package stage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/event"
)

// Store is the index the Indexer writes to.
type Store interface {
	// Apply writes the sets and the checkpoint in one durable batch.
	Apply(ctx context.Context, sets []event.Set, checkpoint uint64) error
	// Checkpoint is the last EVENTS sequence applied.
	Checkpoint() (uint64, error)
}

// Indexer consumes EVENTS into a Store in batches, acknowledging a batch
// only after the Store committed it. Each index replica runs its own
// Indexer with its own durable consumer (see Node).
type Indexer struct {
	// JS is the JetStream connection.
	JS jetstream.JetStream
	// Store is the index.
	Store Store
	// Node names this replica's durable consumer ("indexer-<node>").
	Node string
	// BatchSize is the most messages applied in one batch (default 1000).
	BatchSize int
	// BatchWait is how long to wait to fill a batch (default 200ms).
	BatchWait time.Duration
	// OnApplied, if set, is called after each committed batch with its
	// sets, in stream order (for live streams and alerts).
	OnApplied func(sets []event.Set)
	// Logger receives failures.
	Logger *slog.Logger
}

// Run consumes until ctx is done. It first aligns the consumer with the
// index checkpoint: an index that is behind the consumer (lost, rebuilt or
// restored from an older snapshot) is replayed from the checkpoint on.
func (ix *Indexer) Run(ctx context.Context) error {
	cons, err := ix.consumer(ctx)
	if err != nil {
		return err
	}
	size := ix.BatchSize
	if size <= 0 {
		size = 1000
	}
	wait := ix.BatchWait
	if wait <= 0 {
		wait = 200 * time.Millisecond
	}
	for ctx.Err() == nil {
		// The server ends the pull after wait (FetchMaxWait rather than a
		// client-side context), so every message it delivered is received.
		batch, err := cons.Fetch(size, jetstream.FetchMaxWait(wait))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			ix.Logger.Warn("indexer: fetch", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if err := ix.apply(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			ix.Logger.Error("indexer: apply batch", "err", err)
			sleep(ctx, time.Second)
		}
	}
	return nil
}

// apply commits one fetched batch and acknowledges it. On failure nothing
// is acknowledged, so the whole batch is redelivered after AckWait.
func (ix *Indexer) apply(ctx context.Context, batch jetstream.MessageBatch) error {
	var (
		sets []event.Set
		msgs []jetstream.Msg
		seq  uint64
	)
	for msg := range batch.Messages() {
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("metadata of %s: %w", msg.Subject(), err)
		}
		seq = max(seq, md.Sequence.Stream) // a redelivery may come after newer messages
		msgs = append(msgs, msg)
		var s event.Set
		if err := json.Unmarshal(msg.Data(), &s); err != nil {
			ix.Logger.Error("indexer: undecodable event set, skipped", "subject", msg.Subject(), "seq", seq, "err", err)
			continue
		}
		sets = append(sets, s)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && len(msgs) == 0 {
		return fmt.Errorf("fetch: %w", err)
	}
	if len(msgs) == 0 {
		return nil
	}
	if cp, err := ix.Store.Checkpoint(); err == nil {
		seq = max(seq, cp) // the checkpoint never moves back
	}
	if err := ix.Store.Apply(ctx, sets, seq); err != nil {
		return fmt.Errorf("apply %d sets up to seq %d: %w", len(sets), seq, err)
	}
	// Each message is acked on its own: acking only the last (AckAll)
	// would also ack any message of an earlier pull that never arrived.
	for _, m := range msgs {
		if err := m.Ack(); err != nil {
			ix.Logger.Warn("indexer: ack", "subject", m.Subject(), "err", err)
		}
	}
	if ix.OnApplied != nil && len(sets) > 0 {
		ix.OnApplied(sets)
	}
	return nil
}

// consumer returns this replica's durable consumer, recreated to start
// right after the index checkpoint when the index is behind it.
func (ix *Indexer) consumer(ctx context.Context) (jetstream.Consumer, error) {
	name := "indexer-" + ix.Node
	cp, err := ix.Store.Checkpoint()
	if err != nil {
		return nil, fmt.Errorf("indexer: read checkpoint: %w", err)
	}
	cfg := jetstream.ConsumerConfig{
		Durable:       name,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxAckPending: 20000,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
	if cp > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, cp+1
	}
	existing, err := ix.JS.Consumer(ctx, bus.EventsStream, name)
	switch {
	case err == nil:
		info, err := existing.Info(ctx)
		if err != nil {
			return nil, fmt.Errorf("indexer: consumer info: %w", err)
		}
		if info.AckFloor.Stream <= cp {
			return existing, nil
		}
		ix.Logger.Warn("indexer: index is behind its consumer; replaying from the checkpoint",
			"checkpoint", cp, "consumer_ack_floor", info.AckFloor.Stream)
		if err := ix.JS.DeleteConsumer(ctx, bus.EventsStream, name); err != nil {
			return nil, fmt.Errorf("indexer: reset consumer: %w", err)
		}
	case errors.Is(err, jetstream.ErrConsumerNotFound):
	default:
		return nil, fmt.Errorf("indexer: look up consumer: %w", err)
	}
	cons, err := ix.JS.CreateConsumer(ctx, bus.EventsStream, cfg)
	if err != nil {
		return nil, fmt.Errorf("indexer: create consumer %s: %w", name, err)
	}
	return cons, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
