package index

import (
	"fmt"
	"strings"
	"sync"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Actor names for merging.
//
// Reports of one happening name its actors at different levels: one
// writes "Putin and Kim", another "Russia and North Korea", a third "the
// Israeli military" where a fourth writes "Israel" (the extractor already
// adds the country of a person it knows, so the first report names both).
// Before actor sets are compared (actorsOverlap), each actor is replaced
// by what it stands for in the built-in gazetteer: a public figure by the
// country or organisation they act for, a state agency (an army, a
// ministry) by its country (not an armed group, party or company: Hamas
// does not stand for Palestine), and a part of an organisation by the
// whole (the UN Security Council by the United Nations). Names are
// compared lower-cased.

// gazetteerNames are what actors stand for in a gazetteer.
type gazetteerNames struct {
	// standsFor maps a lower-case actor name to the lower-case name it
	// stands for.
	standsFor map[string]string
	// people maps the lower-case name of a public figure to what they
	// stand for.
	people map[string]string
}

// actorNames are the names of the built-in gazetteer, read once, never
// modified.
var actorNames = sync.OnceValues(func() (gazetteerNames, error) {
	rs, err := rules.LoadFiles(pipelines.FS, "people.yaml", "gazetteer/people-world.yaml",
		"gazetteer/organizations.yaml", "affiliations.yaml")
	if err != nil {
		return gazetteerNames{}, fmt.Errorf("built-in actor names: %w", err)
	}
	names := gazetteerNames{standsFor: standsFor(rs), people: map[string]string{}}
	for _, p := range rs.People {
		k := strings.ToLower(strings.TrimSpace(p.Name))
		if to, ok := names.standsFor[k]; ok {
			names.people[k] = to
		}
	}
	return names, nil
})

// standsFor returns the map of actorNames for a rule set.
func standsFor(rs *rules.Set) map[string]string {
	out := map[string]string{}
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	for _, o := range rs.Organizations {
		if o.Country != "" && o.Kind == "agency" {
			out[lower(o.Name)] = lower(o.Country)
		}
	}
	for _, a := range rs.Affiliations {
		out[lower(a.Organization)] = lower(a.PartOf)
	}
	for _, p := range rs.People {
		if to := cmpOr(p.Country, p.Organization); to != "" {
			out[lower(p.Name)] = lower(to)
		}
	}
	// Follow chains (a person of an organisation that is part of another)
	// a few steps; the data has no cycles, the bound guards against one.
	for k, v := range out {
		for range 3 {
			next, ok := out[v]
			if !ok || next == v {
				break
			}
			v = next
		}
		out[k] = v
	}
	return out
}

// standFor returns what the lower-case actor a stands for.
func standFor(names map[string]string, a string) string {
	if to, ok := names[a]; ok {
		return to
	}
	return a
}

// cmpOr returns a, or b when a is empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
