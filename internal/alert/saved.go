package alert

import (
	"log/slog"
	"net/url"
	"sync"

	"github.com/dateline/dateline/internal/index"
)

// SavedSearchFunc looks up a saved search by name and returns its query
// parameters (those of GET /api/v1/events).
type SavedSearchFunc func(name string) (url.Values, bool)

// savedRules resolves rules whose query is a saved search, caching the
// compiled form per rule and search content, so that editing the saved
// search changes what the rule matches from the next event on.
type savedRules struct {
	lookup SavedSearchFunc
	log    *slog.Logger // nil: nothing is logged

	mu      sync.Mutex // guards cache and missing
	cache   map[string]*compiled
	missing map[string]bool // rules whose search was missing or unusable when last looked up
}

// effective returns rules with every saved-search rule replaced by a copy
// carrying the search's query and filters; a rule whose search does not
// exist (any more) or cannot be read matches nothing, which is logged
// once until the search is back.
func (s *savedRules) effective(rules []*compiled) []*compiled {
	out := make([]*compiled, 0, len(rules))
	for _, r := range rules {
		if r.Search == "" {
			out = append(out, r)
			continue
		}
		var c *compiled
		if s.lookup != nil {
			if vals, ok := s.lookup(r.Search); ok {
				c = s.resolve(r, vals)
			}
		}
		s.note(r, c != nil)
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// note logs when rule r's saved search goes missing and when it is back.
func (s *savedRules) note(r *compiled, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if found == !s.missing[r.Name] {
		return
	}
	if s.missing == nil {
		s.missing = map[string]bool{}
	}
	if found {
		delete(s.missing, r.Name)
		if s.log != nil {
			s.log.Info("alerter: saved search of rule found again", "rule", r.Name, "search", r.Search)
		}
		return
	}
	s.missing[r.Name] = true
	if s.log != nil {
		s.log.Warn("alerter: saved search of rule missing or unusable; the rule matches nothing", "rule", r.Name, "search", r.Search)
	}
}

func (s *savedRules) resolve(r *compiled, vals url.Values) *compiled {
	key := r.id + "\x00" + vals.Encode()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[key]; ok {
		return c
	}
	c, err := withSearch(r, vals)
	if err != nil {
		return nil // the API validated it; a bad one matches nothing
	}
	if s.cache == nil || len(s.cache) > 1000 {
		s.cache = map[string]*compiled{}
	}
	s.cache[key] = c
	return c
}

// withSearch returns a copy of r with the query and filters of a saved
// search, read as every search reads them (index.ParseParams): q, type,
// actor, place, status, feed, from, to, near, and min_sources (the larger
// of the rule's and the search's, counted the rule's way: see admits).
func withSearch(r *compiled, vals url.Values) (*compiled, error) {
	q, err := index.ParseParams(vals)
	if err != nil {
		return nil, err
	}
	c := *r
	c.Query, c.Types, c.Actors, c.Places, c.Statuses = q.Q, q.Types, q.Actors, q.Places, q.Statuses
	c.MinSources = max(c.MinSources, q.MinSources)
	q.MinSources = 0
	if c.sel, err = index.NewMatcher(q); err != nil {
		return nil, err
	}
	return &c, nil
}
