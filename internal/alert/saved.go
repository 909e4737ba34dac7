package alert

import (
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/event"
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
// search, as GET /api/v1/events reads them: q, type, actor, place,
// status, feed, from, to, near and min_sources (the larger of the rule's
// and the search's).
func withSearch(r *compiled, vals url.Values) (*compiled, error) {
	c := *r
	var err error
	if c.q, err = parseQuery(vals.Get("q")); err != nil {
		return nil, err
	}
	c.Query = vals.Get("q")
	c.Types, c.Actors, c.Places, c.Statuses = values(vals, "type"), values(vals, "actor"), values(vals, "place"), values(vals, "status")
	c.feeds = values(vals, "feed")
	if v := vals.Get("min_sources"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("min_sources %q is not a whole number", v)
		}
		c.MinSources = max(c.MinSources, n)
	}
	if from, to := vals.Get("from"), vals.Get("to"); from != "" || to != "" {
		c.span = &span{from: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
		if from != "" {
			start, _, _, ok := event.ParseDate(from)
			if !ok {
				return nil, fmt.Errorf("from %q is not a date", from)
			}
			c.span.from = start
		}
		if to != "" {
			_, end, _, ok := event.ParseDate(to)
			if !ok {
				return nil, fmt.Errorf("to %q is not a date", to)
			}
			c.span.to = end
		}
	}
	if v := vals.Get("near"); v != "" {
		var n index.Near
		parts := strings.Split(v, ",")
		if len(parts) != 3 {
			return nil, fmt.Errorf("near %q is not lat,lon,km", v)
		}
		for i, f := range []*float64{&n.Lat, &n.Lon, &n.Km} {
			if *f, err = strconv.ParseFloat(strings.TrimSpace(parts[i]), 64); err != nil {
				return nil, fmt.Errorf("near %q is not lat,lon,km", v)
			}
		}
		c.near = &n
	}
	return &c, nil
}

// span is a date range [from, to) an event must overlap.
type span struct{ from, to time.Time }

// overlaps reports whether e's dates overlap s.
func (s *span) overlaps(e event.Event) bool {
	start, end, ok := e.Span()
	return ok && start.Before(s.to) && end.After(s.from)
}

// within reports whether the first place of e with coordinates lies
// within n, as the search index locates events.
func within(n *index.Near, e event.Event) bool {
	for _, p := range e.Places {
		if (p.Lat != 0 || p.Lon != 0) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 {
			return haversineKm(n.Lat, n.Lon, p.Lat, p.Lon) <= n.Km
		}
	}
	return false
}

// haversineKm is the great-circle distance between two points in degrees.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0088
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(h)))
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
