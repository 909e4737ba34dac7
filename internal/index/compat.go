package index

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// Compatibility: when two report groups may tell one happening.
//
// Two groups are compatible (compatible) when all of these hold:
//
//   - Type: the same CAMEO family (Clustering.familyOf).
//   - Status: planned and occurred go together (a plan, then its
//     execution); denied goes only with denied.
//   - Dates, at their precisions: two single dates are compatible when
//     one lies inside the other (a day inside a month report, the same
//     day, the same month); a year-only date is too vague to tell a
//     happening apart and goes only with the same year. A span (DateEnd)
//     goes only with a span it overlaps.
//   - Places, for types anchored on their place: when both name places,
//     one of each must be the same place (name, case-insensitive), lie
//     inside the other (a city whose country is the other place), or be
//     places of one country within nearKm. A report with no place does
//     not block, but then the actors must overlap as below, or the
//     report must name the other's place as an actor and share an actor.
//   - Actors (for types anchored on their actors, and as above): both
//     name actors, and, once each actor is replaced by what it stands for
//     (names.go), one set is inside the other and the other names at
//     most one actor more or fewer than twice as many, or they share at
//     least two with a Jaccard index above one half ({EU, Iran, Russia}
//     is enough of {EU, Iran, Russia, Ukraine}, {EU, Russia} is not).
//
//   - People: reports that name people acting for the same country or
//     organisation name one of them in common (a specific detail).
//
// A cluster is a leader group and the groups compatible with it that are
// also consistent (consistent) with every other member: same family,
// status, dates and people compatible, places compatible for place types. So a
// report cannot bridge two happenings that contradict each other.
//
// What the event data cannot tell: the targets or amounts of two sanctions
// packages by the same actors on one day are only in their sentences, not
// in the event's fields, so such packages merge unless their actors differ
// (the extractor names a targeted country as an actor).

// jaccardFloor is the share of their actors (of the union) two reports
// must exceed in common.
const jaccardFloor = 0.5

// profile is what compatibility reads of a report group: every member of
// a group shares type, status, dates and anchor, so one member speaks for
// all, with the actors and places of all.
type profile struct {
	family  string
	byPlace bool
	status  event.Status
	span    bool // has a DateEnd
	dated   bool // Date parses
	prec    event.Precision
	date    string
	start   time.Time
	end     time.Time
	actors  []string // lower case, sorted, unique, as they stand for (names.go)
	// people maps what a named person stands for to the lower-case
	// people named for it.
	people map[string][]string
	places []event.Place
}

// profileOf returns the profile of a group from its members (at least
// one).
func (c Clustering) profileOf(ms []event.Event) profile {
	e := ms[0]
	p := profile{family: c.familyOf(e.Type), byPlace: c.byPlace[e.Type], status: e.Status,
		span: e.DateEnd != "", date: e.Date}
	if start, end, prec, ok := event.ParseDate(e.Date); ok {
		p.dated, p.prec, p.start, p.end = true, prec, start, end
		if s, en, ok := e.Span(); ok {
			p.start, p.end = s, en
		}
	}
	seen := map[string]bool{}
	for _, m := range ms {
		for _, a := range m.Actors {
			lower := strings.ToLower(strings.TrimSpace(a))
			if to, ok := c.people[lower]; ok && !slices.Contains(p.people[to], lower) {
				if p.people == nil {
					p.people = map[string][]string{}
				}
				p.people[to] = append(p.people[to], lower)
			}
			if a = standFor(c.names, lower); a != "" && !seen[a] {
				seen[a] = true
				p.actors = append(p.actors, a)
			}
		}
		p.places = append(p.places, m.Places...)
	}
	slices.Sort(p.actors)
	return p
}

// compatible reports whether b may join a cluster led by a.
func compatible(a, b profile) bool {
	if !consistent(a, b) {
		return false
	}
	if a.byPlace {
		switch {
		case len(a.places) > 0 && len(b.places) > 0:
			return true // consistent checked the places
		case len(a.places) > 0:
			return actorsOverlap(a.actors, b.actors) || namesPlace(b.actors, a.actors, a.places)
		case len(b.places) > 0:
			return actorsOverlap(a.actors, b.actors) || namesPlace(a.actors, b.actors, b.places)
		}
		return actorsOverlap(a.actors, b.actors)
	}
	return actorsOverlap(a.actors, b.actors)
}

// consistent reports whether a and b do not contradict each other: the
// same family, compatible statuses and dates, and for place types
// compatible places when both name one.
func consistent(a, b profile) bool {
	if a.family != b.family || (a.status == event.Denied) != (b.status == event.Denied) {
		return false
	}
	if !datesCompatible(a, b) || !peopleAgree(a.people, b.people) {
		return false
	}
	if a.byPlace && len(a.places) > 0 && len(b.places) > 0 {
		return placesCompatible(a.places, b.places)
	}
	return true
}

// peopleAgree reports whether two reports that name people for the same
// country or organisation name at least one of them in common: "Blinken
// met Xi" and "Blinken met Wang Yi" on one day in Beijing are two
// meetings.
func peopleAgree(a, b map[string][]string) bool {
	for to, pa := range a {
		pb, ok := b[to]
		if !ok {
			continue
		}
		if !slices.ContainsFunc(pa, func(x string) bool { return slices.Contains(pb, x) }) {
			return false
		}
	}
	return true
}

// datesCompatible reports whether a's and b's dates may be the same
// happening's.
func datesCompatible(a, b profile) bool {
	if !a.dated || !b.dated || a.span != b.span {
		return false
	}
	if a.span {
		return a.start.Before(b.end) && b.start.Before(a.end)
	}
	if a.prec == event.Year || b.prec == event.Year {
		return a.date == b.date
	}
	return !a.start.Before(b.start) && !a.end.After(b.end) || !b.start.Before(a.start) && !b.end.After(a.end)
}

// actorsOverlap reports whether two sorted sets of lower-case actors are
// one inside the other, the other naming at most one more or fewer than
// twice as many, or share a large part.
func actorsOverlap(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	common := 0
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); ok {
			common++
		}
	}
	if inner, outer := min(len(a), len(b)), max(len(a), len(b)); common == inner && (outer-inner <= 1 || 2*inner > outer) {
		return true
	}
	union := len(a) + len(b) - common
	return common >= 2 && float64(common) > jaccardFloor*float64(union)
}

// namesPlace reports whether a report without a place, with actors
// placeless, names as an actor one of the places (or their countries) of
// a report with actors placed and places, and shares an actor with it:
// "U.S. troops arrive in Poland" read as actors {United States, Poland}.
func namesPlace(placeless, placed []string, places []event.Place) bool {
	shared := false
	for _, x := range placeless {
		if _, ok := slices.BinarySearch(placed, x); ok {
			shared = true
		}
	}
	if !shared {
		return false
	}
	for _, p := range places {
		for _, n := range []string{p.Name, p.Country} {
			if _, ok := slices.BinarySearch(placeless, strings.ToLower(strings.TrimSpace(n))); ok && n != "" {
				return true
			}
		}
	}
	return false
}

// placesCompatible reports whether some place of a and some place of b
// are the same place or one lies inside the other.
func placesCompatible(a, b []event.Place) bool {
	for _, p := range a {
		for _, q := range b {
			if samePlace(p, q) {
				return true
			}
		}
	}
	return false
}

// samePlace reports whether p and q are the same place, one lies inside
// the other (a place whose country is the other), or they are places of
// one country within nearKm of each other.
func samePlace(p, q event.Place) bool {
	pn, qn := strings.ToLower(strings.TrimSpace(p.Name)), strings.ToLower(strings.TrimSpace(q.Name))
	if pn != "" && pn == qn {
		return true
	}
	if pc := strings.ToLower(p.Country); pc != "" && pc == qn {
		return true
	}
	if qc := strings.ToLower(q.Country); qc != "" && qc == pn {
		return true
	}
	// The gazetteer's names for one place at two levels ("Gaza", "Gaza
	// Strip"): the same country and coordinates within nearKm.
	if p.Country != "" && strings.EqualFold(p.Country, q.Country) && (p.Lat != 0 || p.Lon != 0) && (q.Lat != 0 || q.Lon != 0) {
		return distanceKm(p.Lat, p.Lon, q.Lat, q.Lon) <= nearKm
	}
	return false
}

// nearKm is the distance within which two places of one country with
// coordinates count as one place.
const nearKm = 25

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(min(1, h)))
}

// precisionRank orders precisions from the vaguest (a year, or no date)
// to the finest (a day).
func precisionRank(e event.Event) int {
	switch e.Precision {
	case event.Day:
		return 3
	case event.Month:
		return 2
	case event.Year:
		return 1
	}
	return 0
}
