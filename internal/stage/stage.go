// Package stage runs the pipeline's JetStream consumers: the extractor,
// which reads ARTICLES and writes EVENTS, and the indexer, which reads
// EVENTS into the search index. Each acknowledges a message only after its
// own output is durable, and each is idempotent, so a crash or a
// redelivery at any point loses nothing and doubles nothing. Both follow
// the one dead-letter policy of package bus (bus.GiveUp), and both return
// from Run with an error when their consumer or stream goes away, so that
// the service's supervisor restarts them (and Run recreates the consumer).
package stage

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Stage names, as dead letters and the supervisor record them.
const (
	// ExtractorStage names the extractor.
	ExtractorStage = "extractor"
	// IndexerStage names the indexer.
	IndexerStage = "indexer"
)

// errLost reports whether err means the consumer or its stream is gone, so
// that consuming cannot go on without creating them again.
func errLost(err error) bool {
	return errors.Is(err, jetstream.ErrConsumerDeleted) ||
		errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrStreamNotFound) ||
		errors.Is(err, jetstream.ErrBadRequest)
}

// stopped turns why a consumer stopped into Run's result: nil when ctx is
// done (a clean stop), else an error naming the stage.
func stopped(ctx context.Context, stage string, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	if err == nil {
		err = errors.New("message iterator closed")
	}
	return fmt.Errorf("%s: consumer stopped: %w", stage, err)
}
