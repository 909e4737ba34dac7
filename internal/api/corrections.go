package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/rules"
)

// Corrections (admin): an analyst marks an event wrong or changes its
// type, date or actors; the correction is stored under the event's
// current id (a former id is resolved to the event it became), kept with
// its history, and exported as labelled articles.
//
//	GET    /api/v1/corrections                  every current correction
//	GET    /api/v1/corrections/export           {"files":[{"name","data"}],"skipped":[ids]}
//	PUT    /api/v1/events/{id}/correction       store one; body {"hidden","type","date","date_end","actors","note","by"}
//	GET    /api/v1/events/{id}/correction       {"correction","history"}
//	DELETE /api/v1/events/{id}/correction       withdraw it (the history keeps it)

// correctionRoutes registers the corrections endpoints, all admin; they
// answer 503 without Options.Corrections or an index.
func (s *Server) correctionRoutes() {
	s.handle("GET /api/v1/corrections", s.admin(s.listCorrections))
	s.handle("GET /api/v1/corrections/export", s.admin(s.exportCorrections))
	s.handle("PUT /api/v1/events/{id}/correction", s.admin(s.putCorrection))
	s.handle("GET /api/v1/events/{id}/correction", s.admin(s.getCorrection))
	s.handle("DELETE /api/v1/events/{id}/correction", s.admin(s.deleteCorrection))
}

// correctionsReady returns the store, or the error to answer without it.
func (s *Server) correctionsReady() (*corrections.Store, error) {
	if s.opts.Corrections == nil {
		return nil, unavailable("the corrections store")
	}
	if s.opts.Searcher == nil {
		return nil, unavailable("the index")
	}
	return s.opts.Corrections, nil
}

// regroupTargets checks and resolves what a merge or a split names: the
// target of merge_into becomes its event's current id; a split is keyed
// by the report in the path, which must be one of the event's sources.
func (s *Server) regroupTargets(r *http.Request, c *corrections.Correction) error {
	if c.MergeInto != "" {
		target, ok, err := s.opts.Searcher.Get(r.Context(), c.MergeInto)
		if err != nil {
			return fmt.Errorf("look up event %s: %w", c.MergeInto, err)
		}
		if !ok {
			return &httperr.Error{Status: http.StatusBadRequest, Param: "merge_into", Msg: fmt.Sprintf("no event %q", c.MergeInto)}
		}
		c.MergeInto = target.ID
	}
	if !c.Split {
		return nil
	}
	report := r.PathValue("id")
	ev, _, err := s.opts.Searcher.Get(r.Context(), report)
	if err != nil {
		return fmt.Errorf("look up event %s: %w", report, err)
	}
	for _, src := range ev.Sources {
		if src.EventID == report {
			c.EventID = report
			return nil
		}
	}
	return &httperr.Error{Status: http.StatusBadRequest, Param: "id", Msg: fmt.Sprintf("split takes the event_id of one of the sources of an event merged from several reports; %q is not one", report)}
}

// correctedID resolves the id in the path to the event's current id.
func (s *Server) correctedID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if len(id) > 128 {
		return "", &httperr.Error{Status: http.StatusBadRequest, Param: "id", Msg: "too long"}
	}
	ev, ok, err := s.opts.Searcher.Get(r.Context(), id)
	if err != nil {
		return "", fmt.Errorf("look up event %s: %w", id, err)
	}
	if !ok {
		return "", &httperr.Error{Status: http.StatusNotFound, Param: "id", Msg: fmt.Sprintf("no event %q", id)}
	}
	return ev.ID, nil
}

func (s *Server) putCorrection(w http.ResponseWriter, r *http.Request) error {
	store, err := s.correctionsReady()
	if err != nil {
		return err
	}
	id, err := s.correctedID(r)
	if err != nil {
		return err
	}
	var c corrections.Correction
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf("read the correction: %v", err)}
	}
	if c.EventID != "" && c.EventID != id && c.EventID != r.PathValue("id") {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "event_id", Msg: fmt.Sprintf("%q is not the event of the path (%s)", c.EventID, id)}
	}
	c.EventID = id
	if err := s.regroupTargets(r, &c); err != nil {
		return err
	}
	// A report split out stays split when its event is corrected (its
	// correction is keyed by its id): DELETE withdraws both.
	if prev, err := store.Get(r.Context(), c.EventID); err == nil && prev.Split && !c.Regroups() {
		c.Split = true
	} else if err != nil && !errors.Is(err, corrections.ErrNotFound) {
		return err
	}
	if err := c.Check(typeIDs(s.opts.Types)); err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Msg: err.Error()}
	}
	stored, err := store.Put(r.Context(), c, typeIDs(s.opts.Types))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, stored)
	return nil
}

func (s *Server) getCorrection(w http.ResponseWriter, r *http.Request) error {
	store, err := s.correctionsReady()
	if err != nil {
		return err
	}
	id, err := s.correctedID(r)
	if err != nil {
		return err
	}
	c, err := store.Get(r.Context(), id)
	if errors.Is(err, corrections.ErrNotFound) {
		return &httperr.Error{Status: http.StatusNotFound, Param: "id", Msg: fmt.Sprintf("event %q has no correction", id)}
	}
	if err != nil {
		return err
	}
	history, err := store.History(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"correction": c, "history": history})
	return nil
}

func (s *Server) deleteCorrection(w http.ResponseWriter, r *http.Request) error {
	store, err := s.correctionsReady()
	if err != nil {
		return err
	}
	id, err := s.correctedID(r)
	if err != nil {
		return err
	}
	if _, err := store.Get(r.Context(), id); errors.Is(err, corrections.ErrNotFound) {
		return &httperr.Error{Status: http.StatusNotFound, Param: "id", Msg: fmt.Sprintf("event %q has no correction", id)}
	} else if err != nil {
		return err
	}
	if err := store.Delete(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listCorrections(w http.ResponseWriter, r *http.Request) error {
	store, err := s.correctionsReady()
	if err != nil {
		return err
	}
	cs, err := store.List(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"corrections": cs})
	return nil
}

func (s *Server) exportCorrections(w http.ResponseWriter, r *http.Request) error {
	store, err := s.correctionsReady()
	if err != nil {
		return err
	}
	evs, ok := unscheduled(s.opts.Searcher).(corrections.Events)
	if !ok {
		return unavailable("an index that keeps its events' reports")
	}
	cs, err := store.List(r.Context())
	if err != nil {
		return err
	}
	files, skipped, err := corrections.Labels(r.Context(), cs, evs)
	if err != nil {
		return err
	}
	if files == nil {
		files = []corrections.File{}
	}
	if skipped == nil {
		skipped = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": files, "skipped": skipped})
	return nil
}

// unscheduled returns the Searcher the scheduler wraps, or s itself.
func unscheduled(s Searcher) Searcher {
	if sc, ok := s.(scheduled); ok {
		return sc.Searcher
	}
	return s
}

// typeIDs returns the ids of the types of c, in order.
func typeIDs(c rules.Catalog) []string {
	out := make([]string, len(c))
	for i, f := range c {
		out[i] = f.ID
	}
	return out
}
