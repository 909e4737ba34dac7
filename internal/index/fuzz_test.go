package index

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzSearch feeds arbitrary query parameters to Search: it must never
// panic, and it fails only with a *QueryError or a timeout.
func FuzzSearch(f *testing.F) {
	for _, s := range []struct{ q, from, to, cursor, sort string }{
		{"treaty", "2024", "2024-06", "", ""},
		{"+north -korea \"arms deal\"", "", "", "", "date"},
		{"actor:\"North Korea\" type:arms*", "2023-09-01", "", "", "-date"},
		{"*a /.*/ foo~2", "x", "y", "!!", "relevance"},
		{"title:tr?aty^2 start:>\"2024-01-01\"", "", "", "eyJzIjoiLWRhdGUiLCJhIjpbIjIwMjQtMDEtMDEiLCJ4Il19", ""},
		{"(a) [b] {c} \\ : ~ ^", "2024-02-30", "0000", "e30", "up"},
		{"source_count:>=2 source_count:x article:a1", "", "", "", "date"},
	} {
		f.Add(s.q, s.from, s.to, s.cursor, s.sort)
	}
	ix := loaded(f)
	f.Fuzz(func(t *testing.T, q, from, to, cursor, sort string) {
		query := Query{Q: q, From: from, To: to, Cursor: cursor, Sort: sort,
			Facets: true, Highlight: true, Timeout: 2 * time.Second}
		_, err := ix.Search(context.Background(), query)
		var qe *QueryError
		if err != nil && !errors.As(err, &qe) && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Search(%+v): unexpected error kind %T: %v", query, err, err)
		}
		if _, err := ix.Timeline(context.Background(), query, "week"); err != nil && !errors.As(err, &qe) &&
			!errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Timeline(%+v): unexpected error kind %T: %v", query, err, err)
		}
	})
}
