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

// Rebuild copies the EVENTS stream into a Store that is being rebuilt
// beside the serving index (dateline reindex). It reads with an ordered
// consumer: ephemeral, unacknowledged, so the indexers' durable
// consumers are not touched. Reading the next batch (and decoding it)
// overlaps with applying the current one.
//
// A Rebuild is used by one goroutine at a time; To may be called again
// to copy what arrived since (each call creates its own consumer,
// starting after the Store's checkpoint).
type Rebuild struct {
	// JS is the JetStream connection.
	JS jetstream.JetStream
	// Store is the index being rebuilt; its checkpoint says where the
	// copy resumes.
	Store Store
	// BatchSize is the most event sets applied in one Apply (default
	// 1000).
	BatchSize int
	// Progress, if set, is called after every applied batch, from the
	// goroutine that called To.
	Progress func(RebuildProgress)
	// Logger receives the event sets skipped as undecodable; nil
	// discards.
	Logger *slog.Logger

	// done counts what this Rebuild applied, over every call of To.
	done RebuildProgress
}

// RebuildProgress is how far a Rebuild has come.
type RebuildProgress struct {
	// Seq is the EVENTS sequence the Store holds everything up to.
	Seq uint64
	// First and Last are the stream's first and last sequences when the
	// Rebuild last looked (Last grows while events arrive).
	First, Last uint64
	// Sets and Events count the event sets and events applied so far;
	// Skipped the sets that could not be decoded (the indexer
	// dead-letters those).
	Sets, Events, Skipped int
}

// Bounds returns the first and last sequences of EVENTS now.
func (r *Rebuild) Bounds(ctx context.Context) (first, last uint64, err error) {
	s, err := r.JS.Stream(ctx, bus.EventsStream)
	if err != nil {
		return 0, 0, fmt.Errorf("rebuild: stream %s: %w", bus.EventsStream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("rebuild: stream %s info: %w", bus.EventsStream, err)
	}
	return info.State.FirstSeq, info.State.LastSeq, nil
}

// To applies every event set of EVENTS after the Store's checkpoint, up
// to sequence to at least (the last batch may go beyond it), and returns
// the Store's new checkpoint. It stops early, with the stream's last
// sequence, when the stream ends before to (messages removed); it
// returns ctx's error when ctx ends first.
func (r *Rebuild) To(ctx context.Context, to uint64) (uint64, error) {
	cp, err := r.Store.Checkpoint()
	if err != nil {
		return 0, fmt.Errorf("rebuild: read checkpoint: %w", err)
	}
	r.done.Seq = max(r.done.Seq, cp)
	if cp >= to {
		return cp, nil
	}
	cons, err := r.JS.OrderedConsumer(ctx, bus.EventsStream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: cp + 1,
	})
	if err != nil {
		return cp, fmt.Errorf("rebuild: read %s from %d: %w", bus.EventsStream, cp+1, err)
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunk, 1)
	go r.read(fctx, cons, cp, to, chunks)
	for c := range chunks {
		if c.err != nil {
			return cp, c.err
		}
		if len(c.sets) > 0 || c.seq > cp {
			seq := max(c.seq, cp)
			if err := r.Store.Apply(ctx, c.sets, seq); err != nil {
				return cp, fmt.Errorf("rebuild: apply %d sets up to seq %d: %w", len(c.sets), seq, err)
			}
			cp = seq
		}
		r.done.Seq, r.done.Sets, r.done.Skipped = cp, r.done.Sets+len(c.sets), r.done.Skipped+c.skipped
		for _, s := range c.sets {
			r.done.Events += len(s.Events)
		}
		if c.last > 0 {
			r.done.First, r.done.Last = c.first, c.last
		}
		if r.Progress != nil {
			r.Progress(r.done)
		}
	}
	if err := ctx.Err(); err != nil {
		return cp, err
	}
	return cp, nil
}

// Done returns what the Rebuild has done so far.
func (r *Rebuild) Done() RebuildProgress { return r.done }

// chunk is one fetched batch, decoded: its sets, the last sequence it
// held, and the stream's bounds when they were last looked up.
type chunk struct {
	sets        []event.Set
	seq         uint64
	skipped     int
	first, last uint64
	err         error
}

// read fetches batches from cons (after seq from) until it has passed
// to, and sends them decoded on out, which it closes.
func (r *Rebuild) read(ctx context.Context, cons jetstream.Consumer, from, to uint64, out chan<- chunk) {
	defer close(out)
	send := func(c chunk) bool {
		select {
		case out <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	size := r.BatchSize
	if size <= 0 {
		size = 1000
	}
	seq := from
	for seq < to && ctx.Err() == nil {
		batch, err := cons.FetchNoWait(size)
		var c chunk
		if err == nil {
			c, err = r.decode(batch, seq)
		}
		if err != nil {
			send(chunk{err: fmt.Errorf("rebuild: fetch %s after %d: %w", bus.EventsStream, seq, err)})
			return
		}
		if c.seq <= seq {
			// Nothing now: has the stream ended before to, or are the
			// messages still on their way?
			first, last, err := r.Bounds(ctx)
			if err != nil {
				send(chunk{err: err})
				return
			}
			if last <= seq {
				send(chunk{seq: seq, first: first, last: last})
				return
			}
			batch, err := cons.Fetch(size, jetstream.FetchMaxWait(time.Second))
			if err == nil {
				c, err = r.decode(batch, seq)
			}
			if err != nil {
				send(chunk{err: fmt.Errorf("rebuild: fetch %s after %d: %w", bus.EventsStream, seq, err)})
				return
			}
			c.first, c.last = first, last
		}
		if c.seq > seq {
			seq = c.seq
		}
		if c.last == 0 && (seq >= to || len(c.sets) < size) {
			c.first, c.last, _ = r.Bounds(ctx)
		}
		if !send(c) {
			return
		}
	}
}

// decode reads a fetched batch into a chunk. An undecodable set is
// skipped (and logged): the indexer dead-letters it.
func (r *Rebuild) decode(batch jetstream.MessageBatch, seq uint64) (chunk, error) {
	c := chunk{seq: seq}
	for msg := range batch.Messages() {
		md, err := msg.Metadata()
		if err != nil {
			return c, fmt.Errorf("metadata of %s: %w", msg.Subject(), err)
		}
		c.seq = max(c.seq, md.Sequence.Stream)
		var s event.Set
		if err := json.Unmarshal(msg.Data(), &s); err != nil {
			c.skipped++
			if r.Logger != nil {
				r.Logger.Warn("rebuild: undecodable event set skipped", "subject", msg.Subject(), "seq", md.Sequence.Stream, "err", err)
			}
			continue
		}
		c.sets = append(c.sets, s)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && c.seq == seq {
		return c, err
	}
	return c, nil
}
