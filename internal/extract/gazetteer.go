package extract

import (
	"strings"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
)

// gazetteer adds every country, organisation, person and place name to the
// trie.
func (c *compiler) gazetteer(rs *rules.Set) {
	c.x.countries = map[string]bool{}
	c.x.countryPlaces = map[string]event.Place{}
	for _, co := range rs.Countries {
		c.x.countries[co.Name] = true
		c.x.countryPlaces[co.Name] = event.Place{Name: co.Name, Country: co.Name, Lat: co.Lat, Lon: co.Lon}
		base := entity{name: co.Name, kind: entCountry, country: co.Name, lat: co.Lat, lon: co.Lon}
		for _, n := range append([]string{co.Name}, co.Aliases...) {
			e := base
			e.ambiguous = co.NameAmbiguous(n)
			c.addNames(e, roleName, []string{n})
		}
		c.addNames(base, roleDemonym, co.Demonyms)
		c.addNames(base, roleMetonym, co.Metonyms)
	}
	c.organizations(rs)
	for _, p := range rs.Places {
		e := entity{name: p.Name, kind: entPlace, country: p.Country, lat: p.Lat, lon: p.Lon, area: p.Kind == "area", region: p.Kind == "region"}
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			e.ambiguous = p.NameAmbiguous(n)
			c.addNames(e, roleName, []string{n})
		}
	}
}

// organizations adds the organisations and the people who act for a
// country or an organisation.
func (c *compiler) organizations(rs *rules.Set) {
	parent := map[string]string{}
	for _, a := range rs.Affiliations {
		parent[a.Organization] = a.PartOf
	}
	orgs := map[string]entity{}
	for _, o := range rs.Organizations {
		e := entity{name: o.Name, kind: entOrg, country: o.Country, parent: parent[o.Name], orgKind: o.Kind,
			national: o.Country != "" && (o.Kind == "agency" || o.Kind == "party")}
		orgs[o.Name] = e
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			c.addName(n, e)
			// A group named in the plural ("Houthis") is also named by its
			// singular as an adjective ("Houthi forces").
			if len(n) > 5 && !strings.ContainsAny(n, " .-") && strings.HasSuffix(n, "is") {
				c.addName(strings.TrimSuffix(n, "s"), e)
			}
		}
	}
	for _, p := range rs.People {
		e := entity{name: p.Country, kind: entCountry, country: p.Country}
		if p.Organization != "" {
			e = orgs[p.Organization]
			e.name = p.Organization
		}
		e.person = p.Name
		c.addNames(e, rolePerson, append([]string{p.Name}, p.Aliases...))
	}
}

// addNames adds names for entity e in role r.
func (c *compiler) addNames(e entity, r entRole, names []string) {
	e.role = r
	for _, n := range names {
		c.addName(n, e)
	}
}

// addName adds one name of entity e. A name written in capitals only
// ("UN") must appear in capitals; one starting upper case must start upper
// case in the text. A country's leading "the" is optional ("the Kremlin").
func (c *compiler) addName(name string, e entity) {
	x := c.x
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	id := int32(len(x.entities))
	x.entities = append(x.entities, e)
	p := payload{kind: payEntity, id: id}
	hasLower, hasUpper := false, false
	for _, r := range name {
		hasLower = hasLower || r >= 'a' && r <= 'z'
		hasUpper = hasUpper || r >= 'A' && r <= 'Z'
	}
	switch {
	case hasUpper && !hasLower:
		p.exactCase = true
	case name[0] >= 'A' && name[0] <= 'Z':
		p.cased = true
	}
	words := tokenizeWords(name)
	x.trie.add(words, p)
	if e.kind == entCountry && len(words) > 1 && words[0] == "the" {
		q := p
		q.cased = !q.exactCase
		x.trie.add(words[1:], q)
	}
}
