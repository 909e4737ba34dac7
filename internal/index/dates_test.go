package index

import (
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// matches evaluates the disjuncts of cover against an event's terms.
func matches(t *testing.T, parts []query.Query, terms map[string][]string) bool {
	t.Helper()
	for _, p := range parts {
		switch q := p.(type) {
		case *query.TermQuery:
			if slices.Contains(terms[q.Field()], q.Term) {
				return true
			}
		case *query.TermRangeQuery:
			for _, v := range terms[q.Field()] {
				if v >= q.Min && v <= q.Max {
					return true
				}
			}
		default:
			t.Fatalf("unexpected disjunct %T", p)
		}
	}
	return false
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTouched(t *testing.T) {
	tests := []struct {
		name                string
		start, end          string
		years, months, days []string
	}{
		{"one day", "2024-06-19", "2024-06-20", []string{"2024"}, []string{"2024-06"}, []string{"2024-06-19"}},
		{"one month", "2024-03-01", "2024-04-01", []string{"2024"}, []string{"2024-03"}, []string{"2024-03"}},
		{"days across a year end", "2023-12-30", "2024-01-02", []string{"2023", "2024"}, []string{"2023-12", "2024-01"},
			[]string{"2023-12-30", "2023-12-31", "2024-01-01"}},
		{"month span", "2023-09-01", "2023-11-01", []string{"2023"}, []string{"2023-09", "2023-10"}, []string{"2023-09", "2023-10"}},
		{"day span into a whole month", "2024-01-30", "2024-03-01", []string{"2024"}, []string{"2024-01", "2024-02"},
			[]string{"2024-01-30", "2024-01-31", "2024-02"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, m, d := touched(day(tt.start), day(tt.end))
			if !slices.Equal(y, tt.years) || !slices.Equal(m, tt.months) || !slices.Equal(d, tt.days) {
				t.Errorf("touched(%s, %s) = %v %v %v, want %v %v %v", tt.start, tt.end, y, m, d, tt.years, tt.months, tt.days)
			}
		})
	}
}

// TestCoverMatchesOverlap checks the term cover against the plain interval
// overlap on random spans and ranges.
func TestCoverMatchesOverlap(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	base := day("2022-01-01")
	randDay := func() time.Time { return base.AddDate(0, 0, r.Intn(4*366)) }
	randSpan := func() (time.Time, time.Time) {
		s := randDay()
		switch r.Intn(5) {
		case 0: // year precision
			s = yearStart(s)
			return s, s.AddDate(1, 0, 0)
		case 1: // month precision
			s = monthStart(s)
			return s, s.AddDate(0, 1+r.Intn(14), 0)
		case 2: // day span
			return s, s.AddDate(0, 0, 1+r.Intn(90))
		}
		return s, s.AddDate(0, 0, 1)
	}
	for i := range 3000 {
		s, e := randSpan()
		y, m, d := touched(s, e)
		terms := map[string][]string{fYears: y, fMonths: m, fDays: d}
		from, to := randSpan()
		if r.Intn(4) == 0 {
			to = to.AddDate(r.Intn(3), r.Intn(12), 0)
		}
		want := s.Before(to) && e.After(from)
		if got := matches(t, cover(from, to), terms); got != want {
			t.Fatalf("case %d: span [%s, %s) vs range [%s, %s): got %v, want %v (terms %v)",
				i, s.Format(time.DateOnly), e.Format(time.DateOnly), from.Format(time.DateOnly), to.Format(time.DateOnly), got, want, terms)
		}
	}
}

func TestCoverOpenEnded(t *testing.T) {
	parts := cover(day("2024-06-19"), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(parts) > 6 {
		t.Errorf("open-ended cover has %d parts, want a handful", len(parts))
	}
	y, m, d := touched(day("9999-01-01"), day("9999-01-02"))
	if !matches(t, parts, map[string][]string{fYears: y, fMonths: m, fDays: d}) {
		t.Errorf("open-ended range misses year 9999")
	}
}
