package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

const xssTitle = `<img src=x onerror=alert(1)>`

// markers counts the events the timeline shows: single dots plus the
// counts of clusters.
const markers = `document.querySelectorAll('.tl-event').length + [...document.querySelectorAll('.tl-cluster')].reduce((n, c) => n + Number(c.dataset.count), 0)`

const listed = `document.querySelectorAll('#events > li.event').length`

// TestBrowserTimeline loads the page in headless chromium against a real
// server, checks that list and timeline render, searches with the
// keyboard, sees a live event arrive, zooms through the URL and the
// keyboard, and saves screenshots for desktop and phone.
func TestBrowserTimeline(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	e := newEnv(t, "events.json")
	all := len(readEvents(t, "events.json"))
	xss, _, _ := e.ix.Get(context.Background(), "fx-xss")

	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("every fixture event listed", fmt.Sprintf(`%s === %d`, listed, all))
	b.waitFor("the live stream connected", `document.querySelector('#live').classList.contains('on')`)
	b.waitFor("histogram bars drawn", `document.querySelectorAll('.tl-bar').length > 0`)

	t.Run("timeline shows every listed event", func(t *testing.T) {
		if got := eval[int](b, markers); got != all {
			t.Errorf("timeline markers: got %d, want %d", got, all)
		}
		interval := strings.TrimPrefix(eval[string](b, `document.querySelector('#tl-interval').textContent`), "by ")
		buckets, err := e.ix.Timeline(context.Background(), index.Query{}, interval)
		if err != nil {
			t.Fatalf("Timeline(%q): %v", interval, err)
		}
		if got := count(b, ".tl-bar"); got != len(buckets) {
			t.Errorf("histogram bars at %s: got %d, want %d", interval, got, len(buckets))
		}
		if got := eval[string](b, `document.querySelector('#total').textContent`); got != fmt.Sprintf("%d events", all) {
			t.Errorf("total: got %q", got)
		}
	})

	t.Run("hostile title is text", func(t *testing.T) {
		if got := eval[string](b, `document.querySelector('#ev-`+xss.ID+` .ev-title').textContent`); got != xssTitle {
			t.Errorf("title: got %q, want %q", got, xssTitle)
		}
		if n := count(b, "img"); n != 0 {
			t.Errorf("%d <img> elements in the page, want 0", n)
		}
		if n := count(b, "#ev-"+xss.ID+" a[href]"); n != 0 {
			t.Errorf("the javascript: article became %d links", n)
		}
	})

	b.screenshot("web-timeline-desktop.png")

	t.Run("Enter on a dot jumps to its event", func(t *testing.T) {
		id := eval[string](b, `document.querySelector('.tl-event').dataset.id`)
		b.do(chromedp.Focus(chromedp.CSS(".tl-event")), chromedp.KeyEvent(kb.Enter))
		b.waitFor("focus on the event", fmt.Sprintf(`document.activeElement.id === %s`, jsString("ev-"+id)))
		if n := count(b, ".tl-event.sel"); n != 1 {
			t.Errorf("selected dots: got %d, want 1", n)
		}
	})

	t.Run("slash focuses the search box", func(t *testing.T) {
		b.do(chromedp.Focus(chromedp.CSS("#more, .tl-svg")), chromedp.KeyEvent("/"))
		if got := eval[string](b, `document.activeElement.id`); got != "q" {
			t.Errorf("focused element after /: got %q, want q", got)
		}
		// CDP types the "/" as a separate char event that no keydown
		// handler can cancel, unlike a real keyboard: clear it.
		eval[string](b, `document.getElementById('q').value = ''`)
	})

	t.Run("search with Enter", func(t *testing.T) {
		res, err := e.ix.Search(context.Background(), index.Query{Q: "korea", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		want := int(res.Total)
		b.do(chromedp.SendKeys(chromedp.CSS("#q"), "korea"+kb.Enter))
		b.waitFor("the results of korea", fmt.Sprintf(`location.search === '?q=korea' && %s === %d && document.querySelector('#live').classList.contains('on')`, listed, want))
		if got := eval[int](b, markers); got != want {
			t.Errorf("timeline markers: got %d, want %d", got, want)
		}
		if n := count(b, "#events mark"); n == 0 {
			t.Errorf("no highlighted words")
		}
		if got := eval[string](b, `document.querySelector('#x-csv').getAttribute('href')`); got != "/api/v1/events.csv?q=korea" {
			t.Errorf("CSV export link: got %q", got)
		}

		// A live event that does not match must not show; one that does
		// must arrive on top, counted, on the timeline.
		e.publish(t, liveEvent("live-0", "election", "Taiwan holds a referendum", "Taiwan"))
		e.publish(t, liveEvent("live-1", "weapons_test", "North Korea launches a missile into the sea", "North Korea"))
		b.waitFor("the live event", `document.querySelector('#events > li.event:first-child')?.id === 'ev-live-1'`)
		if n := count(b, "#ev-live-0"); n != 0 {
			t.Errorf("a live event outside the search was shown")
		}
		if got := eval[string](b, `document.querySelector('#ev-live-1 .ev-title').textContent`); got != "North Korea launches a missile into the sea" {
			t.Errorf("live title: got %q", got)
		}
		if n := count(b, "#ev-live-1.fresh .badge-new"); n != 1 {
			t.Errorf("live event not marked new")
		}
		if got := eval[string](b, `document.querySelector('#total').textContent`); got != fmt.Sprintf("%d events for “korea”", want+1) {
			t.Errorf("total after live event: got %q", got)
		}
		b.waitFor("the live event on the timeline", fmt.Sprintf(`(%s) === %d`, markers, want+1))
	})

	t.Run("zoom to days from the URL, out with the keyboard", func(t *testing.T) {
		b.do(chromedp.Navigate(e.srv.URL + "/?q=korea&view=2024-06-01~2024-07-01"))
		b.waitFor("day view", `document.querySelector('#tl-interval').textContent === 'by day' && document.querySelectorAll('.tl-bar').length > 0`)
		if got := eval[int](b, markers); got != 2 {
			t.Errorf("markers in June 2024: got %d, want 2", got)
		}
		b.do(chromedp.Focus(chromedp.CSS(".tl-svg")))
		for range 4 {
			b.do(chromedp.KeyEvent("-"))
		}
		b.waitFor("zoomed out to months", `document.querySelector('#tl-interval').textContent === 'by month' && /view=/.test(location.search)`)
		b.do(chromedp.KeyEvent("0"))
		b.waitFor("fitted", fmt.Sprintf(`(%s) > 2`, markers))
	})

	t.Run("phone", func(t *testing.T) {
		b.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/?q=russia"))
		b.waitFor("results on a phone", fmt.Sprintf(`%s > 0 && document.querySelectorAll('.tl-bar').length > 0`, listed))
		if overflow := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); overflow > 0 {
			t.Errorf("page is %d px wider than the phone", overflow)
		}
		b.screenshot("web-timeline-phone.png")
		b.do(darkScheme(), chromedp.Navigate(e.srv.URL+"/?q=russia"))
		b.waitFor("results in the dark scheme", fmt.Sprintf(`%s > 0 && matchMedia('(prefers-color-scheme: dark)').matches`, listed))
		b.screenshot("web-timeline-phone-dark.png")
	})

	b.checkClean()
}

// darkScheme makes the page see prefers-color-scheme: dark.
func darkScheme() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		return chromedp.Void{}, err
	}
}

// liveEvent is an event published while the page is open.
func liveEvent(id, typ, title, actor string) event.Event {
	return event.Event{
		ID: id, Type: typ, Title: title, Sentence: title + ", officials said on 5 November 2024.",
		Date: "2024-11-05", Precision: event.Day, DateText: "5 November 2024", Status: event.Occurred,
		Actors: []string{actor}, Places: []event.Place{{Name: "Sea of Japan", Lat: 40, Lon: 135}},
		Article: event.ArticleRef{ID: "art-" + id, URL: "https://news.example.org/" + id, Title: "Report: " + title,
			Feed: "Example World", Published: time.Date(2024, 11, 5, 9, 0, 0, 0, time.UTC)},
		Confidence: 0.9, Mentions: 1,
	}
}
