package bus_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
)

func benchBus(b *testing.B, sync string) *bus.Bus {
	b.Helper()
	ctx := context.Background()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: b.TempDir(), SyncInterval: sync})
	if err != nil {
		b.Fatal(err)
	}
	bb, err := bus.Connect(ctx, "", ns, "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bb.Close(); ns.Shutdown(); ns.WaitForShutdown() })
	if err := bb.Setup(ctx, 1); err != nil {
		b.Fatal(err)
	}
	return bb
}

var body3k = strings.Repeat("North Korea and Russia signed a treaty on June 19, 2024. ", 52)

// BenchmarkPublishArticle measures Articles.Publish (one conditional
// publish of a new ~3 KB article) beside a raw JetStream publish of the
// same bytes, with the server's default sync interval and with
// sync_interval: always.
func BenchmarkPublishArticle(b *testing.B) {
	for _, sync := range []string{"", "always"} {
		name := "sync=default"
		if sync != "" {
			name = "sync=" + sync
		}
		b.Run(name+"/dateline", func(b *testing.B) {
			bb := benchBus(b, sync)
			pub, err := bb.NewArticles(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body3k)))
			i := 0
			for b.Loop() {
				a := article.Article{ID: article.ID(fmt.Sprint("g", i), "", "", time.Time{}), Feed: "f", Text: body3k}
				if _, err := pub.Publish(context.Background(), a); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(name+"/raw-jetstream", func(b *testing.B) {
			bb := benchBus(b, sync)
			b.SetBytes(int64(len(body3k)))
			i := 0
			for b.Loop() {
				m := nats.NewMsg(fmt.Sprintf("articles.raw%d", i))
				m.Data = []byte(body3k)
				if _, err := bb.JS.PublishMsg(context.Background(), m); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkPublishArticleParallel is BenchmarkPublishArticle with 16
// publishers at once, as the poller's workers publish.
func BenchmarkPublishArticleParallel(b *testing.B) {
	for _, sync := range []string{"", "always"} {
		b.Run("sync="+sync, func(b *testing.B) {
			bb := benchBus(b, sync)
			pub, err := bb.NewArticles(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body3k)))
			b.SetParallelism(8)
			var n atomicCounter
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a := article.Article{ID: article.ID(fmt.Sprint("g", n.next()), "", "", time.Time{}), Feed: "f", Text: body3k}
					if _, err := pub.Publish(context.Background(), a); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

type atomicCounter struct{ n atomic.Int64 }

func (c *atomicCounter) next() int64 { return c.n.Add(1) }
