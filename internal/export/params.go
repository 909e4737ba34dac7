package export

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// maxParamBytes bounds one parameter value.
const maxParamBytes = 1024

// ParseQuery reads the search parameters of /api/v1/events (q, from, to,
// type, actor, place, feed, status, sort; filters repeatable or
// comma-separated) into a query. A malformed value gives a
// *index.QueryError naming it. The index validates the rest (query syntax,
// cost) when the search runs.
func ParseQuery(v url.Values) (index.Query, error) {
	for k, vals := range v {
		for _, s := range vals {
			if len(s) > maxParamBytes {
				return index.Query{}, &index.QueryError{Param: k, Msg: fmt.Sprintf("longer than %d bytes", maxParamBytes)}
			}
		}
	}
	q := index.Query{
		Q: strings.TrimSpace(v.Get("q")), From: v.Get("from"), To: v.Get("to"),
		Types: values(v, "type"), Actors: values(v, "actor"), Places: values(v, "place"),
		Feeds: values(v, "feed"), Statuses: values(v, "status"), Sort: v.Get("sort"),
	}
	for _, p := range []string{"from", "to"} {
		if d := v.Get(p); d != "" {
			if _, _, _, ok := event.ParseDate(d); !ok {
				return q, &index.QueryError{Param: p, Msg: fmt.Sprintf("%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", clipParam(d))}
			}
		}
	}
	if q.Sort != "" && !slices.Contains([]string{index.SortDate, index.SortDateDesc, index.SortRelevance}, q.Sort) {
		return q, &index.QueryError{Param: "sort", Msg: fmt.Sprintf("%q is not one of date, -date, relevance", clipParam(q.Sort))}
	}
	return q, nil
}

// values returns the values of a repeatable parameter, splitting
// comma-separated ones.
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

func clipParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
