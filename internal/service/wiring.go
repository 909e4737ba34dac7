package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/poller"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/stage"
)

func (s *Service) newPoller(ctx context.Context) error {
	pub, err := s.bus.NewArticles(ctx)
	if err != nil {
		return err
	}
	stateKV, err := s.bus.KV(ctx, bus.FeedStateBucket)
	if err != nil {
		return err
	}
	leaseKV, err := s.bus.KV(ctx, bus.FeedLeaseBucket)
	if err != nil {
		return err
	}
	opts := pollerOptions(s.cfg.Fetch)
	opts.Leaser = poller.NewKVLeaser(leaseKV, s.node)
	opts.Logger = s.log.With("role", "poller")
	s.poller = poller.New(opts, pub, poller.NewKVState(stateKV))
	return nil
}

// pollerOptions translates the fetch config for the poller. The config's
// values (after its own defaults) are the only source: a 0 in the config
// means none, where the poller would read 0 as "use my default", so it is
// passed as the poller's "none" (negative).
func pollerOptions(f config.Fetch) poller.Options {
	ua := f.UserAgent
	if ua == "" {
		ua = fmt.Sprintf("Dateline/1.0 (+%s)", f.Contact)
	}
	return poller.Options{
		Interval:             f.PollInterval.D(),
		AllowPrivateNetworks: f.AllowPrivateNetworks,
		MaxBodyBytes:         f.MaxBodyBytes,
		Timeout:              f.Timeout.D(),
		ConnectTimeout:       f.ConnectTimeout.D(),
		MaxRedirects:         noneIfZero(f.MaxRedirects),
		UserAgent:            ua,
		PerHostConcurrency:   f.PerHostConcurrency,
		PerHostSpacing:       noneIfZero(f.PerHostSpacing.D()),
		Workers:              f.Workers,
	}
}

// noneIfZero returns -1 for 0: the poller's options read 0 as "default"
// and a negative value as "none".
func noneIfZero[T int | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

func feedsFromConfig(cfg config.Config) []feedlist.Feed {
	feeds := make([]feedlist.Feed, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		feeds = append(feeds, feedlist.Feed{URL: f.URL, Name: f.Name, Locale: f.Locale, FullText: f.FullText, Interval: f.Interval.D()})
	}
	return feeds
}

// extractFunc adapts the extractor to the stage's article-in, events-out form.
func extractFunc(ex *extract.Extractor) stage.ExtractFunc {
	return func(a article.Article) []event.Event {
		ref := a.Ref()
		evs := ex.Extract(extract.Document{
			ArticleID: a.ID, Title: a.Title, Text: a.Text, URL: a.URL,
			Feed: ref.Feed, Published: a.Published, Locale: a.Locale,
		})
		return evs
	}
}

func (s *Service) newFeedManager(ctx context.Context) error {
	feedsKV, err := s.bus.KV(ctx, bus.FeedsBucket)
	if err != nil {
		return err
	}
	stateKV, err := s.bus.KV(ctx, bus.FeedStateBucket)
	if err != nil {
		return err
	}
	s.feeds = &feedManager{
		config: feedsFromConfig(s.cfg),
		store:  feedlist.NewStore(feedsKV),
		poller: s.poller,
		states: poller.NewKVState(stateKV),
	}
	return nil
}

func (s *Service) listen(ctx context.Context, ex *extract.Extractor, broker *api.Broker) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), newCollector(s))
	reg.MustRegister(s.sup.collectors()...)
	var gaz *rules.Set // nil: the built-in rules' names
	if s.cfg.Pipelines != "" {
		rs, err := rules.LoadDir(s.cfg.Pipelines)
		if err != nil {
			return fmt.Errorf("pipelines %s: %w", s.cfg.Pipelines, err)
		}
		gaz = rs
	}
	opts := api.Options{
		Gazetteer:  gaz,
		Searcher:   s.ix,
		Extractor:  ex,
		Types:      s.types,
		Stream:     broker,
		AdminToken: s.cfg.AdminToken,
		PublicURL:  s.cfg.PublicURL,
		RateLimit:  s.cfg.RateLimit,
		Metrics:    promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		Registerer: reg,
		Logger:     s.log.With("role", "api"),
		Ready: []api.ReadyFunc{
			func(ctx context.Context) error { return s.bus.Ready(ctx) },
			func(context.Context) error {
				if _, err := s.ix.Count(); err != nil {
					return fmt.Errorf("index: %w", err)
				}
				return nil
			},
			s.sup.Ready,
		},
	}
	opts.Feeds = s.feeds
	opts.Searches = s.searches
	opts.Reindexer = s
	opts.DeadLetters = s.bus
	corr, err := corrections.Open(ctx, s.bus.JS, s.cfg.NATS.Replicas)
	if err != nil {
		return fmt.Errorf("corrections: %w", err)
	}
	opts.Corrections = corr
	alerts, err := alert.NewHandler(ctx, s.bus.JS, s.cfg.Alerts, alert.HandlerOptions{
		Logger: s.log.With("role", "api"), Types: s.types,
		Test: alert.Options{PublicURL: s.cfg.PublicURL, AllowPrivateNetworks: s.cfg.Fetch.AllowPrivateNetworks, Types: s.types},
	})
	if err != nil {
		return fmt.Errorf("alert api: %w", err)
	}
	opts.Alerts = alerts
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	s.addr = ln.Addr()
	s.http = api.HTTPServer(api.New(opts))
	s.drain = newDrainer()
	s.drain.serve(s.http)
	addr := s.addr.String()
	serve := serveHTTP(s.http, ln, func() (net.Listener, error) { return net.Listen("tcp", addr) })
	go func() {
		// Supervised like the other roles: a listener that fails is
		// logged, counted, makes /readyz not ready and is opened again on
		// the same address with backoff, instead of ending serve.
		s.sup.run(s.life, "http", serve, nil)
		s.httpDone <- nil
	}()
	s.log.Info("http listening", "addr", addr)
	return nil
}

// serveHTTP returns the http role: it serves srv on ln, and on each
// restart on a listener from listen (the same address). A server shut
// down by Stop waits for ctx, the service's life, to end.
func serveHTTP(srv *http.Server, ln net.Listener, listen func() (net.Listener, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		l := ln
		ln = nil // the supervisor runs one attempt at a time
		if l == nil {
			var err error
			if l, err = listen(); err != nil {
				return fmt.Errorf("listen again: %w", err)
			}
		}
		err := srv.Serve(l)
		if errors.Is(err, http.ErrServerClosed) {
			<-ctx.Done()
			return nil
		}
		return fmt.Errorf("serve http on %s: %w", l.Addr(), err)
	}
}

// identity is the alerter's view of the index (alert.Options.Identity):
// the merged event holding an event, as the timeline, the live stream
// and the API show it. Only a process that runs the indexer has an index
// that follows EVENTS; elsewhere it is nil and the alerter keys reports
// by their exact report group (alert.Options.ClusterID).
func (s *Service) identity() func(context.Context, event.Event) (string, []string, bool, error) {
	if s.ix == nil || !s.roles["indexer"] {
		return nil
	}
	ix := s.ix
	return func(ctx context.Context, e event.Event) (string, []string, bool, error) {
		m, found, err := ix.Get(ctx, e.ID)
		if err != nil || !found {
			return "", nil, false, err
		}
		return m.ID, m.FormerIDs, true, nil
	}
}
