package opml

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func TestParse(t *testing.T) {
	latin, _ := charmap.ISO8859_1.NewEncoder().String(`<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body><outline text="Zürich" xmlUrl="https://example.ch/rss"/></body></opml>`)
	tests := []struct {
		name, in string
		want     []Outline
		err      error
	}{
		{"flat and nested", `<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="World" title="World News" type="rss" xmlUrl="https://example.org/world.xml" htmlUrl="https://example.org/"/>
  <outline text="Europe">
    <outline text="East">
      <outline text="Kyiv" xmlUrl="https://example.ua/rss"/>
    </outline>
    <outline text="dup" xmlUrl="https://example.org/world.xml"/>
  </outline>
</body></opml>`, []Outline{
			{URL: "https://example.org/world.xml", Title: "World News", SiteURL: "https://example.org/"},
			{URL: "https://example.ua/rss", Title: "Kyiv", Category: "Europe/East"},
		}, nil},
		{"latin-1", latin, []Outline{{URL: "https://example.ch/rss", Title: "Zürich"}}, nil},
		{"empty", `<opml version="2.0"><body><outline text="folder"/></body></opml>`, nil, ErrNoOutlines},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if !errors.Is(err, tt.err) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v, %v; want %+v, %v", got, err, tt.want, tt.err)
			}
		})
	}
	if _, err := Parse(strings.NewReader("<rss>")); err == nil {
		t.Error("Parse of a non-OPML document: no error")
	}
}

func TestRoundTrip(t *testing.T) {
	in := []Outline{
		{URL: "https://example.org/a", Title: "A & B", SiteURL: "https://example.org/"},
		{URL: "https://example.org/b", Title: "B", Category: "News/World"},
		{URL: "https://example.org/c", Category: "News"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "Dateline feeds", in, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]Outline(nil), in...)
	want[2].Title = want[2].URL // text falls back to the URL
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`<opml><body><outline xmlUrl="x"><outline xmlUrl="y"/></outline></body></opml>`)
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Parse(strings.NewReader(s))
		if err == nil && len(out) == 0 {
			t.Fatal("no error and no outlines")
		}
	})
}
