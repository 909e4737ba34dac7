package stage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/event"
)

// ExtractFunc reads the events of one article. It must be pure and
// deterministic: the same article always gives the same events and ids.
type ExtractFunc func(a article.Article) []event.Event

// Extractor consumes ARTICLES and publishes one event.Set per article to
// EVENTS. Several Extractors (in one process or many) share the work as
// one durable queue consumer.
type Extractor struct {
	// JS is the JetStream connection.
	JS jetstream.JetStream
	// Extract reads events from an article.
	Extract ExtractFunc
	// Workers is how many articles are processed at once (default 2).
	Workers int
	// AckWait is how long JetStream waits for an ack before redelivering
	// (default 30s): how soon the articles of a crashed extractor return.
	AckWait time.Duration
	// Backoff spaces the retries of a failing article (default
	// bus.RetryBackoff()); when it fails on its bus.MaxDeliver-th delivery,
	// or cannot be decoded, it goes to DEADLETTER.
	Backoff []time.Duration
	// Logger receives one line per failure.
	Logger *slog.Logger
}

// ExtractorConsumer is the durable consumer name shared by all extractors.
const ExtractorConsumer = "extractor"

// Run consumes until ctx is done, then hands back unacknowledged messages
// (they are redelivered) and returns nil. It returns an error when it
// cannot create its consumer or when consuming stops on its own (the
// consumer or the stream was deleted); calling Run again creates the
// consumer anew.
func (x *Extractor) Run(ctx context.Context) error {
	ackWait := x.AckWait
	if ackWait == 0 {
		ackWait = 30 * time.Second
	}
	cons, err := x.JS.CreateOrUpdateConsumer(ctx, bus.ArticlesStream, jetstream.ConsumerConfig{
		Durable:   ExtractorConsumer,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   ackWait,
		// No server-side MaxDeliver: a process killed with messages in its
		// buffer counts a delivery for each without trying them, so after
		// a few crashes the server would stop delivering articles that
		// never failed. handle dead-letters a message only when processing
		// it failed on its bus.MaxDeliver-th delivery.
		MaxDeliver:    -1,
		MaxAckPending: 2000,
	})
	if err != nil {
		return fmt.Errorf("extractor: consumer on %s: %w", bus.ArticlesStream, err)
	}
	workers := max(x.Workers, 1)
	iter, err := cons.Messages(jetstream.PullMaxMessages(256))
	if err != nil {
		return fmt.Errorf("extractor: consume %s: %w", bus.ArticlesStream, err)
	}
	stop := context.AfterFunc(ctx, iter.Stop)
	defer stop()
	// Workers extract and publish asynchronously; the acker waits for each
	// publish to be stored before it acks the article, so publishing is
	// pipelined (one fsync does not wait for the next article's extraction)
	// and nothing is acked before its events are durable.
	pending := make(chan inflight, 512)
	var acker sync.WaitGroup
	acker.Go(func() {
		for p := range pending {
			x.settle(ctx, p)
		}
	})
	// The first worker whose Next fails stops the iterator, so the others
	// stop too; its error (not theirs: "iterator closed") is the cause.
	var (
		wg    sync.WaitGroup
		once  sync.Once
		cause error
	)
	for range workers {
		wg.Go(func() {
			for {
				msg, err := iter.Next()
				if err != nil {
					once.Do(func() { cause = err; iter.Stop() })
					return
				}
				fut, err := x.process(ctx, msg)
				pending <- inflight{msg: msg, fut: fut, err: err}
			}
		})
	}
	wg.Wait()
	close(pending)
	acker.Wait()
	if errors.Is(cause, jetstream.ErrMsgIteratorClosed) && ctx.Err() != nil {
		return nil
	}
	return stopped(ctx, ExtractorStage, cause)
}

// inflight is an article whose events are being published.
type inflight struct {
	msg jetstream.Msg
	fut jetstream.PubAckFuture
	err error
}

// settle waits for the publish of p's events and acks, retries or
// dead-letters the article.
func (x *Extractor) settle(ctx context.Context, p inflight) {
	err := p.err
	if err == nil {
		select {
		case <-p.fut.Ok():
		case err = <-p.fut.Err():
			err = fmt.Errorf("publish events of %s: %w", p.msg.Subject(), err)
		case <-ctx.Done():
			_ = p.msg.Nak()
			return
		}
	}
	x.handle(ctx, p.msg, err)
}

func (x *Extractor) handle(ctx context.Context, msg jetstream.Msg, err error) {
	if err == nil {
		if err := msg.Ack(); err != nil {
			x.Logger.Warn("extractor: ack", "subject", msg.Subject(), "err", err)
		}
		return
	}
	if bus.IsDuplicateInProcess(err) {
		// Another extractor is storing this very set (the same article
		// delivered twice, after a crash): look again shortly; on the last
		// delivery its copy is the one stored.
		x.Logger.Debug("extractor: events being stored by another extractor", "subject", msg.Subject())
		if bus.Exhausted(msg) {
			_ = msg.Ack()
			return
		}
		_ = msg.NakWithDelay(200 * time.Millisecond)
		return
	}
	var perm *permanentError
	if errors.As(err, &perm) && bus.ReplayedFor(msg) != "" && bus.ReplayedFor(msg) != ExtractorStage {
		x.Logger.Warn("extractor: undecodable replay for another stage, acknowledged", "subject", msg.Subject(), "err", err)
		_ = msg.Ack()
		return
	}
	if errors.As(err, &perm) || bus.Exhausted(msg) {
		x.Logger.Error("extractor: giving up on article", "subject", msg.Subject(), "err", err)
		if err := bus.GiveUp(context.WithoutCancel(ctx), x.JS, ExtractorStage, msg, err); err != nil {
			x.Logger.Error("extractor: dead-letter", "err", err)
		}
		return
	}
	x.Logger.Warn("extractor: will retry article", "subject", msg.Subject(), "err", err)
	// Retries are spaced by NakWithDelay, not a consumer BackOff: that
	// would also delay the redelivery of messages stranded by a crash,
	// which did not fail.
	_ = msg.NakWithDelay(bus.RetryDelay(msg, x.Backoff))
}

// process reads the article, extracts its events and starts publishing
// the set; the returned future reports when it is stored.
func (x *Extractor) process(ctx context.Context, msg jetstream.Msg) (jetstream.PubAckFuture, error) {
	var a article.Article
	if err := json.Unmarshal(msg.Data(), &a); err != nil {
		return nil, &permanentError{fmt.Errorf("decode article on %s: %w", msg.Subject(), err)}
	}
	if a.ID == "" {
		return nil, &permanentError{fmt.Errorf("article on %s has no id", msg.Subject())}
	}
	events, err := x.safeExtract(a)
	if err != nil {
		return nil, err
	}
	set := event.Set{Article: a.Ref(), Hash: msg.Headers().Get(bus.HashHeader), Events: events}
	if set.Hash == "" {
		set.Hash = a.Hash()
	}
	data, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("encode events of %s: %w", a.ID, err)
	}
	out := nats.NewMsg(bus.EventSubject(a.ID))
	out.Data = data
	out.Header.Set(jetstream.MsgIDHeader, a.ID+"."+set.Hash)
	fut, err := x.JS.PublishMsgAsync(out, jetstream.WithStallWait(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("publish events of %s: %w", a.ID, err)
	}
	return fut, nil
}

func (x *Extractor) safeExtract(a article.Article) (events []event.Event, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("extract %s panicked: %v\n%s", a.ID, r, debug.Stack())
		}
	}()
	return x.Extract(a), nil
}

// permanentError marks a failure that no retry can fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
