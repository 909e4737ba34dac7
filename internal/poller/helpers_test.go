package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

// recPub is the real ARTICLES publisher, bus.Articles on an embedded
// JetStream server, with a record of what the poller handed it: tests see
// the dedup and update rules of the publisher the service uses, not a copy.
type recPub struct {
	bus *bus.Bus
	js  *bus.Articles

	mu    sync.Mutex        // guards the fields below
	arts  []article.Article // stored as new or updated, in order
	calls int               // Publish calls
}

// newPub starts an embedded JetStream server for the test and returns a
// publisher on its ARTICLES stream.
func newPub(t testing.TB) *recPub { return newPubOn(t, bustest.New(t, "")) }

// newPubOn returns a fresh publisher (no cache, as after a restart) on b.
func newPubOn(t testing.TB, b *bus.Bus) *recPub {
	t.Helper()
	js, err := b.NewArticles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &recPub{bus: b, js: js}
}

func (r *recPub) Publish(ctx context.Context, a article.Article) (bool, error) {
	r.mu.Lock()
	r.calls++
	r.mu.Unlock()
	ok, err := r.js.Publish(ctx, a)
	if ok {
		r.mu.Lock()
		r.arts = append(r.arts, a)
		r.mu.Unlock()
	}
	return ok, err
}

// articles returns the articles stored as new or updated, in order.
func (r *recPub) articles() []article.Article {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]article.Article(nil), r.arts...)
}

// count is len(articles()).
func (r *recPub) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.arts)
}

// called returns how many times Publish was called.
func (r *recPub) called() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// stored returns what the ARTICLES stream holds: its message count and the
// article stored under id, if any (none asked for when id is empty).
func (r *recPub) stored(t testing.TB, id string) (msgs uint64, a article.Article, found bool) {
	t.Helper()
	ctx := context.Background()
	s, err := r.bus.JS.Stream(ctx, bus.ArticlesStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		return info.State.Msgs, a, false
	}
	m, err := s.GetLastMsgForSubject(ctx, bus.ArticleSubject(id))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return info.State.Msgs, a, false
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m.Data, &a); err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs, a, true
}

// testOptions are fast, private-network-allowed options with a quiet log.
func testOptions() Options {
	return Options{
		Interval:             time.Hour,
		AllowPrivateNetworks: true,
		Timeout:              5 * time.Second,
		PerHostSpacing:       -1,
		PerHostConcurrency:   4,
		Workers:              4,
		Logger:               slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// start runs p on feeds until the test ends, and checks Run returns.
func start(t testing.TB, p *Poller, feeds []feedlist.Feed) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, feeds) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
}

// status returns the FeedStatus of url.
func status(p *Poller, url string) (FeedStatus, bool) {
	for _, s := range p.Status() {
		if s.URL == url {
			return s, true
		}
	}
	return FeedStatus{}, false
}

// waitStatus waits until url's status satisfies cond and returns it.
func waitStatus(t testing.TB, p *Poller, url string, cond func(FeedStatus) bool) FeedStatus {
	t.Helper()
	var s FeedStatus
	wait.For(t, 10*time.Second, func() error {
		var ok bool
		if s, ok = status(p, url); !ok || !cond(s) {
			return fmt.Errorf("status of %s: %+v", url, s)
		}
		return nil
	})
	return s
}

// rss renders an RSS 2.0 feed of items given as title|link|description.
func rss(extra string, items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>` + extra)
	for i, it := range items {
		parts := strings.SplitN(it, "|", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><description><![CDATA[%s]]></description><pubDate>Mon, 0%d Jan 2024 10:00:00 GMT</pubDate></item>", parts[0], parts[1], parts[2], i%9+1)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}
