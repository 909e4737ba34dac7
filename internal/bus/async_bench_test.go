package bus_test

import (
	"fmt"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BenchmarkRawAsyncPublish is the raw JetStream ceiling: async publishes
// of 3 KB messages, acks awaited at the end.
func BenchmarkRawAsyncPublish(b *testing.B) {
	for _, sync := range []string{"", "always"} {
		b.Run("sync="+sync, func(b *testing.B) {
			bb := benchBus(b, sync)
			b.SetBytes(int64(len(body3k)))
			i := 0
			for b.Loop() {
				m := nats.NewMsg(fmt.Sprintf("articles.raw%d", i))
				m.Data = []byte(body3k)
				if _, err := bb.JS.PublishMsgAsync(m, jetstream.WithStallWait(10e9)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			<-bb.JS.PublishAsyncComplete()
		})
	}
}
