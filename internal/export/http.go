package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Searcher runs one page of a search. *index.Index satisfies it, and so
// does api.Searcher. Search is called several times per request, following
// Result.Next, and must be safe for concurrent use.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Result, error)
}

// ParseFunc turns request parameters into a query. It returns an error
// naming the parameter at fault; Endpoints returns that error unchanged.
type ParseFunc func(url.Values) (index.Query, error)

// Defaults of Options.
const (
	// DefaultMaxEvents is the most events one export holds.
	DefaultMaxEvents = 1000
	// DefaultAtomEvents is the number of entries of an Atom feed.
	DefaultAtomEvents = 50
	// maxEventsCap bounds Options.MaxEvents.
	maxEventsCap = 10000
)

// Options configures Endpoints. The zero value is usable.
type Options struct {
	// Parse reads the search parameters (q, from, to, type, …) except
	// limit, which Endpoints reads itself. Nil means index.ParseParams,
	// which reads them as /api/v1/events and every other search does; the
	// API passes its own, which adds its time limit.
	Parse ParseFunc
	// BaseURL is the public scheme and host ("https://dateline.example"),
	// used for self and alternate links; "" derives it from the request.
	BaseURL string
	// Title starts every export's title; "Dateline" when empty.
	Title string
	// MaxEvents caps the limit parameter and is the default for every
	// format but Atom: DefaultMaxEvents when 0, at most 10,000.
	MaxEvents int
	// AtomEvents is the default number of Atom entries: DefaultAtomEvents
	// when 0.
	AtomEvents int
	// Now gives the time of an export (DTSTAMP, empty feeds); time.Now
	// when nil.
	Now func() time.Time
	// Types are the event types' facts (the CSV's ACLED columns); nil
	// means the types of the rules built into the binary.
	Types rules.Catalog
}

// Endpoints serves the exports of any search over HTTP: Atom, CSV,
// GeoJSON, iCalendar and TimelineJS. Its methods are handlers that return
// errors for the caller to turn into a status: a *index.QueryError (or
// whatever Options.Parse returns) for a bad parameter, a context error
// when the search ran out of time. Handler does that itself. Endpoints is
// safe for concurrent use.
type Endpoints struct {
	search Searcher
	opts   Options
}

// New returns Endpoints over search, which must not be nil: mount them
// only in a process that has the index.
func New(search Searcher, opts Options) *Endpoints {
	if opts.Parse == nil {
		opts.Parse = func(v url.Values) (index.Query, error) { return index.ParseParams(v) }
	}
	if opts.Title == "" {
		opts.Title = "Dateline"
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	opts.MaxEvents = min(opts.MaxEvents, maxEventsCap)
	if opts.AtomEvents <= 0 {
		opts.AtomEvents = DefaultAtomEvents
	}
	opts.AtomEvents = min(opts.AtomEvents, opts.MaxEvents)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.Types == nil {
		types, err := pipelines.Catalog()
		if err != nil {
			// The rules are embedded at build time: failing here is a
			// bug caught by the package tests.
			panic(fmt.Sprintf("export: %v", err))
		}
		opts.Types = types
	}
	return &Endpoints{search: search, opts: opts}
}

// Route is one endpoint: a net/http ServeMux pattern and its handler.
type Route struct {
	// Pattern is a ServeMux pattern with method, e.g. "GET /feed.atom".
	Pattern string
	// Handle serves the route; it writes nothing when it returns an error.
	Handle func(w http.ResponseWriter, r *http.Request) error
}

// Routes lists every endpoint with its pattern: GET /feed.atom,
// /api/v1/events.csv, /api/v1/events.geojson, /api/v1/events.ics and
// /api/v1/timelinejs.
func (x *Endpoints) Routes() []Route {
	return []Route{
		{"GET /feed.atom", x.Atom},
		{"GET /api/v1/events.csv", x.CSV},
		{"GET /api/v1/events.geojson", x.GeoJSON},
		{"GET /api/v1/events.ics", x.ICS},
		{"GET /api/v1/timelinejs", x.TimelineJS},
	}
}

// Handler returns a handler serving Routes on their own, writing errors
// with httperr.Write, as the API does: JSON {"error","param"}, 400 for a
// *index.QueryError, 503 when the search ran out of time, 500 otherwise.
func (x *Endpoints) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range x.Routes() {
		mux.HandleFunc(rt.Pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := rt.Handle(w, r); err != nil {
				httperr.Write(w, err)
			}
		})
	}
	return mux
}

// Atom serves the newest events of a search as an Atom feed.
func (x *Endpoints) Atom(w http.ResponseWriter, r *http.Request) error {
	return x.serve(w, r, x.opts.AtomEvents, "application/atom+xml; charset=utf-8", "", func(b io.Writer, m FeedMeta, evs []event.Event) error {
		return Atom(b, m, evs)
	})
}

// CSV serves a search as CSV with ACLED-like columns, as an attachment.
func (x *Endpoints) CSV(w http.ResponseWriter, r *http.Request) error {
	return x.serve(w, r, x.opts.MaxEvents, "text/csv; charset=utf-8; header=present", "dateline-events.csv", func(b io.Writer, _ FeedMeta, evs []event.Event) error {
		return CSV(b, x.opts.Types, evs)
	})
}

// GeoJSON serves the located events of a search as a FeatureCollection.
func (x *Endpoints) GeoJSON(w http.ResponseWriter, r *http.Request) error {
	return x.serve(w, r, x.opts.MaxEvents, "application/geo+json", "", func(b io.Writer, _ FeedMeta, evs []event.Event) error {
		return GeoJSON(b, evs)
	})
}

// ICS serves a search as an iCalendar file of all-day events.
func (x *Endpoints) ICS(w http.ResponseWriter, r *http.Request) error {
	return x.serve(w, r, x.opts.MaxEvents, "text/calendar; charset=utf-8", "dateline-events.ics", ICS)
}

// TimelineJS serves a search as TimelineJS3 JSON.
func (x *Endpoints) TimelineJS(w http.ResponseWriter, r *http.Request) error {
	return x.serve(w, r, x.opts.MaxEvents, "application/json; charset=utf-8", "", TimelineJS)
}

type formatFunc func(w io.Writer, meta FeedMeta, events []event.Event) error

// serve runs the search of r, formats up to limit events into a buffer
// (so that a failure can still become an error status) and writes it.
func (x *Endpoints) serve(w http.ResponseWriter, r *http.Request, limit int, ctype, filename string, format formatFunc) error {
	vals := r.URL.Query()
	if l := vals.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return &index.QueryError{Param: "limit", Msg: fmt.Sprintf("%q is not a positive whole number", clipParam(l))}
		}
		limit = min(n, x.opts.MaxEvents)
	}
	search := cloneValues(vals)
	search.Del("limit")
	search.Del("cursor")
	q, err := x.opts.Parse(search)
	if err != nil {
		return err
	}
	events, err := x.collect(r.Context(), q, limit)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := format(&buf, x.meta(r, search), events); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=60")
	if filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// collect pages through q until it has limit events or there are no more.
func (x *Endpoints) collect(ctx context.Context, q index.Query, limit int) ([]event.Event, error) {
	q.Facets, q.Highlight, q.Cursor = false, false, ""
	var out []event.Event
	for len(out) < limit {
		q.Limit = min(index.MaxLimit, limit-len(out))
		res, err := x.search.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Events...)
		if res.Next == "" || len(res.Events) == 0 {
			break
		}
		q.Cursor = res.Next
	}
	return out, nil
}

// meta describes the export of search served at r.
func (x *Endpoints) meta(r *http.Request, search url.Values) FeedMeta {
	base := x.opts.BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	canon := search.Encode()
	self := base + r.URL.Path
	site := base + "/"
	if canon != "" {
		self += "?" + canon
		site += "?" + canon
	}
	title, subtitle := x.opts.Title, Describe(search)
	if subtitle != "" {
		title += ": " + subtitle
	}
	return FeedMeta{
		Title: title, Subtitle: subtitle, Query: canon, SelfURL: self, SiteURL: site,
		Author: x.opts.Title, Updated: x.opts.Now().UTC(),
	}
}

// Describe puts search parameters into words for a title:
// `"treaty" · type treaty_signing · from 2024`. It is "" for no search.
func Describe(v url.Values) string {
	var parts []string
	if q := strings.TrimSpace(v.Get("q")); q != "" {
		parts = append(parts, strconv.Quote(q))
	}
	for _, k := range []string{"type", "actor", "place", "feed", "status", "from", "to"} {
		if vals := v[k]; len(vals) > 0 && strings.Join(vals, "") != "" {
			parts = append(parts, k+" "+strings.Join(vals, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}
