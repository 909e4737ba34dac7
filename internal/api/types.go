package api

import (
	"net/http"

	"github.com/dateline/dateline/internal/rules"
)

// typesResponse is the body of GET /api/v1/types.
type typesResponse struct {
	Types rules.Catalog `json:"types"`
}

// types lists the event types and their facts, in the rules' order.
func (s *Server) types(w http.ResponseWriter, r *http.Request) error {
	types := s.opts.Types
	if types == nil {
		types = rules.Catalog{}
	}
	writeJSON(w, http.StatusOK, typesResponse{Types: types})
	return nil
}
