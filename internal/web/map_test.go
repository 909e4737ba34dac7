package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dateline/dateline/internal/index"
)

// TestBrowserMap checks the map of the events listed: country outlines
// drawn from the embedded Natural Earth file, a point per place (or per
// group of places too close to tell apart) sized by the sources
// reporting there; choosing a point filters the search to a circle
// around it (near=lat,lon,km in the URL, the list as the API finds it,
// the circle's place named), and clearing it lists every event again.
func TestBrowserMap(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	e := newEnv(t, "events.json")
	all := len(readEvents(t, "events.json"))
	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("outlines and points", fmt.Sprintf(`document.querySelectorAll('.map-country').length > 150 && document.querySelectorAll('.map-pt').length > 5 && %s === %d`, listed, all))

	t.Run("points are sized by sources", func(t *testing.T) {
		type pt struct {
			Label   string
			Sources int
			R       float64
		}
		pts := eval[[]pt](b, `[...document.querySelectorAll('.map-pt')].map((g) => ({Label: g.getAttribute('aria-label'), Sources: Number(g.dataset.sources), R: g.querySelector('circle').getBoundingClientRect().width}))`)
		for _, p := range pts {
			for _, q := range pts {
				if p.Sources > q.Sources && !(p.R > q.R) {
					t.Errorf("%q (%d sources) is drawn %.1f px wide, not larger than %q (%d sources, %.1f px)", p.Label, p.Sources, p.R, q.Label, q.Sources, q.R)
				}
			}
		}
		if n := eval[int](b, `[...document.querySelectorAll('.map-pt')].filter((g) => g.getAttribute('aria-label').startsWith('Pyongyang — 2 events')).length`); n != 1 {
			t.Errorf("%d points for Pyongyang's 2 events, want 1", n)
		}
	})

	t.Run("choosing a point filters the list", func(t *testing.T) {
		if !eval[bool](b, `(() => { const n = document.querySelector('.map-pt[aria-label^="Kyiv"], .map-pt[aria-label*="places: Kyiv"]'); if (n) n.dispatchEvent(new MouseEvent('click', {bubbles: true})); return !!n; })()`) {
			t.Fatalf("no point for Kyiv")
		}
		b.waitFor("the near search", `new URLSearchParams(location.search).has('near') && document.querySelector('#live').classList.contains('on')`)
		near := eval[string](b, `new URLSearchParams(location.search).get('near')`)
		v := url.Values{"near": {near}}
		q, err := index.ParseParams(v)
		if err != nil {
			t.Fatalf("near=%s: %v", near, err)
		}
		q.Limit = 200
		res, err := e.ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total < 3 || int(res.Total) >= all {
			t.Fatalf("near=%s finds %d of %d events: not the Kyiv events alone", near, res.Total, all)
		}
		b.waitFor("the list near Kyiv", fmt.Sprintf(`%s === %d`, listed, res.Total))
		for _, ev := range res.Events {
			if n := count(b, "#ev-"+ev.ID); n != 1 {
				t.Errorf("event %s near Kyiv is not listed", ev.ID)
			}
		}
		if parts := strings.Split(near, ","); len(parts) != 3 {
			t.Errorf("near=%s", near)
		} else if lat, _ := strconv.ParseFloat(parts[0], 64); lat < 50 || lat > 51 {
			t.Errorf("near=%s is not centred on Kyiv", near)
		}
		if got := eval[string](b, `document.querySelector('#map-note').textContent`); !strings.HasPrefix(got, "near Kyiv (") {
			t.Errorf("map note %q", got)
		}
		if got := eval[int](b, `document.querySelectorAll('.map-near').length`); got != 1 {
			t.Errorf("%d circles drawn for the filter, want 1", got)
		}
		eval[bool](b, `(window.scrollTo(0, document.querySelector('#map-panel').getBoundingClientRect().top + scrollY - 200), true)`)
		viewportShot(b, "web-map.png")
	})

	t.Run("clearing the place filter", func(t *testing.T) {
		clickJS(b, "#map-clear")
		b.waitFor("every event again", fmt.Sprintf(`!new URLSearchParams(location.search).has('near') && %s === %d && document.querySelector('#map-clear').hidden`, listed, all))
	})
	t.Run("Enter on a point chooses it", func(t *testing.T) {
		b.do(chromedp.Focus(chromedp.CSS(`.map-pt[aria-label^="Pyongyang"]`)), chromedp.KeyEvent(kb.Enter))
		b.waitFor("the near search", `new URLSearchParams(location.search).has('near') && document.querySelector('#map-note').textContent.startsWith('near Pyongyang (')`)
	})
	if n := count(b, "img"); n != 0 {
		t.Errorf("%d <img> elements", n)
	}
	b.checkClean()
}
