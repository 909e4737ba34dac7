package alert

import (
	"net/url"
	"strings"
	"sync"
)

// SavedSearchFunc looks up a saved search by name and returns its query
// parameters (those of GET /api/v1/events).
type SavedSearchFunc func(name string) (url.Values, bool)

// savedRules resolves rules whose query is a saved search, caching the
// compiled form per rule and search content, so that editing the saved
// search changes what the rule matches from the next event on.
type savedRules struct {
	lookup SavedSearchFunc

	mu    sync.Mutex // guards cache
	cache map[string]*compiled
}

// effective returns rules with every saved-search rule replaced by a copy
// carrying the search's query and filters; a rule whose search does not
// exist (any more) matches nothing.
func (s *savedRules) effective(rules []*compiled) []*compiled {
	out := make([]*compiled, 0, len(rules))
	for _, r := range rules {
		if r.Search == "" {
			out = append(out, r)
			continue
		}
		if s.lookup == nil {
			continue
		}
		vals, ok := s.lookup(r.Search)
		if !ok {
			continue
		}
		if c := s.resolve(r, vals); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (s *savedRules) resolve(r *compiled, vals url.Values) *compiled {
	key := r.id + "\x00" + vals.Encode()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[key]; ok {
		return c
	}
	q, err := parseQuery(vals.Get("q"))
	if err != nil {
		return nil // the API validated it; a bad one matches nothing
	}
	c := *r
	c.q = q
	c.Query = vals.Get("q")
	c.Types, c.Actors, c.Places, c.Statuses = values(vals, "type"), values(vals, "actor"), values(vals, "place"), values(vals, "status")
	if s.cache == nil || len(s.cache) > 1000 {
		s.cache = map[string]*compiled{}
	}
	s.cache[key] = &c
	return &c
}

// values reads a repeatable, comma-separable parameter as the API does.
func values(v url.Values, key string) []string {
	var out []string
	for _, s := range v[key] {
		for part := range strings.SplitSeq(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
