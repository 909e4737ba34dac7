package poller

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/fetch"
)

// Poller polls a changing set of feeds. Create it with New.
type Poller struct {
	opts    Options
	pub     Publisher
	store   StateStore
	fetcher *fetch.Fetcher
	jitter  func() float64 // in [0,1); math/rand/v2 by default
	stats   counters

	wake chan struct{} // nudges the dispatcher; buffered 1
	jobs chan job      // dispatcher → workers; unbuffered

	mu    sync.Mutex           // guards everything below
	feeds map[string]*entry    // by configured URL
	hosts map[string]*hostSlot // by host[:port]
	queue timerHeap            // feeds and host wake-ups by due time
}

// New returns a Poller that publishes to pub and keeps feed state in store
// (nil: a MemoryState). Zero Options fields take their defaults.
func New(opts Options, pub Publisher, store StateStore) *Poller {
	opts = opts.withDefaults()
	if store == nil {
		store = NewMemoryState()
	}
	f := opts.Fetcher
	if f == nil {
		f = fetch.New(opts.fetchOptions())
	}
	return &Poller{
		opts:    opts,
		pub:     pub,
		store:   store,
		fetcher: f,
		jitter:  rand.Float64,
		wake:    make(chan struct{}, 1),
		jobs:    make(chan job),
		feeds:   map[string]*entry{},
		hosts:   map[string]*hostSlot{},
	}
}

// Run sets feeds (as SetFeeds) and polls until ctx is done, then waits for
// in-flight polls to stop (their requests are cancelled with ctx) and
// returns ctx's error. No goroutine outlives Run. Run must not be called
// twice at once.
func (p *Poller) Run(ctx context.Context, feeds []feedlist.Feed) error {
	if feeds != nil {
		p.SetFeeds(feeds)
	}
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() { p.worker(ctx) })
	}
	p.dispatch(ctx)
	wg.Wait()
	p.fetcher.Client().CloseIdleConnections()
	return ctx.Err()
}

// SetFeeds replaces the set of feeds: new ones are polled as soon as their
// stored state allows, removed ones stop (a poll in flight finishes), and
// changed settings (name, interval, full text) apply from the next poll.
// Feeds are identified by URL; duplicates keep the last.
func (p *Poller) SetFeeds(feeds []feedlist.Feed) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := make(map[string]bool, len(feeds))
	for _, f := range feeds {
		f.URL = strings.TrimSpace(f.URL)
		keep[f.URL] = true
		if e, ok := p.feeds[f.URL]; ok {
			e.feed = f
			continue
		}
		e := &entry{feed: f, st: State{URL: f.URL, Status: StatusPending}}
		e.t = timed{feed: e, idx: -1}
		p.feeds[f.URL] = e
		p.queue.schedule(&e.t, p.opts.Now())
	}
	for u, e := range p.feeds {
		if !keep[u] {
			e.removed = true
			p.queue.cancel(&e.t)
			delete(p.feeds, u)
		}
	}
	p.nudge()
}

// Enable clears a feed's disabled state (after a 410), its error count and
// its backoff, and polls it soon; use it when an operator knows a feed is
// back. It reports whether the feed is known.
func (p *Poller) Enable(feedURL string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.feeds[feedURL]
	if !ok {
		return false
	}
	e.enable = true
	if !e.running && !e.waiting {
		e.loaded = false // reload from the store, then clear, in a worker
		p.queue.schedule(&e.t, p.opts.Now())
		p.nudge()
	} // else finish() picks the flag up
	return true
}

// Status returns the state of every feed, sorted by URL.
func (p *Poller) Status() []FeedStatus {
	p.mu.Lock()
	out := make([]FeedStatus, 0, len(p.feeds))
	for _, e := range p.feeds {
		out = append(out, StatusOf(e.feed, e.st))
	}
	p.mu.Unlock()
	slices.SortFunc(out, func(a, b FeedStatus) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// StatusOf is the public view of feed f in state st.
func StatusOf(f feedlist.Feed, st State) FeedStatus {
	if st.Status == "" {
		st.Status = StatusPending
	}
	return FeedStatus{
		URL: f.URL, Name: f.Name, Status: st.Status, LastError: st.LastError,
		LastPolled: st.LastPolled, NextPoll: st.NextPoll, NextReason: st.NextReason,
		Articles: st.Articles, ErrorCount: st.ErrorCount, LastSuccess: st.LastSuccess,
		MovedTo: st.MovedTo, ETag: st.ETag,
	}
}

// nudge wakes the dispatcher without blocking.
func (p *Poller) nudge() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// hostOf returns the host[:port] a feed is fetched from.
func hostOf(st State) string {
	raw := st.URL
	if st.MovedTo != "" {
		raw = st.MovedTo
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}

// wrapPoll names the feed in an error.
func wrapPoll(feedURL string, err error) error { return fmt.Errorf("poll %s: %w", feedURL, err) }
