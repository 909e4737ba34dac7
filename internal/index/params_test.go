package index

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/rules"
)

func TestParseParams(t *testing.T) {
	tests := []struct {
		name, query string
		want        Query
	}{
		{"words trimmed", "q=+treaty+", Query{Q: "treaty"}},
		{"filters repeat or take commas", "type=protest,aid&type=sanction&actor=North+Korea,+Russia&place=Kyiv&feed=AP&status=planned",
			Query{Types: []string{"protest", "aid", "sanction"}, Actors: []string{"North Korea", "Russia"}, Places: []string{"Kyiv"},
				Feeds: []string{"AP"}, Statuses: []string{"planned"}}},
		{"dates", "from=2024&to=2024-06-19", Query{From: "2024", To: "2024-06-19"}},
		{"min_sources", "min_sources=3", Query{MinSources: 3}},
		{"near", "near=49.9,+36.2,50", Query{Near: &Near{Lat: 49.9, Lon: 36.2, Km: 50}}},
		{"limit capped", "limit=100000&sort=date", Query{Limit: MaxLimit, Sort: SortDate}},
		{"unknown parameters ignored", "interval=week&utm=x", Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseParams(v)
			if err != nil {
				t.Fatalf("ParseParams(%s): %v", tt.query, err)
			}
			if got.Q != tt.want.Q || got.From != tt.want.From || got.To != tt.want.To || got.MinSources != tt.want.MinSources ||
				got.Limit != tt.want.Limit || got.Sort != tt.want.Sort ||
				!slices.Equal(got.Types, tt.want.Types) || !slices.Equal(got.Actors, tt.want.Actors) ||
				!slices.Equal(got.Places, tt.want.Places) || !slices.Equal(got.Feeds, tt.want.Feeds) ||
				!slices.Equal(got.Statuses, tt.want.Statuses) || (got.Near == nil) != (tt.want.Near == nil) ||
				got.Near != nil && *got.Near != *tt.want.Near {
				t.Errorf("ParseParams(%s) = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
}

// TestParseParamsNamesTheParameter: every refusal is a *QueryError naming
// the parameter at fault, with the same ranges wherever a search is read.
func TestParseParamsNamesTheParameter(t *testing.T) {
	tests := []struct{ query, param string }{
		{"from=yesterday", "from"},
		{"to=2024-13", "to"},
		{"from=2024-06&to=2024-05", "to"},
		{"limit=lots", "limit"},
		{"limit=0", "limit"},
		{"sort=sideways", "sort"},
		{"status=maybe", "status"},
		{"status=planned,maybe", "status"},
		{"near=1,2", "near"},
		{"near=91,0,10", "near"},
		{"near=0,181,10", "near"},
		{"near=0,0,0", "near"},
		{"near=0,0,20001", "near"},
		{"near=NaN,0,10", "near"},
		{"q=" + url.QueryEscape("*a*"), "q"},
		{"q=" + url.QueryEscape("/.*/"), "q"},
		{"q=" + url.QueryEscape("kyiv~2"), "q"},
		{"q=" + url.QueryEscape("color:red"), "q"},
		{"q=" + strings.Repeat("a", 2000), "q"},
		{"type=" + strings.Repeat("t,", 70), "type"},
		{"actor=" + strings.Repeat("x", 300), "actor"},
		{strings.Repeat("place=p&", 51), "place"},
		{"cursor=%00garbage", "cursor"},
		{"min_sources=two", "min_sources"},
		{"min_sources=0", "min_sources"},
		{"min_sources=-1", "min_sources"},
		{"min_sources=1001", "min_sources"},
	}
	for _, tt := range tests {
		t.Run(tt.query[:min(len(tt.query), 30)], func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseParams(v)
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Param != tt.param {
				t.Errorf("ParseParams(%s) = %v, want a *QueryError naming %q", tt.query, err, tt.param)
			}
		})
	}
}

// FuzzParseParams: any query string is read without panicking, and what
// is accepted keeps within the limits and compiles.
func FuzzParseParams(f *testing.F) {
	f.Add("q=treaty&from=2024&to=2024-06-19&type=sanction,aid&limit=20")
	f.Add("near=49.9,36.2,50&sort=-date&cursor=abc&min_sources=2")
	f.Add("limit=100000&status=planned&actor=%00")
	f.Add("from=2024-13-45&near=,,&limit=-5")
	f.Add("=" + strings.Repeat("o", MaxParamBytes+1)) // an unnamed parameter still gets a name in the error
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseParams(v)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Param == "" {
				t.Fatalf("ParseParams(%q) = %v, want a *QueryError naming a parameter", raw, err)
			}
			return
		}
		if q.Limit > MaxLimit || q.Limit < 0 || len(q.Q) > MaxParamBytes {
			t.Fatalf("ParseParams(%q) accepted limit %d, q of %d bytes", raw, q.Limit, len(q.Q))
		}
		if n := q.Near; n != nil && !(validLatLon(n.Lat, n.Lon) && n.Km > 0 && n.Km <= MaxNearKm) {
			t.Fatalf("ParseParams(%q) accepted near %+v", raw, *n)
		}
		if q.MinSources < 0 || q.MinSources > MaxMinSources {
			t.Fatalf("ParseParams(%q) accepted min_sources %d", raw, q.MinSources)
		}
		if _, err := NewMatcher(q); err != nil {
			t.Fatalf("ParseParams(%q) accepted a query NewMatcher refuses: %v", raw, err)
		}
	})
}

// TestParseParamsKnownTypes: a type that no rule defines is refused, the
// error naming the known types (those of the built-in rules, or the
// Parser's), instead of a search that silently finds nothing.
func TestParseParamsKnownTypes(t *testing.T) {
	custom := rules.Catalog{{ID: "abduction", Label: "Kidnapping"}, {ID: "military_strike", Label: "Strike"}}
	tests := []struct {
		name, query string
		p           Parser
		want        []string // in the error; none: accepted
	}{
		{"built-in type", "type=protest,military_strike", Parser{}, nil},
		{"plural", "type=protests", Parser{}, []string{`"protests" is not a known event type`, "did you mean protest?", "treaty_signing", "military_strike"}},
		{"capitals", "type=Protest", Parser{}, []string{"did you mean protest?"}},
		{"one bad among good", "type=protest&type=riot", Parser{}, []string{`"riot"`}},
		{"the rules in use", "type=abduction", Parser{Types: custom}, nil},
		{"not in the rules in use", "type=protest", Parser{Types: custom}, []string{`"protest"`, "the types are abduction, military_strike"}},
		{"nil types: built-in", "type=abduction", Parser{}, []string{`"abduction"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			_, err := tt.p.Parse(v)
			if tt.want == nil {
				if err != nil {
					t.Errorf("ParseParams(%s) = %v, want accepted", tt.query, err)
				}
				return
			}
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Param != "type" {
				t.Fatalf("ParseParams(%s) = %v, want a *QueryError naming type", tt.query, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(qe.Msg, w) {
					t.Errorf("ParseParams(%s) = %q, want it to say %q", tt.query, qe.Msg, w)
				}
			}
		})
	}
}
