package index

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSearchRefuses(t *testing.T) {
	ix := loaded(t)
	relevanceCursor := func() string {
		res := find(t, ix, Query{Q: "russia", Limit: 1})
		return res.Next
	}()
	many := make([]string, MaxFilterValues+1)
	for i := range many {
		many[i] = "t" + strings.Repeat("x", i)
	}
	tests := []struct {
		name      string
		q         Query
		wantParam string
	}{
		{"leading wildcard", Query{Q: "*a"}, "q"},
		{"leading wildcard in field", Query{Q: "actor:*ussia"}, "q"},
		{"wildcard with one letter", Query{Q: "a*"}, "q"},
		{"leading question mark", Query{Q: "?ussia"}, "q"},
		{"regular expression", Query{Q: "/.*/"}, "q"},
		{"regular expression in field", Query{Q: "title:/tr.*/"}, "q"},
		{"fuzziness 2", Query{Q: "foo~2"}, "q"},
		{"fuzziness 2 in field", Query{Q: "title:foo~2"}, "q"},
		{"query over 1 KB", Query{Q: strings.Repeat("ab ", 400)}, "q"},
		{"query of 100 KB", Query{Q: strings.Repeat("x", 100<<10)}, "q"},
		{"too many terms", Query{Q: strings.Repeat("word ", 40)}, "q"},
		{"syntax error", Query{Q: `"unclosed`}, "q"},
		{"unknown field", Query{Q: "secret:x"}, "q"},
		{"stored field", Query{Q: "event:x"}, "q"},
		{"cursor not base64", Query{Cursor: "!!!"}, "cursor"},
		{"cursor not json", Query{Cursor: base64.RawURLEncoding.EncodeToString([]byte("hello"))}, "cursor"},
		{"cursor of another sort", Query{Cursor: relevanceCursor}, "cursor"},
		{"cursor with a bad date", Query{Cursor: base64.RawURLEncoding.EncodeToString([]byte(`{"s":"-date","a":["x","y"]}`))}, "cursor"},
		{"cursor too long", Query{Cursor: strings.Repeat("A", 4096)}, "cursor"},
		{"bad from", Query{From: "2024-13"}, "from"},
		{"words as from", Query{From: "yesterday"}, "from"},
		{"bad to", Query{To: "2024-02-30"}, "to"},
		{"to before from", Query{From: "2024-05", To: "2024-04"}, "to"},
		{"bad sort", Query{Sort: "up"}, "sort"},
		{"near latitude", Query{Near: &Near{Lat: 100, Lon: 0, Km: 5}}, "near"},
		{"near distance", Query{Near: &Near{Lat: 10, Lon: 10, Km: -1}}, "near"},
		{"too many types", Query{Types: many}, "type"},
		{"huge actor value", Query{Actors: []string{strings.Repeat("x", 300)}}, "actor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.q)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("got error %v, want *QueryError", err)
			}
			if qe.Param != tt.wantParam {
				t.Errorf("Param: got %q, want %q (%v)", qe.Param, tt.wantParam, qe)
			}
			if !strings.Contains(qe.Error(), tt.wantParam) {
				t.Errorf("Error() %q does not name %q", qe.Error(), tt.wantParam)
			}
		})
	}
}

func TestSearchBounds(t *testing.T) {
	ix := loaded(t)
	t.Run("limit capped", func(t *testing.T) {
		p, err := compile(Query{Limit: 100000})
		if err != nil || p.limit != MaxLimit {
			t.Errorf("compile: limit %d, err %v; want %d", p.limit, err, MaxLimit)
		}
	})
	t.Run("limit default", func(t *testing.T) {
		if res := find(t, ix, Query{Limit: -5}); len(res.Events) != 10 {
			t.Errorf("got %d events, want 10", len(res.Events))
		}
	})
	t.Run("allowed fuzziness and wildcards", func(t *testing.T) {
		for _, q := range []string{"russia~1", "ru*", "title:tr?aty", "type:arms*"} {
			if _, err := ix.Search(context.Background(), Query{Q: q}); err != nil {
				t.Errorf("Q=%q: %v", q, err)
			}
		}
	})
	t.Run("expired context", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), -time.Second)
		defer cancel()
		if _, err := ix.Search(ctx, Query{Q: "russia"}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want DeadlineExceeded", err)
		}
	})
}
