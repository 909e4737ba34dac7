package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/httperr"
)

// DeadLetters lists and replays the messages a stage gave up on. Replay
// returns bus.ErrNoDeadLetter for an unknown sequence (404) and
// bus.ErrSuperseded when a newer message took the dead letter's place on
// its subject (409).
type DeadLetters interface {
	DeadLetters(ctx context.Context, limit int) ([]bus.DeadLetter, error)
	Replay(ctx context.Context, seq uint64) error
}

func (s *Server) deadRoutes() {
	if s.opts.DeadLetters == nil {
		return
	}
	s.handle("GET /api/v1/deadletters", s.admin(s.listDead))
	s.handle("POST /api/v1/deadletters/{seq}/replay", s.admin(s.replayDead))
}

func (s *Server) listDead(w http.ResponseWriter, r *http.Request) error {
	limit := 100
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return &httperr.Error{Status: http.StatusBadRequest, Param: "limit", Msg: fmt.Sprintf("%q is not a positive whole number", l)}
		}
		limit = min(n, 1000)
	}
	list, err := s.opts.DeadLetters.DeadLetters(r.Context(), limit)
	if err != nil {
		return err
	}
	if list == nil {
		list = []bus.DeadLetter{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deadletters": list})
	return nil
}

func (s *Server) replayDead(w http.ResponseWriter, r *http.Request) error {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "seq", Msg: fmt.Sprintf("%q is not a sequence number", r.PathValue("seq"))}
	}
	err = s.opts.DeadLetters.Replay(r.Context(), seq)
	if errors.Is(err, bus.ErrNoDeadLetter) {
		return &httperr.Error{Status: http.StatusNotFound, Param: "seq", Msg: fmt.Sprintf("no dead letter %d", seq)}
	}
	if errors.Is(err, bus.ErrSuperseded) {
		return &httperr.Error{Status: http.StatusConflict, Param: "seq", Msg: fmt.Sprintf("dead letter %d: %v", seq, err)}
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
