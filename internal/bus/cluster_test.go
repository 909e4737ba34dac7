package bus_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
)

// TestArticlesRaceOnAReplicatedStream: pollers on different servers of a
// three-node cluster publish the same articles at once into ARTICLES with
// three replicas. A copy whose message id another publisher has in flight
// ("409 duplicate message id is in process", which only a clustered
// stream answers) is a duplicate, not a failure: every Publish succeeds,
// and each article is stored exactly once.
func TestArticlesRaceOnAReplicatedStream(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node NATS cluster")
	}
	t.Parallel()
	c := bustest.NewCluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.Connect(t, 0, "setup").Setup(ctx, 3); err != nil {
		t.Fatalf("setup with 3 replicas: %v", err)
	}
	const publishers, articles = 6, 150
	var pubs []*bus.Articles
	for i := range publishers {
		p, err := c.Connect(t, i%3, fmt.Sprintf("poller-%d", i)).NewArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pubs = append(pubs, p)
	}
	var (
		mu     sync.Mutex
		stored = map[string]int{}
		errs   []error
		wg     sync.WaitGroup
	)
	start := make(chan struct{})
	for _, p := range pubs {
		wg.Go(func() {
			<-start
			for i := range articles {
				a := article.Article{ID: fmt.Sprintf("race%04d", i), Feed: "https://a.example/rss", Title: "T", Text: fmt.Sprint("body ", i)}
				ok, err := p.Publish(ctx, a)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				if ok {
					stored[a.ID]++
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if i < 5 {
			t.Errorf("Publish: %v", err)
		}
	}
	if len(errs) > 0 {
		t.Errorf("%d of %d publishes failed", len(errs), publishers*articles)
	}
	for i := range articles {
		if id := fmt.Sprintf("race%04d", i); stored[id] != 1 {
			t.Errorf("%s reported stored %d times, want once", id, stored[id])
		}
	}
	s, err := c.Connect(t, 1, "check").JS.Stream(ctx, bus.ArticlesStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != articles || info.Config.Replicas != 3 {
		t.Errorf("ARTICLES holds %d messages on %d replicas, want %d on 3", info.State.Msgs, info.Config.Replicas, articles)
	}
}
