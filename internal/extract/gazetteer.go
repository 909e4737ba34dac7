package extract

import (
	"strings"

	"github.com/dateline/dateline/internal/rules"
)

// gazetteer adds every country, organisation and place name to the trie.
func (c *compiler) gazetteer(rs *rules.Set) {
	x := c.x
	addName := func(name string, e entity) {
		stripThe := e.kind == entCountry
		name = strings.TrimSpace(name)
		if name == "" {
			return
		}
		id := int32(len(x.entities))
		x.entities = append(x.entities, e)
		p := payload{kind: payEntity, id: id}
		hasLower, hasLetter := false, false
		for _, r := range name {
			if r >= 'a' && r <= 'z' {
				hasLower = true
			}
			if r >= 'A' && r <= 'Z' {
				hasLetter = true
			}
		}
		switch {
		case hasLetter && !hasLower:
			p.exactCase = true
		case name[0] >= 'A' && name[0] <= 'Z':
			p.cased = true
		}
		words := tokenizeWords(name)
		x.trie.add(words, p)
		// "the Kremlin", "the Netherlands": the article is optional.
		if stripThe && len(words) > 1 && words[0] == "the" {
			q := p
			q.cased = !q.exactCase
			x.trie.add(words[1:], q)
		}
	}
	x.countries = map[string]bool{}
	for _, co := range rs.Countries {
		x.countries[co.Name] = true
		base := entity{name: co.Name, kind: entCountry, country: co.Name, lat: co.Lat, lon: co.Lon, ambiguous: co.Ambiguous}
		addName(co.Name, base)
		for _, a := range co.Aliases {
			addName(a, base)
		}
		for _, d := range co.Demonyms {
			e := base
			e.role = roleDemonym
			addName(d, e)
		}
		for _, m := range co.Metonyms {
			e := base
			e.role = roleMetonym
			addName(m, e)
		}
	}
	for _, o := range rs.Organizations {
		e := entity{name: o.Name, kind: entOrg, country: o.Country, national: o.Country != "" && (o.Kind == "agency" || o.Kind == "party")}
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			addName(n, e)
			// A group named in the plural ("Houthis") is also named by its
			// singular as an adjective ("Houthi forces").
			if len(n) > 5 && !strings.ContainsAny(n, " .-") && strings.HasSuffix(n, "is") {
				addName(strings.TrimSuffix(n, "s"), e)
			}
		}
	}
	orgCountry := map[string]string{}
	for _, o := range rs.Organizations {
		orgCountry[o.Name] = o.Country
	}
	for _, p := range rs.People {
		e := entity{name: p.Country, kind: entCountry, role: rolePerson, country: p.Country}
		if p.Organization != "" {
			e = entity{name: p.Organization, kind: entOrg, role: rolePerson, country: orgCountry[p.Organization]}
		}
		addName(p.Name, e)
		for _, a := range p.Aliases {
			addName(a, e)
		}
	}
	for _, p := range rs.Places {
		e := entity{name: p.Name, kind: entPlace, country: p.Country, lat: p.Lat, lon: p.Lon, ambiguous: p.Ambiguous}
		addName(p.Name, e)
		for _, a := range p.Aliases {
			addName(a, e)
		}
	}
}
