package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/dateline/dateline/internal/httperr"
)

// Reindexer rebuilds the index from EVENTS beside the serving one and
// swaps it in when complete (dateline reindex). Both methods return at
// once; the rebuild runs in the background, owned by the Reindexer.
type Reindexer interface {
	// StartReindex starts a rebuild and returns its status; while one
	// runs it returns that one's status and ErrReindexRunning.
	StartReindex() (ReindexStatus, error)
	// ReindexStatus reports the running or the last rebuild.
	ReindexStatus() ReindexStatus
}

// ErrReindexRunning is returned by Reindexer.StartReindex while a
// rebuild runs (409).
var ErrReindexRunning = errors.New("an index rebuild is already running")

// Reindex states (ReindexStatus.State).
const (
	// ReindexIdle: no rebuild has run since the process started.
	ReindexIdle = "idle"
	// ReindexRunning: the new index is being filled from EVENTS; the old
	// one serves.
	ReindexRunning = "running"
	// ReindexDone: the new index serves.
	ReindexDone = "done"
	// ReindexFailed: the rebuild stopped (Error says why); the old index
	// still serves.
	ReindexFailed = "failed"
)

// ReindexStatus is the state of an index rebuild, the body of
// GET and POST /api/v1/admin/reindex.
type ReindexStatus struct {
	// State is one of the Reindex* states.
	State string `json:"state"`
	// Started and Finished bound the rebuild (Finished once done or
	// failed).
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	// Seq is the EVENTS sequence the new index holds everything up to;
	// FirstSeq and LastSeq are the stream's bounds when last looked at
	// (LastSeq grows while events arrive).
	Seq      uint64 `json:"seq"`
	FirstSeq uint64 `json:"first_seq"`
	LastSeq  uint64 `json:"last_seq"`
	// Sets and Events count the event sets (one per article) and events
	// written so far; Skipped the sets that could not be decoded.
	Sets    int `json:"sets"`
	Events  int `json:"events"`
	Skipped int `json:"skipped,omitempty"`
	// EventsPerSecond is Events over the time since Started.
	EventsPerSecond float64 `json:"events_per_second"`
	// Error says why a failed rebuild stopped.
	Error string `json:"error,omitempty"`
}

// Fraction is how much of the stream the rebuild has read, from 0 to 1.
func (st ReindexStatus) Fraction() float64 {
	if st.State == ReindexDone {
		return 1
	}
	if st.LastSeq == 0 || st.LastSeq < st.FirstSeq || st.Seq < st.FirstSeq {
		return 0
	}
	return min(1, float64(st.Seq-st.FirstSeq+1)/float64(st.LastSeq-st.FirstSeq+1))
}

func (s *Server) reindexRoutes() {
	if s.opts.Reindexer == nil {
		return
	}
	s.handle("POST /api/v1/admin/reindex", s.admin(s.startReindex))
	s.handle("GET /api/v1/admin/reindex", s.admin(s.reindexStatus))
}

func (s *Server) startReindex(w http.ResponseWriter, r *http.Request) error {
	st, err := s.opts.Reindexer.StartReindex()
	if errors.Is(err, ErrReindexRunning) {
		return &httperr.Error{Status: http.StatusConflict, Msg: err.Error()}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, st)
	return nil
}

func (s *Server) reindexStatus(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.opts.Reindexer.ReindexStatus())
	return nil
}
