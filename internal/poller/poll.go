package poller

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/fetch"
)

// worker runs jobs until ctx is done.
func (p *Poller) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-p.jobs:
			if j.host == nil {
				p.load(ctx, j)
				continue
			}
			st, ok := p.poll(ctx, j.feed, j.st)
			if !ok {
				p.finish(j, nil, time.Time{})
				continue
			}
			p.finish(j, &st, time.Time{})
		}
	}
}

// load reads a new feed's stored state so a restart resumes its schedule,
// validators and counters instead of refetching at once.
func (p *Poller) load(ctx context.Context, j job) {
	now := p.opts.Now()
	st, ok, err := p.store.Load(ctx, j.feed.URL)
	if err != nil {
		if ctx.Err() == nil {
			p.opts.Logger.Warn("load feed state", "feed", j.feed.URL, "err", err)
		}
		p.finish(j, nil, now.Add(min(p.interval(j.feed), 30*time.Second)))
		return
	}
	if !ok {
		st = State{Status: StatusPending}
	}
	st.URL = j.feed.URL
	if j.enable {
		st.Disabled, st.ErrorCount, st.LastError = false, 0, ""
		st.Status, st.NextPoll, st.NextReason = StatusPending, now, "enabled"
		if err := p.store.Save(ctx, st); err != nil && ctx.Err() == nil {
			p.opts.Logger.Warn("save feed state", "feed", j.feed.URL, "err", err)
		}
	}
	if st.NextPoll.Before(now) {
		st.NextPoll = now
	}
	p.finish(j, &st, time.Time{})
}

// interval is the feed's configured polling interval.
func (p *Poller) interval(f feedlist.Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval
	}
	return p.opts.Interval
}

// poll polls one feed and saves its new state. ok=false means ctx ended
// and st must be ignored.
func (p *Poller) poll(ctx context.Context, f feedlist.Feed, st State) (_ State, ok bool) {
	now := p.opts.Now()
	if p.opts.Leaser != nil {
		var proceed bool
		st, proceed, ok = p.lease(ctx, f, st, now)
		if !proceed {
			return st, ok
		}
		defer p.keepLease(ctx, f.URL)()
	}
	next := p.fetchFeed(ctx, f, st, p.opts.Now())
	if ctx.Err() != nil {
		return st, false
	}
	p.stats.polls.Add(1)
	if err := p.store.Save(ctx, next); err != nil {
		p.opts.Logger.Warn("save feed state", "feed", f.URL, "err", err)
	}
	return next, true
}

// fetchFeed fetches, parses and publishes one feed and returns its new
// state. It never fails: errors are recorded in the state.
func (p *Poller) fetchFeed(ctx context.Context, f feedlist.Feed, st State, now time.Time) State {
	target := st.URL
	if st.MovedTo != "" {
		target = st.MovedTo
	}
	resp, err := p.fetcher.Get(ctx, fetch.Request{URL: target, ETag: st.ETag, LastModified: st.LastModified})
	st.LastPolled = now
	if resp != nil && resp.MovedTo != "" {
		st.MovedTo = resp.MovedTo
		p.opts.Logger.Info("feed moved permanently", "feed", f.URL, "to", resp.MovedTo)
	}
	if err != nil {
		return p.failed(ctx, f, st, resp, err, now)
	}
	cache := fetch.CacheLifetime(resp.Header, now)
	if resp.NotModified() {
		p.stats.notModified.Add(1)
		return p.succeeded(f, st, cache, now)
	}
	p.stats.parsed.Add(1)
	feed, err := parseFeed(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		return p.failed(ctx, f, st, resp, err, now)
	}
	st.Hint, st.HintSource = feedHint(feed)
	st.Rhythm = feedRhythm(feed)
	n, err := p.publishItems(ctx, f, &st, feed, resp.URL, now)
	st.Articles += n
	if err != nil {
		return p.failed(ctx, f, st, resp, err, now)
	}
	st.ETag, st.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	return p.succeeded(f, st, cache, now)
}

// succeeded records a 200 or 304 and schedules the next poll.
func (p *Poller) succeeded(f feedlist.Feed, st State, cache time.Duration, now time.Time) State {
	if st.ErrorCount > 0 {
		p.opts.Logger.Info("feed recovered", "feed", f.URL, "after_errors", st.ErrorCount)
	}
	st.Status, st.ErrorCount, st.LastError, st.LastSuccess = StatusOK, 0, "", now
	hints := []hint{{st.Hint, st.HintSource}, {cache, "cache lifetime hint"}}
	if p.opts.Adaptive {
		hints = append(hints, hint{st.Rhythm, fmt.Sprintf("adaptive: publishes every ~%s", (2 * st.Rhythm).Round(time.Minute))})
	}
	d, reason := afterSuccess(p.interval(f), p.opts.MaxInterval, p.jitter(), hints...)
	st.NextPoll, st.NextReason = now.Add(d), reason
	return st
}

// failed records a failed poll: 410 disables the feed; anything else backs
// off, honouring Retry-After on 429 and 503. The error is logged when it is
// new for the feed, so a feed that keeps failing the same way logs once. An
// error caused by ctx ending (shutdown) is not the feed's fault: st is
// returned as is and the caller discards it.
func (p *Poller) failed(ctx context.Context, f feedlist.Feed, st State, resp *fetch.Response, err error, now time.Time) State {
	if ctx.Err() != nil {
		return st
	}
	p.stats.errors.Add(1)
	err = wrapPoll(f.URL, err)
	var se *fetch.StatusError
	isStatus := errors.As(err, &se)
	if isStatus && se.StatusCode == http.StatusGone {
		st.Disabled, st.Status, st.LastError = true, StatusDisabled, err.Error()
		st.NextPoll, st.NextReason = time.Time{}, "disabled: 410 Gone (Enable or re-add the feed to resume)"
		p.opts.Logger.Warn("feed gone, disabled", "feed", f.URL, "err", err)
		return st
	}
	var ra time.Duration
	if isStatus && resp != nil && (se.StatusCode == http.StatusTooManyRequests || se.StatusCode == http.StatusServiceUnavailable) {
		ra = fetch.RetryAfter(resp.Header, now)
	}
	msg := err.Error()
	if ra > 0 {
		msg += fmt.Sprintf(" (Retry-After %s)", ra.Round(time.Second))
	}
	st.ErrorCount++
	if st.ErrorCount == 1 || msg != st.LastError {
		p.opts.Logger.Warn("feed error", "feed", f.URL, "err", msg, "errors", st.ErrorCount)
	}
	d, reason := afterError(p.interval(f), p.opts.MaxBackoff, st.ErrorCount, ra, p.jitter())
	st.Status, st.LastError = StatusError, msg
	st.NextPoll, st.NextReason = now.Add(d), reason
	return st
}

// maxSeen bounds State.Seen so the state of a huge feed stays well under
// the NATS message size limit; items past it are converted on every 200 and
// deduplicated by the Publisher instead.
const maxSeen = 5000

// publishItems converts and publishes the items that are new or changed
// since the last fetch and returns how many the Publisher stored as new or
// updated. It stops at the first Publish error, keeping what it knew so the
// rest are retried next time.
func (p *Poller) publishItems(ctx context.Context, f feedlist.Feed, st *State, feed *gofeed.Feed, base string, now time.Time) (int, error) {
	baseURL, _ := url.Parse(base)
	seen := make(map[string]Seen, min(len(feed.Items), maxSeen))
	n := 0
	var perr error
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		id, _ := itemKey(it, baseURL)
		if _, dup := seen[id]; dup {
			continue
		}
		s, published, err := p.publishItem(ctx, f, it, baseURL, st.Seen[id], now)
		if err != nil {
			perr = err
			break
		}
		if published {
			n++
		}
		if len(seen) < maxSeen {
			seen[id] = s
		}
	}
	if perr != nil {
		for id, s := range st.Seen {
			if _, ok := seen[id]; !ok && len(seen) < maxSeen {
				seen[id] = s
			}
		}
	}
	st.Seen = seen
	return n, perr
}

// publishItem converts and publishes one item unless its digest equals
// prev's, and returns what to remember about it.
func (p *Poller) publishItem(ctx context.Context, f feedlist.Feed, it *gofeed.Item, base *url.URL, prev Seen, now time.Time) (Seen, bool, error) {
	dg := itemDigest(it)
	if prev.Digest == dg {
		return prev, false, nil
	}
	first := prev.FirstSeen
	if first.IsZero() {
		first = now
	}
	a := convert(f, it, base, first, now)
	if f.FullText && a.URL != "" {
		p.addFullText(ctx, &a)
	}
	p.stats.items.Add(1)
	ok, err := p.pub.Publish(ctx, a)
	if err != nil {
		return prev, false, fmt.Errorf("publish article %s: %w", a.ID, err)
	}
	if ok {
		p.stats.published.Add(1)
	}
	s := Seen{Digest: dg}
	if itemDate(it).IsZero() {
		s.FirstSeen = first
	}
	return s, ok, nil
}
