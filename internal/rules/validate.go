package rules

import (
	"fmt"
	"slices"
	"strings"
)

// problem formats one validation error with its location.
func problem(src Source, field, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %s", src.File, src.Line, field, fmt.Sprintf(format, args...))
}

// validate checks the loaded rules as a whole and returns every problem.
func validate(s *Set) []error {
	errs := validateTypes(s.Types)
	for _, l := range s.Languages {
		errs = append(errs, validateLanguage(l)...)
	}
	return append(errs, validateGazetteer(s)...)
}

// validateTypes checks the event types and their references to each other.
func validateTypes(types []EventType) []error {
	var errs []error
	seen := map[string]Source{}
	for i, t := range types {
		f := fmt.Sprintf("event_types[%d]", i)
		errs = append(errs, validateType(t, f)...)
		errs = append(errs, validateFacts(t, f)...)
		if prev, ok := seen[t.ID]; ok && t.ID != "" {
			errs = append(errs, problem(t.Source, f+".id", "duplicate id %q (first at %s:%d)", t.ID, prev.File, prev.Line))
		}
		seen[t.ID] = t.Source
	}
	errs = append(errs, validateColors(types)...)
	for i, t := range types {
		for j, a := range t.AbsorbedBy {
			if _, ok := seen[a]; !ok {
				errs = append(errs, problem(t.Source, fmt.Sprintf("event_types[%d].absorbed_by[%d]", i, j), "unknown event type %q", a))
			}
		}
	}
	return errs
}

// OrganizationKinds are the kinds an organisation may have.
var OrganizationKinds = []string{"intergovernmental", "armed_group", "agency", "ngo", "company", "party"}

// validateGazetteer checks countries, organisations, people, affiliations
// and places, and that their references resolve.
func validateGazetteer(s *Set) []error {
	var errs []error
	countries := map[string]bool{}
	for i, c := range s.Countries {
		f := fmt.Sprintf("countries[%d]", i)
		if strings.TrimSpace(c.Name) == "" {
			errs = append(errs, problem(c.Source, f+".name", "required"))
		}
		if countries[c.Name] {
			errs = append(errs, problem(c.Source, f+".name", "duplicate country %q", c.Name))
		}
		countries[c.Name] = true
		errs = append(errs, validateCoords(c.Source, f, c.Lat, c.Lon)...)
		if c.Lat == 0 && c.Lon == 0 {
			errs = append(errs, problem(c.Source, f+".lat", "coordinates 0,0 are not a place"))
		}
		errs = append(errs, validateAmbiguous(c.Source, f, c.Ambiguous, c.AmbiguousNames, c.Name, c.Aliases)...)
	}
	knownCountry := func(c string) bool { return c == "" || len(s.Countries) == 0 || countries[c] }
	orgs := map[string]bool{}
	for i, o := range s.Organizations {
		f := fmt.Sprintf("organizations[%d]", i)
		orgs[o.Name] = true
		if strings.TrimSpace(o.Name) == "" {
			errs = append(errs, problem(o.Source, f+".name", "required"))
		}
		if o.Kind != "" && !slices.Contains(OrganizationKinds, o.Kind) {
			errs = append(errs, problem(o.Source, f+".kind", "%q is not one of %s", o.Kind, strings.Join(OrganizationKinds, ", ")))
		}
		if !knownCountry(o.Country) {
			errs = append(errs, problem(o.Source, f+".country", "unknown country %q", o.Country))
		}
	}
	knownOrg := func(o string) bool { return len(s.Organizations) == 0 || orgs[o] }
	for i, p := range s.People {
		f := fmt.Sprintf("people[%d]", i)
		if strings.TrimSpace(p.Name) == "" {
			errs = append(errs, problem(p.Source, f+".name", "required"))
		}
		if (p.Country == "") == (p.Organization == "") {
			errs = append(errs, problem(p.Source, f+".country", "set exactly one of country and organization"))
		}
		if !knownCountry(p.Country) {
			errs = append(errs, problem(p.Source, f+".country", "unknown country %q", p.Country))
		}
		if p.Organization != "" && !knownOrg(p.Organization) {
			errs = append(errs, problem(p.Source, f+".organization", "unknown organization %q", p.Organization))
		}
	}
	for i, a := range s.Affiliations {
		f := fmt.Sprintf("affiliations[%d]", i)
		for _, n := range []struct{ field, name string }{{"organization", a.Organization}, {"part_of", a.PartOf}} {
			if n.name == "" {
				errs = append(errs, problem(a.Source, f+"."+n.field, "required"))
			} else if !knownOrg(n.name) {
				errs = append(errs, problem(a.Source, f+"."+n.field, "unknown organization %q", n.name))
			}
		}
	}
	errs = append(errs, validatePlaces(s.Places, knownCountry)...)
	return append(errs, validateTriggerActors(s, knownCountry, knownOrg)...)
}

// validateTriggerActors checks that trigger actors name a country or an
// organisation of the gazetteer.
func validateTriggerActors(s *Set, knownCountry, knownOrg func(string) bool) []error {
	var errs []error
	for i, t := range s.Types {
		for j, g := range t.Triggers {
			if g.Actor == "" || len(s.Countries) == 0 && len(s.Organizations) == 0 {
				continue // a rule set without a gazetteer cannot say
			}
			if !(len(s.Countries) > 0 && knownCountry(g.Actor)) && !(len(s.Organizations) > 0 && knownOrg(g.Actor)) {
				errs = append(errs, problem(t.Source, fmt.Sprintf("event_types[%d].triggers[%d].actor", i, j), "unknown country or organisation %q", g.Actor))
			}
		}
	}
	return errs
}

// validatePlaces checks the places; knownCountry resolves their countries.
func validatePlaces(places []Place, knownCountry func(string) bool) []error {
	var errs []error
	placeKinds := []string{"city", "capital", "region", "area"}
	for i, p := range places {
		f := fmt.Sprintf("places[%d]", i)
		if strings.TrimSpace(p.Name) == "" {
			errs = append(errs, problem(p.Source, f+".name", "required"))
		}
		if p.Kind != "" && !slices.Contains(placeKinds, p.Kind) {
			errs = append(errs, problem(p.Source, f+".kind", "%q is not one of %s", p.Kind, strings.Join(placeKinds, ", ")))
		}
		if !knownCountry(p.Country) {
			errs = append(errs, problem(p.Source, f+".country", "unknown country %q", p.Country))
		}
		errs = append(errs, validateCoords(p.Source, f, p.Lat, p.Lon)...)
		errs = append(errs, validateAmbiguous(p.Source, f, p.Ambiguous, p.AmbiguousNames, p.Name, p.Aliases)...)
		if p.Lat == 0 && p.Lon == 0 {
			errs = append(errs, problem(p.Source, f+".lat", "coordinates 0,0 are not a place"))
		}
	}
	return errs
}

// validateAmbiguous checks that ambiguous_names lists only the entry's own
// names and is not combined with ambiguous: true.
func validateAmbiguous(src Source, f string, all bool, names []string, name string, aliases []string) []error {
	var errs []error
	if all && len(names) > 0 {
		errs = append(errs, problem(src, f+".ambiguous_names", "set either ambiguous: true (every name) or ambiguous_names, not both"))
	}
	for i, n := range names {
		if n != name && !slices.Contains(aliases, n) {
			errs = append(errs, problem(src, fmt.Sprintf("%s.ambiguous_names[%d]", f, i), "%q is not the name or an alias of %q", n, name))
		}
	}
	return errs
}

func validateCoords(src Source, f string, lat, lon float64) []error {
	var errs []error
	if lat < -90 || lat > 90 {
		errs = append(errs, problem(src, f+".lat", "%v out of range [-90,90]", lat))
	}
	if lon < -180 || lon > 180 {
		errs = append(errs, problem(src, f+".lon", "%v out of range [-180,180]", lon))
	}
	return errs
}

func validateType(t EventType, f string) []error {
	var errs []error
	if t.ID == "" {
		errs = append(errs, problem(t.Source, f+".id", "required"))
	}
	for _, r := range t.ID {
		if (r < 'a' || r > 'z') && r != '_' && (r < '0' || r > '9') {
			errs = append(errs, problem(t.Source, f+".id", "%q: use lower case letters, digits and _", t.ID))
			break
		}
	}
	if t.CAMEO == "" {
		errs = append(errs, problem(t.Source, f+".cameo", "required"))
	}
	for _, r := range t.CAMEO {
		if r < '0' || r > '9' {
			errs = append(errs, problem(t.Source, f+".cameo", "%q is not a CAMEO code (digits)", t.CAMEO))
			break
		}
	}
	for j, st := range t.Statuses {
		if st != "occurred" && st != "planned" && st != "denied" {
			errs = append(errs, problem(t.Source, fmt.Sprintf("%s.statuses[%d]", f, j), "%q is not occurred, planned or denied", st))
		}
	}
	if len(t.Triggers) == 0 {
		errs = append(errs, problem(t.Source, f+".triggers", "at least one trigger is required"))
	}
	for j, ex := range t.Examples {
		ef := fmt.Sprintf("%s.examples[%d]", f, j)
		if strings.TrimSpace(ex.Text) == "" {
			errs = append(errs, problem(t.Source, ef+".text", "required"))
		}
		if _, err := ParsePublished(ex.Published); err != nil {
			errs = append(errs, problem(t.Source, ef+".published", "%v", err))
		}
		if len(ex.Want)+len(ex.Not) == 0 {
			errs = append(errs, problem(t.Source, ef, "want or not is required"))
		}
		for k, w := range ex.Want {
			if _, _, err := ParseEventSpec(w); err != nil {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.want[%d]", ef, k), "%v", err))
			}
		}
		for k, w := range ex.Not {
			if _, _, err := ParseEventSpec(w); err != nil {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.not[%d]", ef, k), "%v", err))
			}
		}
	}
	for j, n := range t.Negative {
		if len(n.Phrases) == 0 {
			errs = append(errs, problem(t.Source, fmt.Sprintf("%s.negative[%d].phrases", f, j), "at least one phrase is required"))
		}
		for k, p := range n.Phrases {
			if strings.TrimSpace(p) == "" {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.negative[%d].phrases[%d]", f, j, k), "empty phrase"))
			}
		}
	}
	ids := map[string]int{}
	for j, tr := range t.Triggers {
		tf := fmt.Sprintf("%s.triggers[%d]", f, j)
		if tr.ID != "" {
			if k, dup := ids[tr.ID]; dup {
				errs = append(errs, problem(t.Source, tf+".id", "%q is also the id of triggers[%d]", tr.ID, k))
			}
			ids[tr.ID] = j
		}
		if len(tr.Phrases) == 0 {
			errs = append(errs, problem(t.Source, tf+".phrases", "at least one phrase is required"))
		}
		for k, p := range tr.Phrases {
			if strings.TrimSpace(p) == "" {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.phrases[%d]", tf, k), "empty phrase"))
			}
		}
		for k, kind := range tr.NearKinds {
			if kind != "person" && !slices.Contains(OrganizationKinds, kind) {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.near_kinds[%d]", tf, k), "%q is not person or one of %s", kind, strings.Join(OrganizationKinds, ", ")))
			}
		}
		for k, kind := range tr.SubjectKinds {
			if kind != "country" {
				errs = append(errs, problem(t.Source, fmt.Sprintf("%s.subject_kinds[%d]", tf, k), "%q is not country", kind))
			}
		}
		if tr.Weight < 0 || tr.Weight > 1 {
			errs = append(errs, problem(t.Source, tf+".weight", "%v out of range [0,1]", tr.Weight))
		}
		if tr.DateWindow < 0 || tr.DateWindow > 50 {
			errs = append(errs, problem(t.Source, tf+".date_window", "%d out of range [0,50]", tr.DateWindow))
		}
		if tr.Window < 0 || tr.Window > 150 {
			errs = append(errs, problem(t.Source, tf+".window", "%d out of range [0,150]", tr.Window))
		}
	}
	return errs
}

func validateLanguage(l Language) []error {
	var errs []error
	if l.Code == "" {
		errs = append(errs, problem(l.Source, "language.code", "required"))
	}
	if len(l.Months) != 12 {
		errs = append(errs, problem(l.Source, "language.months", "want 12 entries, got %d", len(l.Months)))
	}
	if len(l.Weekdays) != 7 {
		errs = append(errs, problem(l.Source, "language.weekdays", "want 7 entries, got %d", len(l.Weekdays)))
	}
	for k := range l.Words {
		if !slices.Contains(WordConcepts, k) {
			errs = append(errs, problem(l.Source, "language.words."+k, "unknown concept (known: %s)", strings.Join(WordConcepts, ", ")))
		}
	}
	for k := range l.Cues {
		if !slices.Contains(CueConcepts, k) {
			errs = append(errs, problem(l.Source, "language.cues."+k, "unknown concept (known: %s)", strings.Join(CueConcepts, ", ")))
		}
	}
	for k, v := range l.Seasons {
		if v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 12 {
			errs = append(errs, problem(l.Source, "language.seasons."+k, "months must be in 1..12"))
		}
	}
	return errs
}
