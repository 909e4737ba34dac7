package api

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Limits of GET /api/v1/entities.
const (
	defaultEntities = 10
	maxEntities     = 50
	maxEntityQuery  = 100
)

// entitiesResponse is the body of GET /api/v1/entities.
type entitiesResponse struct {
	Actors []string `json:"actors"`
	Places []string `json:"places"`
}

// names is what GET /api/v1/entities suggests from: every spelling the
// gazetteer knows (canonical names and aliases), lower-cased and sorted,
// each with the canonical name it stands for. It is built once and only
// read after.
type names struct {
	actors, places []spelling
}

// spelling is one way of writing an entity, lower-cased, and the
// entity's canonical name.
type spelling struct {
	key, name string
}

// newNames indexes the canonical names and aliases of the gazetteer of
// rs: countries and organisations as actors (people stand for their
// country or organisation, which is the actor), countries and places as
// places.
func newNames(rs *rules.Set) *names {
	n := &names{}
	add := func(list *[]spelling, name string, aliases []string) {
		for _, s := range append([]string{name}, aliases...) {
			if s = strings.TrimSpace(s); s != "" {
				*list = append(*list, spelling{strings.ToLower(s), name})
			}
		}
	}
	for _, c := range rs.Countries {
		add(&n.actors, c.Name, c.Aliases)
		add(&n.places, c.Name, c.Aliases)
	}
	for _, o := range rs.Organizations {
		add(&n.actors, o.Name, o.Aliases)
	}
	for _, p := range rs.Places {
		add(&n.places, p.Name, p.Aliases)
	}
	for _, list := range []*[]spelling{&n.actors, &n.places} {
		slices.SortFunc(*list, func(a, b spelling) int {
			return strings.Compare(a.key+"\x00"+a.name, b.key+"\x00"+b.name)
		})
	}
	return n
}

// suggest returns up to limit canonical names one of whose spellings
// starts with prefix (lower case): names whose own name matches first,
// then those matched through an alias, each group in alphabetical order,
// every name once.
func suggest(list []spelling, prefix string, limit int) []string {
	i, _ := slices.BinarySearchFunc(list, prefix, func(s spelling, p string) int { return strings.Compare(s.key, p) })
	own, alias := map[string]bool{}, map[string]bool{}
	for ; i < len(list) && strings.HasPrefix(list[i].key, prefix); i++ {
		name := list[i].name
		if strings.HasPrefix(strings.ToLower(name), prefix) {
			own[name] = true
		} else {
			alias[name] = true
		}
	}
	out := slices.Sorted(maps.Keys(own))
	for _, name := range slices.Sorted(maps.Keys(alias)) {
		if !own[name] {
			out = append(out, name)
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// entityNames returns the names the server suggests from: those of
// Options.Gazetteer, or of the built-in rules, read on first use.
func (s *Server) entityNames() (*names, error) {
	s.namesOnce.Do(func() {
		rs := s.opts.Gazetteer
		if rs == nil {
			if rs, s.namesErr = rules.Load(pipelines.FS); s.namesErr != nil {
				s.namesErr = fmt.Errorf("built-in gazetteer: %w", s.namesErr)
				return
			}
		}
		s.names = newNames(rs)
	})
	return s.names, s.namesErr
}

// entities serves GET /api/v1/entities?q=&limit=: canonical actor and
// place names (from the gazetteer) one of whose spellings starts with q,
// case-insensitively, for the actor and place boxes of the page.
func (s *Server) entities(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := strings.ToLower(strings.TrimSpace(v.Get("q")))
	if q == "" || utf8.RuneCountInString(q) > maxEntityQuery {
		return &httperr.Error{Status: http.StatusBadRequest, Param: "q", Msg: fmt.Sprintf("give the first letters of a name (1 to %d characters)", maxEntityQuery)}
	}
	limit := defaultEntities
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return &httperr.Error{Status: http.StatusBadRequest, Param: "limit", Msg: fmt.Sprintf("%q is not a positive whole number", l)}
		}
		limit = min(n, maxEntities)
	}
	n, err := s.entityNames()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, entitiesResponse{Actors: suggest(n.actors, q, limit), Places: suggest(n.places, q, limit)})
	return nil
}

// namesState holds the suggestion names of a Server, built on first use.
type namesState struct {
	namesOnce sync.Once // guards names and namesErr
	names     *names
	namesErr  error
}
