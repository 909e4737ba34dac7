package index

import (
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Date overlap without numeric ranges.
//
// Each event indexes the calendar elements its span [start, end) touches,
// as keyword terms: every year ("2024", field fYears), every month
// ("2024-06", fMonths) and, in fDays, every day ("2024-06-19") of the
// months it covers only in part, plus the bare month ("2024-06") of each
// month it covers whole. A day event has three terms; a year event 25.
//
// A query range [from, to) is split into whole years, whole months and
// leftover days. The span overlaps the range exactly when it touches one
// of those elements: a whole year or month via fYears/fMonths, a leftover
// day via its own day term or the bare month term in fDays. Each run of
// elements is one term range over a keyword field, so a one-year filter is
// a single posting list instead of Bleve's numeric-range expansion.

// maxSpanYears caps the span indexed for one event.
const maxSpanYears = 100

const (
	yearLayout  = "2006"
	monthLayout = "2006-01"
)

// touched returns the year, month and day terms of the span [start, end).
func touched(start, end time.Time) (years, months, days []string) {
	if limit := start.AddDate(maxSpanYears, 0, 0); end.After(limit) {
		end = limit
	}
	for y := yearStart(start); y.Before(end); y = y.AddDate(1, 0, 0) {
		years = append(years, y.Format(yearLayout))
	}
	for m := monthStart(start); m.Before(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		months = append(months, m.Format(monthLayout))
		if !start.After(m) && !end.Before(next) {
			days = append(days, m.Format(monthLayout))
			continue
		}
		for d := later(start, m); d.Before(end) && d.Before(next); d = d.AddDate(0, 0, 1) {
			days = append(days, d.Format(time.DateOnly))
		}
	}
	return years, months, days
}

// cover returns the disjuncts selecting spans that touch [from, to); both
// are midnights UTC.
func cover(from, to time.Time) []query.Query {
	var out []query.Query
	type run struct {
		field       string
		first, last string
	}
	var cur *run
	flush := func() {
		if cur != nil {
			out = append(out, termRange(cur.field, cur.first, cur.last))
			cur = nil
		}
	}
	add := func(field, term string) {
		if cur != nil && cur.field != field {
			flush()
		}
		if cur == nil {
			cur = &run{field: field, first: term}
		}
		cur.last = term
	}
	marked := ""
	for t := from; t.Before(to); {
		switch {
		case t.Equal(yearStart(t)) && !t.AddDate(1, 0, 0).After(to):
			// Every whole year up to to's in one step.
			add(fYears, t.Format(yearLayout))
			t = yearStart(to)
			cur.last = t.AddDate(-1, 0, 0).Format(yearLayout)
		case t.Equal(monthStart(t)) && !t.AddDate(0, 1, 0).After(to):
			add(fMonths, t.Format(monthLayout))
			t = t.AddDate(0, 1, 0)
		default:
			if m := t.Format(monthLayout); m != marked {
				marked = m
				tq := query.NewTermQuery(m)
				tq.SetField(fDays)
				out = append(out, tq)
			}
			add(fDays, t.Format(time.DateOnly))
			t = t.AddDate(0, 0, 1)
		}
	}
	flush()
	return out
}

func termRange(field, first, last string) query.Query {
	if first == last {
		tq := query.NewTermQuery(first)
		tq.SetField(field)
		return tq
	}
	yes := true
	q := query.NewTermRangeInclusiveQuery(first, last, &yes, &yes)
	q.SetField(field)
	return q
}

func yearStart(t time.Time) time.Time {
	return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
