package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/index"
)

// searchTimeout bounds one search of the API.
const searchTimeout = 2 * time.Second

// eventsResponse is the body of GET /api/v1/events.
type eventsResponse struct {
	Total      uint64                    `json:"total"`
	Events     []event.Event             `json:"events"`
	Facets     map[string]map[string]int `json:"facets"`
	Next       string                    `json:"next,omitempty"`
	Highlights map[string][]string       `json:"highlights,omitempty"`
}

func (s *Server) searchEvents(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Searcher == nil {
		return unavailable("the index")
	}
	q, err := s.parseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	q.Facets, q.Highlight = true, q.Q != ""
	res, err := s.opts.Searcher.Search(r.Context(), q)
	if err != nil {
		return err
	}
	if res.Events == nil {
		res.Events = []event.Event{}
	}
	writeJSON(w, http.StatusOK, eventsResponse{Total: res.Total, Events: res.Events, Facets: res.Facets, Next: res.Next, Highlights: res.Highlights})
	return nil
}

// parseQuery reads the search parameters as every search reads them
// (index.ParseParams), against the event types of the rules in use
// (Options.Types), with the API's time limit.
func (s *Server) parseQuery(v url.Values) (index.Query, error) {
	q, err := index.Parser{Types: s.opts.Types}.Parse(v)
	if err != nil {
		return index.Query{}, err
	}
	q.Timeout = searchTimeout
	return q, nil
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Searcher == nil {
		return unavailable("the index")
	}
	id := r.PathValue("id")
	if len(id) > 128 {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "id", Msg: "too long"}
	}
	ev, ok, err := s.opts.Searcher.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return &httperr.Error{Status: http.StatusNotFound, Param: "id", Msg: fmt.Sprintf("no event %q", id)}
	}
	if ev.ID != id {
		// id is a former id of the event (reports that stood apart were
		// joined) or the id of one of its reports: send the client to the
		// event's own address, permanently, keeping the method. The
		// Location is relative (the last path segment), so it holds
		// behind a proxy that serves Dateline under a path prefix.
		loc := url.PathEscape(ev.ID)
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc)
		writeJSON(w, http.StatusPermanentRedirect, map[string]string{"id": ev.ID, "location": loc})
		return nil
	}
	writeJSON(w, http.StatusOK, ev)
	return nil
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Searcher == nil {
		return unavailable("the index")
	}
	q, err := s.parseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	interval := r.URL.Query().Get("interval")
	if interval == "" {
		interval = "month"
	}
	if !slices.Contains([]string{"day", "week", "month", "year"}, interval) {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "interval", Msg: fmt.Sprintf("%q is not one of day, week, month, year", interval)}
	}
	buckets, err := s.opts.Searcher.Timeline(r.Context(), q, interval)
	if err != nil {
		return err
	}
	if buckets == nil {
		buckets = []index.Bucket{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interval": interval, "buckets": buckets})
	return nil
}

// extractRequest is the body of POST /api/v1/extract.
type extractRequest struct {
	Text      string `json:"text"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Locale    string `json:"locale"`
}

func (s *Server) extract(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Extractor == nil {
		return unavailable("the extractor")
	}
	var req extractRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	doc, err := extract.NewDocument(req.Text, req.Title, req.URL, req.Published, time.Now())
	if err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "published", Msg: err.Error()}
	}
	doc.Locale = req.Locale
	events := s.opts.Extractor.Extract(doc)
	if events == nil {
		events = []event.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events})
	return nil
}
