package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/index"
)

// TestBrowserPhone checks the page at a phone's size (390×844, touch):
// the filters fold behind one button, which opens and closes them and
// counts the filters set; the first screen, before any scrolling, shows
// the first event's date, type and title; and nothing is wider than the
// screen. It saves what the first screen shows, on a phone and on a
// desktop, under DATELINE_ARTIFACTS.
func TestBrowserPhone(t *testing.T) {
	e := newEnv(t, "events.json")
	b := newBrowser(t, 390, 844)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.srv.URL+"/"))
	b.waitFor("events listed", listed+` > 0 && document.querySelector('#live').classList.contains('on')`)

	t.Run("the first screen shows an event", func(t *testing.T) {
		b.logf(`JSON.stringify({vh: innerHeight, head: document.querySelector('header').getBoundingClientRect().bottom, tl: document.querySelector('#tl-panel').getBoundingClientRect().bottom, ev: document.querySelector('#events > li.event').getBoundingClientRect().top})`)
		if got := eval[bool](b, `window.scrollY === 0`); !got {
			t.Fatalf("the page scrolled by itself")
		}
		for _, part := range []string{".ev-date", ".type", ".ev-title"} {
			sel := jsString("#events > li.event:first-child " + part)
			bottom := eval[float64](b, `document.querySelector(`+sel+`).getBoundingClientRect().bottom`)
			if vh := eval[float64](b, `innerHeight`); bottom <= 0 || bottom > vh {
				t.Errorf("the first event's %s ends at %.0f px, outside the first screen (%.0f px)", part, bottom, vh)
			}
		}
		if overflow := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); overflow > 0 {
			t.Errorf("page is %d px wider than the phone", overflow)
		}
		viewportShot(b, "web-first-screen-phone.png")
	})

	t.Run("the filters fold behind one button", func(t *testing.T) {
		if !eval[bool](b, visible("#filters-toggle")) {
			t.Fatalf("no filters button on a phone")
		}
		for _, sel := range []string{"#filters", "#type", "#actor", "#from"} {
			if eval[bool](b, visible(sel)) {
				t.Errorf("%s is shown before the filters button is pressed", sel)
			}
		}
		if got := eval[string](b, `document.querySelector('#filters-toggle').getAttribute('aria-expanded')`); got != "false" {
			t.Errorf("aria-expanded %q before a press, want false", got)
		}
		clickJS(b, "#filters-toggle")
		b.waitFor("the filters open", visible("#type")+` && `+visible("#actor")+` && `+visible("#from"))
		if got := eval[string](b, `document.querySelector('#filters-toggle').getAttribute('aria-expanded')`); got != "true" {
			t.Errorf("aria-expanded %q once open, want true", got)
		}
		viewportShot(b, "web-filters-open-phone.png")

		res, err := e.ix.Search(context.Background(), index.Query{Types: []string{"protest"}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		b.do(chromedp.SetValue(chromedp.CSS("#type"), "protest"))
		eval[bool](b, `document.querySelector('#type').dispatchEvent(new Event('change'))`)
		b.waitFor("the filtered search", fmt.Sprintf(`location.search === '?type=protest' && document.querySelector('#total').textContent === %s`, jsString(fmt.Sprintf("%d %s", res.Total, plural(res.Total)))))
		if got := eval[string](b, `document.querySelector('#filters-n').textContent`); got != "1" {
			t.Errorf("the filters button counts %q filters set, want 1", got)
		}
		clickJS(b, "#filters-toggle")
		b.waitFor("the filters folded again", `!(`+visible("#type")+`)`)
	})

	t.Run("a desktop shows the filters without a button", func(t *testing.T) {
		b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/"))
		b.waitFor("events listed", listed+` > 0`)
		if eval[bool](b, visible("#filters-toggle")) {
			t.Errorf("a filters button on a desktop")
		}
		if !eval[bool](b, visible("#type")) || !eval[bool](b, visible("#from")) {
			t.Errorf("the filters are hidden on a desktop")
		}
		viewportShot(b, "web-first-screen-desktop.png")
	})
	b.checkClean()
}

// visible is a JavaScript test that the element sel is laid out and not
// hidden.
func visible(sel string) string {
	return fmt.Sprintf(`(() => { const n = document.querySelector(%s); return !!n && n.getClientRects().length > 0 && getComputedStyle(n).visibility !== 'hidden'; })()`, jsString(sel))
}

// logf logs the value of a JavaScript expression.
func (b *browser) logf(expr string) {
	b.t.Helper()
	b.t.Logf("%s", eval[string](b, expr))
}

// viewportShot saves what the screen shows, without scrolling, under
// DATELINE_ARTIFACTS (or a temporary directory) and logs its path.
func viewportShot(b *browser, name string) {
	b.t.Helper()
	dir := os.Getenv("DATELINE_ARTIFACTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}
