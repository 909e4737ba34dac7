// Package poller fetches feeds and publishes their items as articles. It is
// a polite client (conditional GET, feed and cache hints, Retry-After,
// per-host budgets, capped backoff with jitter) that is safe with URLs typed
// by users (the SSRF guard of package fetch) and scales to thousands of
// feeds with a fixed worker pool driven by one timer heap: no goroutine per
// feed, no busy-waiting.
//
// # Lifecycle
//
// New, then Run, which blocks until its context ends and returns once every
// goroutine it started has stopped. SetFeeds, Enable, Status and Stats may be
// called at any time from any goroutine.
//
// # One poll
//
// A feed that is due waits for its host's budget (PerHostConcurrency
// requests in flight, PerHostSpacing between starts), then a worker:
// takes the feed's lease (if a Leaser is set) and reloads its State from
// the StateStore; sends a conditional GET; on 304 only reschedules; on 200
// parses with gofeed, converts each item that is new or changed since the
// last fetch into an article.Article (optionally with the page's full
// text) and publishes it; saves the State; releases the lease. Errors are
// recorded in the State (visible in Status) and logged once per new error.
//
// # Wiring
//
// As internal/service wires it (see Example): articles go to the ARTICLES
// stream through bus.Articles, state and leases to their KV buckets.
//
//	articles, _ := b.NewArticles(ctx)
//	stateKV, _ := b.KV(ctx, bus.FeedStateBucket)
//	leaseKV, _ := b.KV(ctx, bus.FeedLeaseBucket)
//	p := poller.New(poller.Options{
//		Interval:             cfg.Fetch.PollInterval.D(),
//		AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
//		MaxBodyBytes:         cfg.Fetch.MaxBodyBytes,
//		UserAgent:            fetch.UserAgent(version, cfg.Fetch.Contact),
//		Leaser:               poller.NewKVLeaser(leaseKV, nodeName), // unique per poller
//		Logger:               logger.With("role", "poller"),
//	}, articles, poller.NewKVState(stateKV))
//	go p.Run(ctx, feeds)       // GET /api/v1/feeds: {"feeds": p.Status()}
//	p.SetFeeds(feeds)          // after POST/DELETE /api/v1/feeds
//
// State and leases may also share one bucket (keys "state.<hash>" and
// "lease.<hash>"). Other roles that fetch URLs (alerts, full text) should
// use fetch.NewClient or fetch.New for the same SSRF guard and limits.
package poller
