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
// A failed fetch or commit is retried; Run returns an error only when it
// cannot create its consumer or when the consumer or its stream is gone
// (calling Run again creates the consumer anew, from the checkpoint).
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
			err = fmt.Errorf("fetch: %w", err)
		} else {
			err = ix.apply(ctx, batch)
		}
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if lost := ix.lost(ctx, cons, err); lost != nil {
			return stopped(ctx, IndexerStage, lost)
		}
		ix.Logger.Error("indexer: batch not applied; will retry", "err", err)
		sleep(ctx, time.Second)
	}
	return nil
}

// lost returns why consuming cannot go on after err: err itself when it
// says the consumer or stream is gone, or the error of looking the
// consumer up (a pull on a deleted consumer may only time out or find no
// responders); nil when the consumer is still there.
func (ix *Indexer) lost(ctx context.Context, cons jetstream.Consumer, err error) error {
	if errLost(err) {
		return err
	}
	if _, ierr := cons.Info(ctx); errLost(ierr) {
		return fmt.Errorf("%w (after %w)", ierr, err)
	}
	return nil
}

// apply commits one fetched batch and acknowledges it. On failure nothing
// is acknowledged, so the whole batch is redelivered after AckWait. An
// undecodable event set is given up to DEADLETTER (bus.GiveUp) before the
// rest is committed; the checkpoint still moves past it.
func (ix *Indexer) apply(ctx context.Context, batch jetstream.MessageBatch) error {
	var (
		sets []event.Set
		msgs []jetstream.Msg // to acknowledge once committed
		seen int
		seq  uint64
	)
	for msg := range batch.Messages() {
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("metadata of %s: %w", msg.Subject(), err)
		}
		seen++
		seq = max(seq, md.Sequence.Stream) // a redelivery may come after newer messages
		var s event.Set
		if err := json.Unmarshal(msg.Data(), &s); err != nil {
			if err := ix.giveUp(ctx, msg, fmt.Errorf("decode event set on %s: %w", msg.Subject(), err)); err != nil {
				return err
			}
			continue
		}
		msgs = append(msgs, msg)
		sets = append(sets, s)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && seen == 0 {
		return fmt.Errorf("fetch: %w", err)
	}
	if seen == 0 {
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

// giveUp dead-letters msg, which cannot be decoded, unless it is a replay
// for another stage: then it is acknowledged (see bus.ReplayedFor).
func (ix *Indexer) giveUp(ctx context.Context, msg jetstream.Msg, reason error) error {
	if r := bus.ReplayedFor(msg); r != "" && r != IndexerStage {
		ix.Logger.Warn("indexer: undecodable replay for another stage, acknowledged", "subject", msg.Subject(), "for", r, "err", reason)
		return msg.Ack()
	}
	ix.Logger.Error("indexer: giving up on event set", "subject", msg.Subject(), "err", reason)
	if err := bus.GiveUp(context.WithoutCancel(ctx), ix.JS, IndexerStage, msg, reason); err != nil {
		return fmt.Errorf("indexer: %w", err)
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
