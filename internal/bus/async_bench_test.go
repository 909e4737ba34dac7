package bus_test

import (
	"fmt"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BenchmarkRawAsyncPublish is the raw JetStream ceiling: async publishes
// of 3 KB messages. The timed region ends once every ack has arrived, so
// an op is a message stored (and, with sync_interval: always, fsynced),
// not a message handed to the client's buffer.
func BenchmarkRawAsyncPublish(b *testing.B) {
	for _, sync := range []string{"", "always"} {
		name := "sync=default"
		if sync != "" {
			name = "sync=" + sync
		}
		b.Run(name, func(b *testing.B) {
			bb := benchBus(b, sync)
			b.SetBytes(int64(len(body3k)))
			var acks []jetstream.PubAckFuture
			i := 0
			for b.Loop() {
				m := nats.NewMsg(fmt.Sprintf("articles.raw%d", i))
				m.Data = []byte(body3k)
				f, err := bb.JS.PublishMsgAsync(m, jetstream.WithStallWait(10e9))
				if err != nil {
					b.Fatal(err)
				}
				acks = append(acks, f)
				i++
			}
			// b.Loop stopped the timer on its way out; the acks still in
			// flight are part of the cost, so time the wait for them too.
			b.StartTimer()
			<-bb.JS.PublishAsyncComplete()
			b.StopTimer()
			for _, f := range acks {
				select {
				case <-f.Ok():
				case err := <-f.Err():
					b.Fatalf("publish %s: %v", f.Msg().Subject, err)
				}
			}
		})
	}
}
