package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/searches"
)

// SavedSearches stores named searches.
type SavedSearches interface {
	List(ctx context.Context) ([]searches.Search, error)
	Get(ctx context.Context, name string) (searches.Search, error)
	Put(ctx context.Context, s searches.Search) error
	Delete(ctx context.Context, name string) error
}

func (s *Server) searchRoutes() {
	if s.opts.Searches == nil {
		return
	}
	s.handle("GET /api/v1/searches", s.listSearches)
	s.handle("GET /api/v1/searches/{name}", s.getSearch)
	s.handle("GET /api/v1/searches/{name}/feed.atom", s.searchFeed)
	s.handle("POST /api/v1/searches", s.admin(s.saveSearch))
	s.handle("DELETE /api/v1/searches/{name}", s.admin(s.deleteSearch))
}

func (s *Server) listSearches(w http.ResponseWriter, r *http.Request) error {
	list, err := s.opts.Searches.List(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []searches.Search{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"searches": list})
	return nil
}

func (s *Server) findSearch(ctx context.Context, name string) (searches.Search, error) {
	se, err := s.opts.Searches.Get(ctx, name)
	if errors.Is(err, searches.ErrNotFound) {
		return se, &httperr.Error{Status: http.StatusNotFound, Param: "name", Msg: fmt.Sprintf("no saved search %q", name)}
	}
	return se, err
}

func (s *Server) getSearch(w http.ResponseWriter, r *http.Request) error {
	se, err := s.findSearch(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, se)
	return nil
}

// searchRequest is the body of POST /api/v1/searches.
type searchRequest struct {
	Name string `json:"name"`
	// Query is the query string of GET /api/v1/events.
	Query string `json:"query"`
}

func (s *Server) saveSearch(w http.ResponseWriter, r *http.Request) error {
	var req searchRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	if !searches.ValidName(req.Name) {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "name", Msg: fmt.Sprintf("%q is not 1-64 lower-case letters, digits, - or _", req.Name)}
	}
	v, err := url.ParseQuery(req.Query)
	if err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "query", Msg: "not a query string: " + err.Error()}
	}
	for _, p := range []string{"cursor", "limit"} {
		v.Del(p)
	}
	if _, err := s.parseQuery(v); err != nil {
		return err
	}
	se := searches.Search{Name: req.Name, Query: v.Encode(), Created: time.Now().UTC()}
	if err := s.opts.Searches.Put(r.Context(), se); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, se)
	return nil
}

func (s *Server) deleteSearch(w http.ResponseWriter, r *http.Request) error {
	err := s.opts.Searches.Delete(r.Context(), r.PathValue("name"))
	if errors.Is(err, searches.ErrNotFound) {
		return &httperr.Error{Status: http.StatusNotFound, Param: "name", Msg: fmt.Sprintf("no saved search %q", r.PathValue("name"))}
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// searchFeed serves a saved search as Atom: the /feed.atom export with the
// saved parameters.
func (s *Server) searchFeed(w http.ResponseWriter, r *http.Request) error {
	if s.atom == nil {
		return unavailable("the index")
	}
	se, err := s.findSearch(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	v := se.Values()
	if l := r.URL.Query().Get("limit"); l != "" {
		v.Set("limit", l)
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = v.Encode()
	return s.atom(w, r2)
}
