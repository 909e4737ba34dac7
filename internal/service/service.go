// Package service runs Dateline's roles (poller, extractor, indexer,
// alerter, api) in one process, on an embedded or external NATS JetStream,
// restarts a role that stops on its own (supervisor), and stops them in
// order: polling first, then the stages, then the index, then NATS.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/poller"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/searches"
	"github.com/dateline/dateline/internal/stage"
	"github.com/dateline/dateline/pipelines"
)

// Service is one Dateline process. Create it with Start and stop it with
// Stop; Done reports an HTTP server that stopped on its own.
type Service struct {
	cfg config.Config
	log *slog.Logger
	// node names this process's own durable consumers and leases (NodeID).
	node  string
	roles map[string]bool
	ns    *server.Server
	// lock holds the data directory's embedded NATS store for ns.
	lock   *os.File
	bus    *bus.Bus
	ix     *index.Index
	alerts *alert.Alerter
	poller *poller.Poller
	feeds  *feedManager
	// polled is the number of feeds the poller role polled at start: the
	// config's and those added at run time (FeedsPolled).
	polled int
	// types are the event types' facts of the rules in use.
	types rules.Catalog
	// searches holds saved searches, kept in memory by a watch.
	searches *searches.Store
	http     *http.Server
	// drain ends the requests still running when the service stops.
	drain *drainer
	addr  net.Addr
	// sup runs the roles and restarts one that stops on its own.
	sup *supervisor
	// reindex runs the index rebuilds asked for through the API.
	reindex reindexer

	// life bounds background work that lives as long as the service
	// (watches); endLife ends it in close.
	life    context.Context
	endLife context.CancelFunc

	stopPolling context.CancelFunc
	stopStages  context.CancelFunc
	pollers     sync.WaitGroup // the poller goroutine
	stages      sync.WaitGroup // extractor and indexer goroutines
	httpDone    chan error
}

// Start opens everything the configured roles need and starts them. cfg
// must have passed Validate; what only the roles can check (alert rules)
// is checked here before anything opens. If any part fails to open,
// everything opened so far is closed again and the error says which part
// failed: a bad setup never leaves half a service.
func Start(ctx context.Context, cfg config.Config, ex *extract.Extractor, log *slog.Logger) (_ *Service, err error) {
	if err := check(cfg); err != nil {
		return nil, err
	}
	for _, w := range nameWarnings(cfg) {
		log.Warn("alert rule names an unknown entity", "problem", w)
	}
	// s is not the named result: "return nil, err" must not clear it
	// before the deferred close runs.
	s := &Service{cfg: cfg, log: log, roles: roleSet(cfg.Roles), httpDone: make(chan error, 1), sup: newSupervisor(log)}
	s.life, s.endLife = context.WithCancel(context.Background())
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.types, err = LoadTypes(cfg.Pipelines); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data_dir %s: %w", cfg.DataDir, err)
	}
	if s.node, err = NodeID(cfg); err != nil {
		return nil, err
	}
	log.Info("node id", "node", s.node)
	if err := s.openBus(ctx); err != nil {
		return nil, err
	}
	if s.roles["indexer"] || s.roles["api"] {
		ix, err := openIndex(filepath.Join(cfg.DataDir, "index"), s.types, log)
		if err != nil {
			return nil, err
		}
		s.ix = ix
	}
	if s.roles["poller"] {
		if err := s.newPoller(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.newFeedManager(ctx); err != nil {
		return nil, err
	}
	if err := s.watchSearches(ctx); err != nil {
		return nil, err
	}
	if s.roles["alerter"] {
		corr, err := corrections.Open(ctx, s.bus.JS, cfg.NATS.Replicas)
		if err != nil {
			return nil, fmt.Errorf("alerts: corrections: %w", err)
		}
		a, err := alert.New(s.bus.JS, cfg.Alerts, alert.Options{
			Corrections: corr, Resolve: s.resolve(),
			PublicURL: cfg.PublicURL, AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
			Node: s.node, Replicas: cfg.NATS.Replicas, Logger: log.With("role", "alerter"),
			ClusterID: index.NewClustering(s.types).ID, Identity: s.identity(), Types: s.types,
			SavedSearch: func(name string) (url.Values, bool) {
				se, ok := s.searches.Lookup(name)
				return se.Values(), ok
			},
		})
		if err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		if err := a.Prepare(ctx); err != nil {
			return nil, fmt.Errorf("alerter: %w", err)
		}
		s.alerts = a
	}
	broker := api.NewBroker()
	if s.roles["api"] {
		if err := s.listen(s.life, ex, broker); err != nil {
			return nil, err
		}
	}
	// The last thing that can fail comes before any goroutine starts, so a
	// failed Start has nothing running to stop.
	var feeds []feedlist.Feed
	if s.poller != nil {
		if feeds, err = s.feeds.List(ctx); err != nil {
			return nil, err
		}
		s.polled = len(feeds)
	}
	s.startStages(ex, broker)
	if s.poller != nil {
		pctx, cancel := context.WithCancel(context.Background())
		s.stopPolling = cancel
		s.pollers.Go(func() {
			s.sup.run(pctx, "poller", func(ctx context.Context) error { return s.poller.Run(ctx, feeds) },
				func(ctx context.Context) (err error) {
					feeds, err = s.feeds.List(ctx) // a restart polls the list as it is now
					return err
				})
		})
		s.pollers.Go(func() { s.sup.run(pctx, "feedwatch", s.feeds.watchFeeds, nil) })
	}
	return s, nil
}

// FeedsPolled is the number of feeds this process polled when it
// started: those of the config and those added through the API (see
// feedlist.Merge); 0 without the poller role.
func (s *Service) FeedsPolled() int { return s.polled }

// Addr is the address the HTTP API listens on, or nil without the api role.
func (s *Service) Addr() net.Addr { return s.addr }

// Stop shuts the service down in order and waits for it: no more polls,
// in-flight messages finished or handed back, the index flushed and
// closed, NATS closed. ctx bounds the HTTP drain.
func (s *Service) Stop(ctx context.Context) error {
	if s.stopPolling != nil {
		s.stopPolling()
	}
	s.pollers.Wait()
	var errs []error
	if s.http != nil {
		if err := s.drain.shutdown(ctx, s.http); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if s.stopStages != nil {
		s.stopStages()
	}
	s.stages.Wait()
	if err := s.close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Done receives once the HTTP role has ended, after Stop: a listener that
// fails while the service runs is restarted by the supervisor, not
// reported here.
func (s *Service) Done() <-chan error { return s.httpDone }

// close releases what is open, index first, then NATS.
func (s *Service) close() error {
	s.endLife()
	s.reindex.stop()
	var errs []error
	if s.http != nil {
		// Stop has shut it down already; a failed Start has not.
		s.drain.endStreams()
		s.drain.endAll()
		_ = s.http.Close()
	}
	if s.ix != nil {
		if err := s.ix.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close index: %w", err))
		}
		s.ix = nil
	}
	if s.bus != nil {
		s.bus.Close()
		s.bus = nil
	}
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
		s.ns = nil
	}
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
	return errors.Join(errs...)
}

func (s *Service) openBus(ctx context.Context) error {
	url := s.cfg.NATS.URL
	if url == "" {
		lock, err := lockDataDir(s.cfg.DataDir)
		if err != nil {
			return err
		}
		s.lock = lock
		ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: s.cfg.DataDir, SyncInterval: s.cfg.NATS.SyncInterval, Logger: s.log})
		if err != nil {
			return err
		}
		s.ns = ns
	}
	var b *bus.Bus
	var err error
	if s.ns != nil {
		b, err = bus.Connect(ctx, "", s.ns, "dateline-"+s.node)
	} else {
		s.log.Info("connecting to nats", "servers", config.RedactURL(url))
		b, err = bus.Dial(ctx, natsOptions(s.cfg, "dateline-"+s.node, s.log.With("component", "nats")))
	}
	if err != nil {
		return err
	}
	b.SetLogger(s.log.With("component", "nats"))
	s.bus = b
	return s.declare(ctx)
}

// declareFor bounds how long start-up (or a stage's restart) keeps trying
// to declare the streams while the cluster cannot answer (a node
// restarting, a leader being elected, another replica creating them).
const declareFor = 90 * time.Second

// declare declares the streams and buckets with the configured settings,
// retrying what may pass (each try bounded to 10 s) for up to declareFor;
// settings that differ from the existing streams fail at once.
func (s *Service) declare(ctx context.Context) error {
	give := time.Now().Add(declareFor)
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := s.bus.Declare(actx, StreamSettings(s.cfg))
		cancel()
		var drift *bus.DriftError
		if err == nil || errors.As(err, &drift) || ctx.Err() != nil || time.Now().After(give) {
			if err != nil {
				return fmt.Errorf("nats.streams: %w", err)
			}
			return nil
		}
		s.log.Warn("declare streams and buckets; will retry", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// StreamSettings are the replicas and retention limits cfg asks of the
// streams and buckets (nats.replicas, nats.streams.*).
func StreamSettings(cfg config.Config) bus.Settings {
	lim := func(l config.Limits) bus.Limits { return bus.Limits{MaxAge: l.MaxAge.D(), MaxBytes: l.MaxBytes} }
	st := cfg.NATS.Streams
	return bus.Settings{Replicas: cfg.NATS.Replicas, Articles: lim(st.Articles), Events: lim(st.Events), Dead: lim(st.Dead)}
}

// natsOptions are the connection settings of cfg for an external NATS.
func natsOptions(cfg config.Config, name string, log *slog.Logger) bus.Options {
	n := cfg.NATS
	return bus.Options{
		URLs: n.URL, Name: name, User: n.User, Password: n.Password, Token: n.Token,
		NKeyFile: n.NKey, CredsFile: n.Creds, TLSCA: n.TLS.CA, TLSCert: n.TLS.Cert, TLSKey: n.TLS.Key,
		Logger: log,
	}
}

// LoadTypes returns the facts of the event types of the rules in dir, or
// of the built-in rules when dir is empty: what alert rules and searches
// may name.
func LoadTypes(dir string) (rules.Catalog, error) {
	if dir == "" {
		return pipelines.Catalog()
	}
	rs, err := rules.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("pipelines %s: %w", dir, err)
	}
	return rs.Catalog(), nil
}

func openIndex(dir string, types rules.Catalog, log *slog.Logger) (*index.Index, error) {
	// An unusable index is moved aside and rebuilt: the indexer sees its
	// checkpoint behind the consumer and replays EVENTS into it.
	ix, rebuilt, err := index.OpenFresh(dir, index.Options{Logger: log, Types: types})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if rebuilt {
		log.Warn("index rebuilt from the EVENTS stream", "dir", dir)
	}
	return ix, nil
}

// startStages starts the extractor, alerter and indexer under the
// supervisor. A restarted stage first declares the streams again (one may
// have been deleted), then creates its consumer as on a first start.
func (s *Service) startStages(ex *extract.Extractor, broker *api.Broker) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopStages = cancel
	if s.roles["extractor"] {
		x := &stage.Extractor{JS: s.bus.JS, Extract: extractFunc(ex), Workers: 2, Logger: s.log.With("role", "extractor")}
		s.stages.Go(func() { s.sup.run(ctx, stage.ExtractorStage, x.Run, s.redeclare) })
	}
	if s.alerts != nil {
		s.stages.Go(func() { s.sup.run(ctx, alert.Stage, s.alerts.Run, s.redeclare) })
	}
	if s.ix != nil {
		ixr := &stage.Indexer{
			JS: s.bus.JS, Store: s.ix, Node: s.node,
			BatchSize: s.cfg.Index.BatchSize, BatchWait: s.cfg.Index.BatchWait.D(),
			OnApplied: s.publishMerged(ctx, broker), Logger: s.log.With("role", "indexer"),
		}
		s.stages.Go(func() { s.sup.run(ctx, stage.IndexerStage, ixr.Run, s.redeclare) })
		s.stages.Go(func() { s.sup.run(ctx, correctionsRole, s.followCorrections(broker), s.redeclare) })
	}
}

// redeclare declares the streams and buckets again before a stage restarts.
func (s *Service) redeclare(ctx context.Context) error {
	return s.declare(ctx)
}

// defaultRoles are the roles run when none are named.
var defaultRoles = []string{"poller", "extractor", "indexer", "api", "alerter"}

// publishMerged returns the indexer's after-commit hook: it sends the live
// stream the timeline events the batch touched, as merged in the index (a
// new article on an old event updates that event, with one source more).
func (s *Service) publishMerged(ctx context.Context, broker *api.Broker) func([]event.Set) {
	return func(sets []event.Set) {
		merged, err := s.ix.Merged(ctx, sets)
		if err != nil {
			s.log.Warn("live stream: read merged events", "err", err)
			return
		}
		broker.Publish([]event.Set{{Events: merged}})
	}
}

func roleSet(roles []string) map[string]bool {
	if len(roles) == 0 {
		roles = defaultRoles
	}
	m := map[string]bool{}
	for _, r := range roles {
		m[r] = true
	}
	return m
}

// sanitize replaces what may not appear in a consumer name by '_'.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// watchSearches opens the saved searches and keeps their in-memory copy
// current for the life of the service.
func (s *Service) watchSearches(ctx context.Context) error {
	kv, err := s.bus.KV(ctx, bus.SearchesBucket)
	if err != nil {
		return err
	}
	s.searches = searches.NewStore(kv)
	ready := make(chan struct{})
	go func() {
		if err := s.searches.Watch(s.life, ready); err != nil {
			s.log.Error("saved searches watch stopped", "err", err)
		}
	}()
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
