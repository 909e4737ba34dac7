package extract

import (
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// title fills the type's title template: {actors} and {places} become the
// event's names in plain English; a [ ... ] part whose placeholder is empty
// is dropped. Planned and denied events say so.
func (d *reader) title(t etype, ev event.Event) string {
	actors := join(ev.Actors, nil, 3)
	places := join(nil, ev.Places, 2)
	var b strings.Builder
	b.Grow(len(t.title) + len(actors) + len(places) + 10)
	switch ev.Status {
	case event.Planned:
		b.WriteString("Planned: ")
	case event.Denied:
		b.WriteString("Denied: ")
	}
	tmpl := t.title
	for tmpl != "" {
		i := strings.IndexByte(tmpl, '[')
		if i < 0 {
			fill(&b, tmpl, actors, places)
			break
		}
		fill(&b, tmpl[:i], actors, places)
		j := strings.IndexByte(tmpl[i:], ']')
		if j < 0 {
			fill(&b, tmpl[i:], actors, places)
			break
		}
		part := tmpl[i+1 : i+j]
		if !(strings.Contains(part, "{actors}") && actors == "" || strings.Contains(part, "{places}") && places == "") {
			fill(&b, part, actors, places)
		}
		tmpl = tmpl[i+j+1:]
	}
	return strings.TrimSpace(b.String())
}

// fill writes s to b with its placeholders replaced.
func fill(b *strings.Builder, s, actors, places string) {
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		switch {
		case strings.HasPrefix(s[i:], "{actors}"):
			b.WriteString(actors)
			s = s[i+len("{actors}"):]
		case strings.HasPrefix(s[i:], "{places}"):
			b.WriteString(places)
			s = s[i+len("{places}"):]
		default:
			b.WriteByte('{')
			s = s[i+1:]
		}
	}
}

// join lists at most n names in plain English: "A", "A and B", "A, B and
// others". The names are those of names, or else of places.
func join(names []string, places []event.Place, n int) string {
	k := len(names) + len(places)
	name := func(i int) string {
		if names != nil {
			return names[i]
		}
		return places[i].Name
	}
	if k == 0 {
		return ""
	}
	if k == 1 {
		return name(0)
	}
	var b strings.Builder
	b.Grow(k * 16)
	shown := min(k, n)
	for i := 0; i < shown; i++ {
		if i > 0 {
			if i == shown-1 && k <= n {
				b.WriteString(" and ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(name(i))
	}
	if k > n {
		b.WriteString(" and others")
	}
	return b.String()
}
