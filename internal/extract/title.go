package extract

import (
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// title fills the type's title template: {actors} and {places} become the
// event's names in plain English; a [ ... ] part whose placeholder is empty
// is dropped. Planned and denied events say so.
func (d *reader) title(ev event.Event) string {
	tmpl := ""
	for _, t := range d.x.types {
		if t.id == ev.Type {
			tmpl = t.title
			break
		}
	}
	places := make([]string, len(ev.Places))
	for i, p := range ev.Places {
		places[i] = p.Name
	}
	vals := map[string]string{"{actors}": join(ev.Actors, 3), "{places}": join(places, 2)}
	var b strings.Builder
	for tmpl != "" {
		i := strings.IndexByte(tmpl, '[')
		if i < 0 {
			b.WriteString(fill(tmpl, vals))
			break
		}
		b.WriteString(fill(tmpl[:i], vals))
		j := strings.IndexByte(tmpl[i:], ']')
		if j < 0 {
			b.WriteString(fill(tmpl[i:], vals))
			break
		}
		part := tmpl[i+1 : i+j]
		empty := false
		for k, v := range vals {
			if strings.Contains(part, k) && v == "" {
				empty = true
			}
		}
		if !empty {
			b.WriteString(fill(part, vals))
		}
		tmpl = tmpl[i+j+1:]
	}
	s := strings.TrimSpace(b.String())
	switch ev.Status {
	case event.Planned:
		s = "Planned: " + s
	case event.Denied:
		s = "Denied: " + s
	}
	return s
}

func fill(s string, vals map[string]string) string {
	for k, v := range vals {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// join lists at most n names in plain English: "A", "A and B", "A, B and C".
func join(names []string, n int) string {
	if len(names) > n {
		names = append(names[:n:n], "others")
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
