// Package stage runs the pipeline's JetStream consumers: the extractor,
// which reads ARTICLES and writes EVENTS, and the indexer, which reads
// EVENTS into the search index. Each acknowledges a message only after its
// own output is durable, and each is idempotent, so a crash or a
// redelivery at any point loses nothing and doubles nothing.
package stage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/bus"
)

// maxDeliver is the delivery at which a stage that fails to process a
// message moves it to the dead-letter stream instead of retrying.
const maxDeliver = 5

// retryBackoff spaces the redeliveries of a failing message.
var retryBackoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

// deadLetter copies msg with its reason to the DEADLETTER stream, then
// terminates it so the consumer moves on.
func deadLetter(ctx context.Context, js jetstream.JetStream, stageName string, msg jetstream.Msg, reason error) error {
	dl := nats.NewMsg("dead." + stageName + "." + lastToken(msg.Subject()))
	dl.Data = msg.Data()
	dl.Header.Set(bus.ErrorHeader, reason.Error())
	dl.Header.Set("Dateline-Subject", msg.Subject())
	for _, h := range []string{bus.HashHeader, bus.FeedHeader} {
		if v := msg.Headers().Get(h); v != "" {
			dl.Header.Set(h, v)
		}
	}
	if md, err := msg.Metadata(); err == nil {
		dl.Header.Set("Dateline-Stream-Seq", strconv.FormatUint(md.Sequence.Stream, 10))
		dl.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("%s.%d", stageName, md.Sequence.Stream))
	}
	if _, err := js.PublishMsg(ctx, dl); err != nil {
		return fmt.Errorf("dead-letter %s: %w", msg.Subject(), err)
	}
	return msg.TermWithReason(reason.Error())
}

// lastDelivery reports whether msg has used up its deliveries.
func lastDelivery(msg jetstream.Msg) bool {
	md, err := msg.Metadata()
	return err == nil && md.NumDelivered >= maxDeliver
}

func lastToken(subject string) string {
	for i := len(subject) - 1; i >= 0; i-- {
		if subject[i] == '.' {
			return subject[i+1:]
		}
	}
	return subject
}
