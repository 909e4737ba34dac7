package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestQueryWords: every plain word is required, OR accepts either of
// the clauses it joins, -word and NOT word exclude, AND changes nothing,
// and a stop word requires nothing.
func TestQueryWords(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		name, q string
		want    []string
	}{
		{"one word", "korea", []string{"e01", "e02", "e07", "e09"}},
		{"two words: both required", "russia korea", []string{"e01", "e02", "e07"}},
		{"both words, one only in a title", "korea missile", []string{"e09"}},
		{"a word no event has beside another", "korea doha", []string{}},
		{"OR", "taiwan OR doha", []string{"e05", "e06"}},
		{"OR beside a required word", "kim OR shells korea", []string{"e02", "e07"}},
		{"chain of OR", "taiwan OR doha OR tbilisi", []string{"e05", "e06", "e08"}},
		{"AND changes nothing", "russia AND korea", []string{"e01", "e02", "e07"}},
		{"-word", "korea -russia", []string{"e09"}},
		{"NOT word", "korea NOT russia", []string{"e09"}},
		{"only an excluded word", "-russia", []string{"e05", "e06", "e08", "e09"}},
		{"phrase and a word", `"strategic partnership" russia`, []string{"e01"}},
		{"phrase not matching in order", `"partnership strategic"`, []string{}},
		{"words of one clause all required", "north-korea", []string{"e01", "e02", "e07", "e09"}},
		{"field clause required", "russia actor:Taiwan", []string{}},
		{"field with a space after the colon", "actor: Taiwan", []string{"e06"}},
		{"stop word requires nothing", "the kyiv", []string{"e10"}},
		{"lower-case or is a word", "taiwan or doha", []string{}},
		{"plus still requires", "+russia +korea", []string{"e01", "e02", "e07"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sortedIDs(find(t, ix, Query{Q: tt.q, Limit: MaxLimit}).Events)
			if !slices.Equal(got, tt.want) {
				t.Errorf("q=%s: got %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

// TestQueryErrorsSayWhere: a refused query string says what is wrong and
// the character where it is, never a bare "syntax error".
func TestQueryErrorsSayWhere(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		q    string
		want []string // substrings of the message
	}{
		{"date:>2026-12-01", []string{`unknown field "date" at character 1`, "from=2026-12-01"}},
		{"russia day:>2026-12-01", []string{`"2026-12-01" at character 13 after day:> is not a number`, "from and to filters (from=2026-12-01)"}},
		{"date:<2024-06", []string{`unknown field "date" at character 1`, "(to=2024-06)"}},
		{"date:2024", []string{`unknown field "date" at character 1`, "(from=2024&to=2024)"}},
		{"source_count:>=lots", []string{`"lots" at character 16 after source_count:>= is not a number`}},
		{"korea OR", []string{"OR at character 7 has no word after it"}},
		{"OR korea", []string{"OR at character 1 has no word before it"}},
		{"korea OR OR russia", []string{"OR at character 10 follows OR at character 7"}},
		{"korea OR -russia", []string{`excluded "-russia" at character 10 follows OR at character 7`}},
		{"-korea OR russia", []string{`OR at character 8 follows the excluded "-korea"`}},
		{`russia "unclosed`, []string{"quote at character 8 is never closed"}},
		{"russia title:", []string{"title: at character 8 has no value"}},
		{"korea actor:a:b", []string{`second ":" in "actor:a:b" at character 14`}},
		{"korea *ussia", []string{`wildcard "*ussia"`, "at character 7"}},
		{"korea -", []string{`"-" at character 7 has no word after it`}},
		{"kyiv NOT", []string{"NOT at character 6 has no word after it"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Query{Q: tt.q})
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Param != "q" {
				t.Fatalf("q=%s: error %v, want a QueryError for q", tt.q, err)
			}
			if strings.Contains(qe.Msg, "syntax error") {
				t.Errorf("q=%s: %q is Bleve's bare syntax error", tt.q, qe.Msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(qe.Msg, w) {
					t.Errorf("q=%s: %q does not say %q", tt.q, qe.Msg, w)
				}
			}
		})
	}
}
