package extract

import (
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// title fills the type's title template: {actors} and {places} become the
// event's names in plain English; a [ ... ] part whose placeholder is empty
// is dropped. Planned and denied events say so.
func (d *reader) title(t etype, ev event.Event) string {
	var b strings.Builder
	b.Grow(len(t.title) + 24*(min(len(ev.Actors), 3)+min(len(ev.Places), 2)) + 10)
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
			fill(&b, tmpl, ev)
			break
		}
		fill(&b, tmpl[:i], ev)
		j := strings.IndexByte(tmpl[i:], ']')
		if j < 0 {
			fill(&b, tmpl[i:], ev)
			break
		}
		part := tmpl[i+1 : i+j]
		if !(strings.Contains(part, "{actors}") && len(ev.Actors) == 0 || strings.Contains(part, "{places}") && len(ev.Places) == 0) {
			fill(&b, part, ev)
		}
		tmpl = tmpl[i+j+1:]
	}
	return strings.TrimSpace(b.String())
}

// fill writes s to b with its placeholders replaced by ev's names.
func fill(b *strings.Builder, s string, ev event.Event) {
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		switch {
		case strings.HasPrefix(s[i:], "{actors}"):
			join(b, ev.Actors, nil, 3)
			s = s[i+len("{actors}"):]
		case strings.HasPrefix(s[i:], "{places}"):
			join(b, nil, ev.Places, 2)
			s = s[i+len("{places}"):]
		default:
			b.WriteByte('{')
			s = s[i+1:]
		}
	}
}

// join writes at most n names in plain English: "A", "A and B", "A, B
// and others". The names are those of names, or else of places.
func join(b *strings.Builder, names []string, places []event.Place, n int) {
	k := len(names) + len(places)
	name := func(i int) string {
		if names != nil {
			return names[i]
		}
		return places[i].Name
	}
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
}
