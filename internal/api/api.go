// Package api serves Dateline over HTTP: event search, single events, the
// timeline histogram, extraction on demand, feed status, a live stream of
// new events, health and metrics. Handlers return errors that carry an
// HTTP status; they are written as JSON and logged once, here.
package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/export"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/poller"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/web"
	"github.com/dateline/dateline/pipelines"
)

// Searcher answers queries over the event index.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Result, error)
	Get(ctx context.Context, id string) (event.Event, bool, error)
	Timeline(ctx context.Context, q index.Query, interval string) ([]index.Bucket, error)
}

// Extractor reads events from one document.
type Extractor interface {
	Extract(doc extract.Document) []event.Event
}

// Feeds manages the feed list: the status of every feed, and the feeds
// added at run time (config-file feeds are read-only here).
type Feeds interface {
	// Status reports every feed, from the config and added at run time.
	Status(ctx context.Context) ([]poller.FeedStatus, error)
	// List returns every feed polled, for OPML export.
	List(ctx context.Context) ([]feedlist.Feed, error)
	// Add stores a feed; every poller starts polling it.
	Add(ctx context.Context, f feedlist.Feed) error
	// Remove deletes a run-time feed by id. It returns ErrConfigFeed for a
	// feed from the config file and found=false for an unknown id.
	Remove(ctx context.Context, id string) (found bool, err error)
}

// ErrConfigFeed is returned by Feeds.Remove for a feed the config file
// defines: only the file can remove it.
var ErrConfigFeed = errors.New("the feed is defined in the config file; remove it there")

// ReadyFunc reports why the service is not ready, or nil when it is.
type ReadyFunc func(ctx context.Context) error

// Options configures the Server. Nil parts switch their endpoints off
// (they answer 503), so a process that runs only some roles still serves
// health and metrics.
type Options struct {
	Searcher  Searcher
	Extractor Extractor
	Feeds     Feeds
	// Stream fans new events out to live subscribers. When Searcher can
	// tell the members the index merged into an event (as *index.Index
	// does), New makes Stream read them from it, so that the stream
	// matches each event on the very document the index searches.
	Stream *Broker
	// Alerts serves /api/v1/alerts and below; the Server wraps it with the
	// admin token check.
	Alerts http.Handler
	// DeadLetters lists and replays dead-lettered messages (admin).
	DeadLetters DeadLetters
	// Corrections stores analysts' corrections of events (admin
	// endpoints, corrections.go); nil switches them off (503).
	Corrections *corrections.Store
	// Searches stores saved searches; nil switches them off.
	Searches SavedSearches
	// Reindexer rebuilds the index from EVENTS (admin,
	// /api/v1/admin/reindex); nil switches it off.
	Reindexer Reindexer
	// Types are the event types' facts from the rules in use, served at
	// /api/v1/types and used by the exports; nil means the types of the
	// rules built into the binary.
	Types rules.Catalog
	// Gazetteer holds the rules in use, whose countries, organisations and
	// places /api/v1/entities suggests; nil means the rules built into
	// the binary.
	Gazetteer *rules.Set
	// Ready lists the checks /readyz runs.
	Ready []ReadyFunc
	// Metrics serves /metrics.
	Metrics http.Handler
	// Registerer, if set, receives the request duration histogram.
	Registerer prometheus.Registerer
	// AdminToken guards admin endpoints; empty refuses them all.
	AdminToken string
	// PublicURL is where users reach Dateline, for links in feeds; empty
	// derives it from each request.
	PublicURL string
	// RateLimit is the most API requests a second one client address may
	// make (bursts of twice that); 0 means no limit.
	RateLimit float64
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Logger receives one line per failed request.
	Logger *slog.Logger
}

// Server is the HTTP handler of Dateline.
type Server struct {
	opts       Options
	mux        *http.ServeMux
	requests   *prometheus.HistogramVec // nil without a Registerer
	atom       handlerFunc              // the /feed.atom export, nil without a Searcher
	sched      *scheduler               // admits searches, one per core, fairly across clients
	limiter    *clientLimiter           // nil without a RateLimit
	namesState                          // the names /api/v1/entities suggests
}

// New returns a Server with every route registered.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Types == nil {
		types, err := pipelines.Catalog()
		if err != nil {
			// The rules are embedded at build time: failing here is a
			// bug caught by the package tests.
			panic(fmt.Sprintf("api: %v", err))
		}
		opts.Types = types
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), sched: newScheduler(runtime.GOMAXPROCS(0)),
		limiter: newClientLimiter(opts.RateLimit)}
	if opts.Registerer != nil {
		s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dateline_http_request_duration_seconds",
			Help:    "HTTP requests by route and status.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "code"})
		opts.Registerer.MustRegister(s.requests)
	}
	if opts.Stream != nil {
		ms, _ := opts.Searcher.(memberSource)
		opts.Stream.attach(ms, opts.Logger)
	}
	if opts.Searcher != nil {
		s.opts.Searcher = scheduled{Searcher: opts.Searcher, s: s.sched}
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.handle("GET /api/v1/events", s.searchEvents)
	s.handle("GET /api/v1/events/{id}", s.getEvent)
	s.handle("GET /api/v1/timeline", s.timeline)
	s.handle("GET /api/v1/types", s.types)
	s.handle("GET /api/v1/entities", s.entities)
	s.handle("POST /api/v1/extract", s.extract)
	s.handle("GET /api/v1/feeds", s.feeds)
	s.handle("GET /api/v1/feeds.opml", s.feedsOPML)
	s.handle("POST /api/v1/feeds", s.admin(s.addFeed))
	s.handle("DELETE /api/v1/feeds/{id}", s.admin(s.removeFeed))
	s.mux.HandleFunc("GET /api/v1/stream", s.stream)
	if s.opts.Alerts != nil {
		alerts := s.adminHandler(s.opts.Alerts)
		s.mux.Handle("/api/v1/alerts", alerts)
		s.mux.Handle("/api/v1/alerts/", alerts)
	}
	if s.opts.Searcher != nil {
		x := export.New(s.opts.Searcher, export.Options{Parse: s.parseQuery, BaseURL: s.opts.PublicURL, Types: s.opts.Types})
		for _, rt := range x.Routes() {
			s.handle(rt.Pattern, rt.Handle)
		}
		s.atom = x.Atom
	}
	s.searchRoutes()
	s.deadRoutes()
	s.correctionRoutes()
	s.reindexRoutes()
	page := web.Handler()
	s.mux.Handle("GET /{$}", page)
	s.mux.Handle("GET /static/", page)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.handle("GET /readyz", s.ready)
	if s.opts.Metrics != nil {
		s.mux.Handle("GET /metrics", s.opts.Metrics)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &httperr.Error{Status: http.StatusNotFound, Msg: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
}

// ServeHTTP recovers from panics in handlers and sets common headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.opts.Logger.Error("http: panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		}
	}()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	r = r.WithContext(context.WithValue(r.Context(), clientCtxKey{}, clientKey(r)))
	if s.limiter != nil && limited(r.URL.Path) {
		if ok, retry, hold, release := s.limiter.check(r); !ok {
			if hold > 0 {
				t := time.NewTimer(hold)
				select {
				case <-t.C:
				case <-r.Context().Done():
				}
				t.Stop()
			}
			release()
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(0, retry-hold).Seconds()))))
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests from this address; slow down"})
			return
		}
	}
	if s.requests == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	route := r.Pattern
	if route == "" || route == "/" {
		route = "other"
	}
	s.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(pattern string, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail writes err as JSON with its status (httperr.Write) and logs
// server-side failures, and refusals under load at debug level.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	he := httperr.Write(w, err)
	switch {
	case he.RetryAfter > 0:
		s.opts.Logger.Debug("http: request refused under load", "method", r.Method, "path", r.URL.Path, "err", err)
	case he.Status >= 500:
		s.opts.Logger.Error("http: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func unavailable(what string) error {
	return &httperr.Error{Status: http.StatusServiceUnavailable, Msg: what + " is not running in this process"}
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var problems []string
	for _, check := range s.opts.Ready {
		if err := check(ctx); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "problems": problems})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

// admin wraps h with the admin token check.
func (s *Server) admin(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.requireAdmin(r); err != nil {
			return err
		}
		return h(w, r)
	}
}

// adminHandler wraps h with the admin token check.
func (s *Server) adminHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.requireAdmin(r); err != nil {
			s.fail(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// requireAdmin checks the bearer token in constant time.
func (s *Server) requireAdmin(r *http.Request) error {
	if s.opts.AdminToken == "" {
		return &httperr.Error{Status: http.StatusUnauthorized, Msg: "admin endpoints are disabled: set admin_token"}
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.AdminToken)) != 1 {
		return &httperr.Error{Status: http.StatusUnauthorized, Msg: "missing or wrong admin token"}
	}
	return nil
}
