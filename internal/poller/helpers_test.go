package poller

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// memPub is a Publisher that dedups by ID and Hash like the JetStream one.
type memPub struct {
	mu    sync.Mutex
	byID  map[string]string // id → hash
	arts  []article.Article // published, in order
	calls int
	fail  error // returned by Publish when set
}

func newMemPub() *memPub { return &memPub{byID: map[string]string{}} }

func (m *memPub) Publish(_ context.Context, a article.Article) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.fail != nil {
		return false, m.fail
	}
	h := a.Hash()
	if m.byID[a.ID] == h {
		return false, nil
	}
	m.byID[a.ID] = h
	m.arts = append(m.arts, a)
	return true, nil
}

func (m *memPub) articles() []article.Article {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]article.Article(nil), m.arts...)
}

func (m *memPub) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.arts)
}

// checkFor polls cond every 10ms until it returns nil or timeout passes.
func checkFor(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = cond(); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("condition not met after %v: %v", timeout, err)
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
func start(t testing.TB, p *Poller, feeds []Feed) {
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
	checkFor(t, 10*time.Second, func() error {
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
