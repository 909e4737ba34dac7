package poller

import "sync/atomic"

// Stats are cumulative counters since New, for metrics.
type Stats struct {
	// Polls counts finished polls (any outcome).
	Polls int64
	// NotModified counts 304 responses.
	NotModified int64
	// Errors counts failed polls.
	Errors int64
	// Parsed counts feed bodies parsed.
	Parsed int64
	// Items counts items converted and handed to the Publisher.
	Items int64
	// Published counts articles the Publisher stored as new or updated.
	Published int64
}

// counters are the atomic backing of Stats.
type counters struct {
	polls, notModified, errors, parsed, items, published atomic.Int64
}

// Stats returns a snapshot of the counters. Safe for concurrent use.
func (p *Poller) Stats() Stats {
	c := &p.stats
	return Stats{
		Polls: c.polls.Load(), NotModified: c.notModified.Load(), Errors: c.errors.Load(),
		Parsed: c.parsed.Load(), Items: c.items.Load(), Published: c.published.Load(),
	}
}
