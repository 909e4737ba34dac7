package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Entity names for filters and facets.
//
// The actor and place filters go through the built-in gazetteer and are
// case-insensitive: a value is read as the canonical name one of its
// spellings stands for (actor=france, actor=FRANCE and actor=French
// Republic all mean France; place=kiev means Kyiv), and a place filter
// finds the events in the places of a country as well as those placed in
// the country itself (place=Georgia finds Tbilisi and Batumi), since the
// index keeps each place's country beside its name. Facets count
// canonical names: an event whose report wrote "UK" counts under "United
// Kingdom". The event itself keeps the names as the extractor wrote them.
//
// Fields: fActor and fPlace hold the canonical names (for facets);
// fActorKey and fPlaceKey the lower-case keys filters match: an actor's
// canonical name and its name as written; a place's canonical name, its
// country's and its name as written.

// Filter fields, beside those of mapping.go (keyword, not stored).
const (
	fActorKey = "actor_key"
	fPlaceKey = "place_key"
)

// entityNames maps spellings to canonical names.
type entityNames struct {
	// actors maps a lower-case spelling of a country or organisation to
	// its canonical name.
	actors map[string]string
	// places maps a lower-case spelling of a country or place to its
	// canonical name.
	places map[string]string
	// countryOf maps the lower-case canonical name of a place to its
	// country's canonical name.
	countryOf map[string]string
}

// builtinEntities are the names of the built-in gazetteer, read once,
// never modified. On a gazetteer that cannot be read (the built-in one is
// checked by its tests) names are only lower-cased.
var builtinEntities = sync.OnceValue(func() *entityNames {
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		return &entityNames{}
	}
	return newEntityNames(rs)
})

// newEntityNames indexes the canonical names and aliases of the
// gazetteer of rs. A spelling two entities share (other than one's own
// name) stands for neither.
func newEntityNames(rs *rules.Set) *entityNames {
	n := &entityNames{actors: map[string]string{}, places: map[string]string{}, countryOf: map[string]string{}}
	add := func(m map[string]string, own map[string]bool, name string, aliases []string) {
		if name = strings.TrimSpace(name); name == "" {
			return
		}
		m[strings.ToLower(name)] = name
		own[strings.ToLower(name)] = true
		for _, a := range aliases {
			k := strings.ToLower(strings.TrimSpace(a))
			switch prev, seen := m[k]; {
			case k == "" || own[k]:
			case seen && prev != name:
				m[k] = "" // ambiguous
			default:
				m[k] = name
			}
		}
	}
	ownActors, ownPlaces := map[string]bool{}, map[string]bool{}
	for _, c := range rs.Countries {
		add(n.actors, ownActors, c.Name, c.Aliases)
	}
	for _, o := range rs.Organizations {
		add(n.actors, ownActors, o.Name, o.Aliases)
	}
	for _, c := range rs.Countries {
		add(n.places, ownPlaces, c.Name, c.Aliases)
	}
	countries := map[string]bool{}
	for k := range ownPlaces {
		countries[k] = true
	}
	for _, p := range rs.Places {
		add(n.places, ownPlaces, p.Name, p.Aliases)
		// A place named as a country (the US state of Georgia) gives no
		// country to a place written without one: it may be the country.
		if k := strings.ToLower(strings.TrimSpace(p.Name)); p.Country != "" && !countries[k] && n.countryOf[k] == "" {
			n.countryOf[k] = p.Country
		}
	}
	return n
}

// canonical returns the canonical name s stands for in m, else s trimmed.
func canonical(m map[string]string, s string) string {
	s = strings.TrimSpace(s)
	if c := m[strings.ToLower(s)]; c != "" {
		return c
	}
	return s
}

// actor returns the canonical name of an actor as written.
func (n *entityNames) actor(a string) string { return canonical(n.actors, a) }

// place returns the canonical name of a place as written.
func (n *entityNames) place(p string) string { return canonical(n.places, p) }

// actorKeys returns the filter keys of an actor as written: its
// canonical name and its own, lower-cased.
func (n *entityNames) actorKeys(a string) []string {
	return lowerKeys(n.actor(a), a)
}

// placeKeys returns the filter keys of a place as written with its
// country: its canonical name, its own, and its country's (the event's,
// else the gazetteer's), lower-cased.
func (n *entityNames) placeKeys(name, country string) []string {
	c := n.place(name)
	if country == "" {
		country = n.countryOf[strings.ToLower(c)]
	}
	if country != "" {
		country = n.place(country)
	}
	return lowerKeys(c, name, country)
}

// lowerKeys returns the distinct non-empty lower-case forms of names.
func lowerKeys(names ...string) []string {
	var out []string
	for _, s := range names {
		k := strings.ToLower(strings.TrimSpace(s))
		if k == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			out = append(out, k)
		}
	}
	return out
}

// actorFilter and placeFilter turn the values of the actor and place
// filters into the keys of fActorKey and fPlaceKey: the lower-case
// canonical name each value stands for.
func actorFilter(values []string) []string { return filterKeys(values, builtinEntities().actor) }

func placeFilter(values []string) []string { return filterKeys(values, builtinEntities().place) }

func filterKeys(values []string, canon func(string) string) []string {
	if values == nil {
		return nil
	}
	out := make([]string, len(values))
	for i, v := range values {
		if strings.TrimSpace(v) != "" {
			out[i] = strings.ToLower(canon(v))
		}
	}
	return out
}

// maxNearest bounds the known names an unknown one is shown beside.
const maxNearest = 3

// UnknownActor returns, for an actor name no spelling of the built-in
// gazetteer stands for, the nearest known canonical names (closest
// spellings first, at most three); ok is true when the name is known.
// Filters and the query string read actors through the same names, so an
// unknown one selects only events whose report wrote it exactly.
func UnknownActor(name string) (nearest []string, ok bool) {
	return unknownName(builtinEntities().actors, name)
}

// UnknownPlace is UnknownActor for places (countries and places).
func UnknownPlace(name string) (nearest []string, ok bool) {
	return unknownName(builtinEntities().places, name)
}

func unknownName(m map[string]string, name string) ([]string, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	if c, found := m[k]; found && c != "" || len(m) == 0 {
		return nil, true
	}
	type cand struct {
		name string
		d    int
	}
	var best []cand
	for spelling, canon := range m {
		if canon == "" {
			continue
		}
		d := editDistance(k, spelling)
		if d > max(2, len(k)/3) {
			continue
		}
		i := slices.IndexFunc(best, func(c cand) bool { return c.name == canon })
		if i >= 0 {
			if d < best[i].d {
				best[i].d = d
			}
			continue
		}
		best = append(best, cand{canon, d})
	}
	slices.SortFunc(best, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, maxNearest)
	for _, c := range best[:min(len(best), maxNearest)] {
		out = append(out, c.name)
	}
	return out, false
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
