package poller_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/fetch"
	"github.com/dateline/dateline/internal/poller"
)

// Example wires a poller as `dateline serve` does: articles go to the
// ARTICLES stream of an embedded JetStream server and feed state to its
// KV bucket. It polls one feed once and reads the stored article back.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel><title>World</title>
<item><title>Treaty signed</title><link>https://example.org/t?utm_source=rss</link><pubDate>Wed, 19 Jun 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Leaders signed a treaty.&lt;/p&gt;</description></item></channel></rss>`)
	}))
	defer srv.Close()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "dateline-example")
	check(err)
	defer os.RemoveAll(dir)
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: dir, SyncInterval: "always"})
	check(err)
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	b, err := bus.Connect(ctx, "", ns, "example")
	check(err)
	defer b.Close()
	check(b.Setup(ctx, 1))
	articles, err := b.NewArticles(ctx)
	check(err)
	stateKV, err := b.KV(ctx, bus.FeedStateBucket)
	check(err)

	p := poller.New(poller.Options{
		Interval:             10 * time.Minute,
		AllowPrivateNetworks: true, // the test server is on 127.0.0.1
		UserAgent:            fetch.UserAgent("1.0", "https://example.org/contact"),
	}, articles, poller.NewKVState(stateKV))
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- p.Run(pctx, []feedlist.Feed{{URL: srv.URL, Name: "World"}}) }()
	for p.Stats().Polls == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	s := p.Status()[0]
	fmt.Println(s.Status, s.Articles, s.NextReason)

	stream, err := b.JS.Stream(ctx, bus.ArticlesStream)
	check(err)
	m, err := stream.GetMsg(ctx, 1)
	check(err)
	var a article.Article
	check(json.Unmarshal(m.Data, &a))
	fmt.Printf("%s | %s | %s | %s\n", a.Published.Format("2006-01-02"), a.Title, a.URL, a.Text)
	// Output:
	// ok 1 interval
	// 2024-06-19 | Treaty signed | https://example.org/t | Leaders signed a treaty.
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
