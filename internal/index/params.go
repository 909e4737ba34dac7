package index

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Limits of the search parameters ParseParams reads.
const (
	// MaxParamBytes bounds one parameter value.
	MaxParamBytes = 1024
	// MaxParamValues bounds the number of times one parameter repeats.
	MaxParamValues = 50
	// MaxMinSources caps the min_sources parameter.
	MaxMinSources = 1000
	// MaxNearKm caps the radius of the near parameter.
	MaxNearKm = 20000
)

// Parser reads the search parameters against the event types of the
// rules in use. Its zero value knows the types of the rules built into
// the binary, as ParseParams does.
type Parser struct {
	// Types are the known event types; nil means those of the built-in
	// rules (pipelines.Catalog).
	Types rules.Catalog
}

// ParseParams reads the search parameters of GET /api/v1/events — q, from,
// to, type, actor, place, feed, status, min_sources, near, sort, limit and
// cursor — into a Query, and checks it as Search will: every caller (the
// API, the exports, saved searches, alert rules, the live stream) reads a
// search here, so a search means the same thing wherever it is used.
// Filters repeat (type=a&type=b) or take commas (type=a,b); other
// parameters are ignored. A type that is not one of the event types of
// the built-in rules is an error naming them (CheckTypes), not a search
// that finds nothing; Parser.Parse reads against the types of other
// rules. A malformed value gives a *QueryError whose Param names it.
func ParseParams(v url.Values) (Query, error) {
	return Parser{}.Parse(v)
}

// Parse reads the search parameters as ParseParams does, knowing the
// event types p.Types.
func (p Parser) Parse(v url.Values) (Query, error) {
	for k, vals := range v {
		if k == "" {
			k = "(unnamed parameter)" // "?=x" still names what is wrong
		}
		if len(vals) > MaxParamValues {
			return Query{}, qerr(k, "more than %d values", MaxParamValues)
		}
		for _, s := range vals {
			if len(s) > MaxParamBytes {
				return Query{}, qerr(k, "longer than %d bytes", MaxParamBytes)
			}
		}
	}
	q := Query{
		Q:        strings.TrimSpace(v.Get("q")),
		From:     v.Get("from"),
		To:       v.Get("to"),
		Types:    list(v, "type"),
		Actors:   list(v, "actor"),
		Places:   list(v, "place"),
		Feeds:    list(v, "feed"),
		Statuses: list(v, "status"),
		Sort:     v.Get("sort"),
		Cursor:   v.Get("cursor"),
	}
	if err := CheckTypes(q.Types, p.Types); err != nil {
		return q, err
	}
	for _, st := range q.Statuses {
		switch st {
		case "occurred", "planned", "denied":
		default:
			return q, qerr("status", "%q is not one of occurred, planned, denied", clip(st))
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, qerr("limit", "%q is not a positive whole number", clip(l))
		}
		q.Limit = min(n, MaxLimit)
	}
	if m := v.Get("min_sources"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > MaxMinSources {
			return q, qerr("min_sources", "%q is not a whole number from 1 to %d", clip(m), MaxMinSources)
		}
		q.MinSources = n
	}
	if n := v.Get("near"); n != "" {
		near, err := parseNear(n)
		if err != nil {
			return q, err
		}
		q.Near = near
	}
	// Everything else (the query string, dates, sort, cursor) is checked
	// by compiling the query as Search will.
	if _, err := compile(q); err != nil {
		return q, err
	}
	return q, nil
}

// list returns the values of a repeatable parameter, each of which may
// hold several separated by commas, trimmed, empty ones left out.
func list(v url.Values, key string) []string {
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

// parseNear reads "lat,lon,km".
func parseNear(s string) (*Near, error) {
	bad := qerr("near", "%q is not lat,lon,km (latitude -90 to 90, longitude -180 to 180, km above 0 and at most %d)", clip(s), MaxNearKm)
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return nil, bad
	}
	var f [3]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, bad
		}
		f[i] = x
	}
	if !validLatLon(f[0], f[1]) || !(f[2] > 0 && f[2] <= MaxNearKm) {
		return nil, bad
	}
	return &Near{Lat: f[0], Lon: f[1], Km: f[2]}, nil
}

// CheckTypes returns a *QueryError (Param "type") for the first of types
// that is not the id of an event type of known, naming the known ones; a
// nil known means the types of the rules built into the binary. Type ids
// are exact, as the index keeps them.
func CheckTypes(types []string, known rules.Catalog) error {
	if len(types) == 0 {
		return nil
	}
	if known == nil {
		var err error
		if known, err = pipelines.Catalog(); err != nil {
			return fmt.Errorf("check types: %w", err)
		}
	}
	for _, t := range types {
		if _, ok := known.Find(t); !ok {
			ids := make([]string, len(known))
			for i, f := range known {
				ids[i] = f.ID
			}
			hint := ""
			for _, id := range ids {
				if strings.EqualFold(id, t) || strings.EqualFold(id+"s", t) || strings.EqualFold(id, strings.ReplaceAll(t, " ", "_")) {
					hint = fmt.Sprintf(" (did you mean %s?)", id)
				}
			}
			return qerr("type", "%q is not a known event type%s; the types are %s", clip(t), hint, strings.Join(ids, ", "))
		}
	}
	return nil
}
