package web_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/pipelines"
)

// TestBrowserLegend checks the legend of the event types: every type of
// the rules is listed, in their order, with its label and the rules'
// colour; no two types share a colour, nor a colour and shape; and each
// type's marks on the timeline have its legend's colour and shape.
func TestBrowserLegend(t *testing.T) {
	types, err := pipelines.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 900)
	e := newEnv(t, "events.json")
	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("the legend and the timeline", fmt.Sprintf(`document.querySelectorAll('#legend .legend-item').length === %d && document.querySelectorAll('.tl-event').length > 0`, len(types)))

	type entry struct{ Type, Label, Fill, Shape string }
	got := eval[[]entry](b, `[...document.querySelectorAll('#legend .legend-item')].map((li) => ({
		Type: li.dataset.type, Label: li.textContent,
		Fill: getComputedStyle(li.querySelector('.mark')).fill, Shape: li.querySelector('.mark').dataset.shape }))`)
	if visible := eval[bool](b, `document.querySelector('#legend').offsetParent !== null && document.querySelector('#legend').getBoundingClientRect().height > 0`); !visible {
		t.Errorf("the legend is not shown")
	}
	colours, pairs := map[string]string{}, map[string]string{}
	for i, ty := range types {
		if i >= len(got) {
			break
		}
		g := got[i]
		if g.Type != ty.ID || g.Label != ty.Label {
			t.Errorf("legend entry %d: %s %q, want %s %q", i, g.Type, g.Label, ty.ID, ty.Label)
		}
		if want := rgb(ty.Color); g.Fill != want {
			t.Errorf("legend %s: fill %s, want the rules' %s (%s)", g.Type, g.Fill, ty.Color, want)
		}
		if other, ok := colours[g.Fill]; ok {
			t.Errorf("%s and %s share the colour %s", other, g.Type, g.Fill)
		}
		colours[g.Fill] = g.Type
		if other, ok := pairs[g.Fill+g.Shape]; ok || g.Shape == "" {
			t.Errorf("%s and %s share colour and shape %s %q", other, g.Type, g.Fill, g.Shape)
		}
		pairs[g.Fill+g.Shape] = g.Type
	}
	shapes := map[string]bool{}
	for _, g := range got {
		shapes[g.Shape] = true
	}
	if len(shapes) < 5 {
		t.Errorf("%d shapes among %d types, want shapes to help tell them apart", len(shapes), len(got))
	}

	// Each dot on the timeline looks as its type's legend entry does.
	dots := eval[[]entry](b, `[...document.querySelectorAll('.tl-event')].map((g) => ({
		Type: [...g.classList].find((c) => c.startsWith('ty-'))?.slice(3) ?? '',
		Fill: getComputedStyle(g.querySelector('.mark')).fill, Shape: g.querySelector('.mark').dataset.shape }))`)
	legend := map[string]entry{}
	for _, g := range got {
		legend[g.Type] = g
	}
	seen := map[string]bool{}
	for _, d := range dots {
		l, ok := legend[d.Type]
		if !ok {
			t.Errorf("a timeline mark of type %q, which the legend lacks", d.Type)
			continue
		}
		if d.Fill != l.Fill || d.Shape != l.Shape {
			t.Errorf("timeline mark of %s: %s %s, legend: %s %s", d.Type, d.Fill, d.Shape, l.Fill, l.Shape)
		}
		seen[d.Type] = true
	}
	if len(seen) < 5 {
		t.Errorf("the timeline shows marks of %d types; the fixture should show more", len(seen))
	}
	b.screenshot("web-legend-desktop.png")
	b.checkClean()
}

// rgb writes "#rrggbb" as the browser computes it, "rgb(r, g, b)".
func rgb(hex string) string {
	if len(hex) != 7 {
		return "(no colour " + hex + ")"
	}
	var c [3]uint64
	for i := range c {
		c[i], _ = strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
	}
	return fmt.Sprintf("rgb(%d, %d, %d)", c[0], c[1], c[2])
}
