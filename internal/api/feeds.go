package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/poller"
)

// feedStatus is one feed as GET /api/v1/feeds lists it: its status and
// the id that DELETE /api/v1/feeds/{id} takes.
type feedStatus struct {
	ID string `json:"id"`
	poller.FeedStatus
}

// feedSummary counts the feeds by status, for the page's feed health.
type feedSummary struct {
	Total    int `json:"total"`
	OK       int `json:"ok"`
	Error    int `json:"error"`
	Pending  int `json:"pending"`
	Disabled int `json:"disabled"`
}

func (s *Server) feeds(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Feeds == nil {
		return unavailable("feed management")
	}
	st, err := s.opts.Feeds.Status(r.Context())
	if err != nil {
		return err
	}
	out := make([]feedStatus, 0, len(st))
	sum := feedSummary{Total: len(st)}
	for _, f := range st {
		out = append(out, feedStatus{ID: feedlist.ID(f.URL), FeedStatus: f})
		switch f.Status {
		case poller.StatusOK:
			sum.OK++
		case poller.StatusError:
			sum.Error++
		case poller.StatusDisabled:
			sum.Disabled++
		default:
			sum.Pending++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"feeds": out, "summary": sum})
	return nil
}

func (s *Server) feedsOPML(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Feeds == nil {
		return unavailable("feed management")
	}
	feeds, err := s.opts.Feeds.List(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dateline-feeds.opml"`)
	return feedlist.WriteOPML(w, "Dateline feeds", feeds, time.Now())
}

// feedRequest is the body of POST /api/v1/feeds.
type feedRequest struct {
	URL      string `json:"url"`
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	FullText bool   `json:"full_text"`
	// Interval is a Go duration ("15m").
	Interval string `json:"interval"`
}

func (s *Server) addFeed(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Feeds == nil {
		return unavailable("feed management")
	}
	var req feedRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	f := feedlist.Feed{URL: req.URL, Name: req.Name, Locale: req.Locale, FullText: req.FullText}
	if req.Interval != "" {
		d, err := time.ParseDuration(req.Interval)
		if err != nil {
			return &httperr.Error{Status: http.StatusBadRequest, Param: "interval", Msg: fmt.Sprintf("%q is not a duration", req.Interval)}
		}
		f.Interval = d
	}
	if err := feedlist.Validate(f); err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Msg: err.Error()}
	}
	if err := s.opts.Feeds.Add(r.Context(), f); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": feedlist.ID(f.URL), "feed": f})
	return nil
}

func (s *Server) removeFeed(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Feeds == nil {
		return unavailable("feed management")
	}
	id := r.PathValue("id")
	found, err := s.opts.Feeds.Remove(r.Context(), id)
	if errors.Is(err, ErrConfigFeed) {
		return &httperr.Error{Status: http.StatusConflict, Param: "id", Msg: err.Error()}
	}
	if err != nil {
		return err
	}
	if !found {
		return &httperr.Error{Status: http.StatusNotFound, Param: "id", Msg: fmt.Sprintf("no feed %q", id)}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decodeBody reads a capped JSON body into v, refusing unknown fields.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &httperr.Error{Status: http.StatusBadRequest, Param: "body", Msg: "not valid JSON for this endpoint: " + err.Error()}
	}
	return nil
}
