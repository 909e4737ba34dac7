package export

import (
	"fmt"
	"io"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

// many returns n fixture events with distinct ids.
func many(n int) []event.Event {
	base := fixture()
	out := make([]event.Event, n)
	for i := range out {
		out[i] = base[i%len(base)]
		out[i].ID = fmt.Sprintf("b%06d", i)
	}
	return out
}

func BenchmarkFormats(b *testing.B) {
	events := many(1000)
	types := builtinTypes(b)
	for _, f := range []struct {
		name string
		run  func(io.Writer) error
	}{
		{"atom", func(w io.Writer) error { return Atom(w, FeedMeta{}, events) }},
		{"csv", func(w io.Writer) error { return CSV(w, types, events) }},
		{"geojson", func(w io.Writer) error { return GeoJSON(w, events) }},
		{"ics", func(w io.Writer) error { return ICS(w, FeedMeta{}, events) }},
		{"timelinejs", func(w io.Writer) error { return TimelineJS(w, FeedMeta{}, events) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if err := f.run(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
