package poller_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/poller"
	"github.com/dateline/dateline/internal/poller/fetch"
)

// printPublisher stands in for the JetStream publisher.
type printPublisher struct {
	mu   sync.Mutex
	seen map[string]string
}

func (p *printPublisher) Publish(_ context.Context, a article.Article) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[a.ID] == a.Hash() {
		return false, nil
	}
	p.seen[a.ID] = a.Hash()
	fmt.Printf("%s | %s | %s\n", a.Published.Format("2006-01-02"), a.Title, a.Text)
	return true, nil
}

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel><title>World</title>
<item><title>Treaty signed</title><link>https://example.org/t</link><pubDate>Wed, 19 Jun 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Leaders signed a treaty.&lt;/p&gt;</description></item></channel></rss>`)
	}))
	defer srv.Close()

	p := poller.New(poller.Options{
		Interval:             10 * time.Minute,
		AllowPrivateNetworks: true, // the test server is on 127.0.0.1
		UserAgent:            fetch.UserAgent("1.0", "https://example.org/contact"),
	}, &printPublisher{seen: map[string]string{}}, poller.NewMemoryState())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx, []poller.Feed{{URL: srv.URL, Name: "World"}}) }()
	for p.Stats().Polls == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	s := p.Status()[0]
	fmt.Println(s.Status, s.Articles, s.NextReason)
	// Output:
	// 2024-06-19 | Treaty signed | Leaders signed a treaty.
	// ok 1 interval
}
