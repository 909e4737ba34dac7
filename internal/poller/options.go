package poller

import (
	"context"
	"log/slog"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/fetch"
)

// Publisher stores articles durably on the ARTICLES stream. Publish returns
// published=false, err=nil when the same article (same ID and same Hash) is
// already stored; a changed Hash under a known ID is published as an update.
// It must be safe for concurrent use; ctx bounds one call.
type Publisher interface {
	Publish(ctx context.Context, a article.Article) (published bool, err error)
}

// Options configures a Poller. Zero fields take the defaults documented on
// each; New applies them.
type Options struct {
	// Interval is the default time between polls of a feed (10m). A feed's
	// own hints (RSS ttl, sy:updatePeriod, Cache-Control, Expires) may
	// lengthen it, up to MaxInterval; jitter adds up to 10% more.
	Interval time.Duration
	// MaxInterval caps how far feed hints may lengthen the interval (24h;
	// never below Interval).
	MaxInterval time.Duration
	// Adaptive lengthens a feed's interval, up to MaxInterval, to half the
	// median gap between its recent items, so rarely updated feeds are
	// polled less. It never shortens the interval.
	Adaptive bool
	// MaxBackoff caps the backoff after repeated errors (6h; never below
	// Interval).
	MaxBackoff time.Duration
	// AllowPrivateNetworks lifts the SSRF guard (intranets, tests).
	AllowPrivateNetworks bool
	// MaxBodyBytes caps a feed or page body after decompression (10 MiB).
	MaxBodyBytes int64
	// Timeout bounds one whole request (30s); ConnectTimeout bounds
	// establishing its connection (10s).
	Timeout, ConnectTimeout time.Duration
	// MaxRedirects is the most redirects followed (5); negative: none.
	MaxRedirects int
	// UserAgent is sent with every request ("Dateline/dev (+contact URL)").
	UserAgent string
	// PerHostConcurrency is the most requests in flight per host (2).
	PerHostConcurrency int
	// PerHostSpacing is the least time between two request starts on one
	// host (500ms). Negative means none.
	PerHostSpacing time.Duration
	// Workers is the number of polls in flight overall (16).
	Workers int
	// Leaser, if set, makes pollers that share state exclude each other
	// per feed; see Leaser. Nil polls every feed locally.
	Leaser Leaser
	// LeaseTTL is how long a lease lasts if its holder dies (2×Timeout).
	LeaseTTL time.Duration
	// Logger receives one line per feed error (slog.Default()).
	Logger *slog.Logger
	// Now is the clock (time.Now).
	Now func() time.Time
	// Fetcher overrides the HTTP fetcher built from the options above
	// (tests, or to share one fetcher between roles).
	Fetcher *fetch.Fetcher
}

// Defaults applied by New.
const (
	DefaultInterval           = 10 * time.Minute
	DefaultMaxInterval        = 24 * time.Hour
	DefaultMaxBackoff         = 6 * time.Hour
	DefaultPerHostConcurrency = 2
	DefaultPerHostSpacing     = 500 * time.Millisecond
	DefaultWorkers            = 16
)

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = DefaultMaxInterval
	}
	o.MaxInterval = max(o.MaxInterval, o.Interval)
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.Interval)
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = fetch.DefaultMaxBodyBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = fetch.DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = fetch.DefaultConnectTimeout
	}
	if o.UserAgent == "" {
		o.UserAgent = fetch.DefaultUserAgent
	}
	if o.PerHostConcurrency <= 0 {
		o.PerHostConcurrency = DefaultPerHostConcurrency
	}
	if o.PerHostSpacing == 0 {
		o.PerHostSpacing = DefaultPerHostSpacing
	}
	o.PerHostSpacing = max(o.PerHostSpacing, 0)
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 2 * o.Timeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func (o Options) fetchOptions() fetch.Options {
	return fetch.Options{
		AllowPrivateNetworks: o.AllowPrivateNetworks,
		Timeout:              o.Timeout,
		ConnectTimeout:       o.ConnectTimeout,
		MaxRedirects:         o.MaxRedirects,
		MaxBodyBytes:         o.MaxBodyBytes,
		UserAgent:            o.UserAgent,
		IdleConnsPerHost:     o.PerHostConcurrency,
	}
}
