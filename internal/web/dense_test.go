package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// overlaps is a JavaScript count of the pairs of timeline marks (dots and
// counts) whose boxes overlap by more than a pixel.
const overlaps = `(() => {
  const boxes = [...document.querySelectorAll('.tl-event .mark, .tl-cluster rect')].map((n) => n.getBoundingClientRect());
  let n = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) n++;
  }
  return n;
})()`

// TestBrowserDenseTimeline checks that a crowded timeline stays
// readable: thirteen events on one day become one count of 13, a day
// beside it with two events shows two marks stacked, not a second count
// and not a mark under the first; no two marks overlap, at a month's
// zoom or fitted to years; and every event in view is counted once.
func TestBrowserDenseTimeline(t *testing.T) {
	e := newEnv(t, "events.json")
	types := []string{"military_strike", "protest", "statement", "meeting", "sanction", "aid", "election"}
	var evs []event.Event
	add := func(id, day string, i int) {
		ev := liveEvent(id, types[i%len(types)], fmt.Sprintf("Dense event %s", id), fmt.Sprintf("Actor %s", id))
		ev.Date, ev.DateText, ev.Places = day, day, nil
		evs = append(evs, ev)
	}
	for i := range 13 {
		add(fmt.Sprintf("d13-%02d", i), "2022-02-10", i)
	}
	add("d2-a", "2022-02-11", 0)
	add("d2-b", "2022-02-11", 1)
	add("d1", "2022-02-14", 2)
	e.apply(t, evs...)
	res, err := e.ix.Search(context.Background(), index.Query{From: "2022-02-01", To: "2022-02-28", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < 16 {
		t.Fatalf("the index holds %d events in February 2022, want at least the 16 added, apart", res.Total)
	}

	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(e.srv.URL + "/?view=2022-02-01~2022-02-28"))
	b.waitFor("day view with the events", fmt.Sprintf(`document.querySelector('#tl-interval').textContent === 'by day' && (%s) === %d`, markers, res.Total))

	t.Run("a day of 13 is one count", func(t *testing.T) {
		if got := eval[[]int](b, `[...document.querySelectorAll('.tl-cluster')].map((c) => Number(c.dataset.count))`); len(got) != 1 || got[0] != 13 {
			t.Errorf("counts %v, want one of 13", got)
		}
	})
	t.Run("a day of 2 beside it is two stacked marks", func(t *testing.T) {
		xs := eval[[]float64](b, `['d2-a', 'd2-b'].map((id) => { const r = document.querySelector('.tl-event[aria-label$="Dense event ' + id + '"] .mark')?.getBoundingClientRect(); return r ? r.left + r.width / 2 : -1; })`)
		ys := eval[[]float64](b, `['d2-a', 'd2-b'].map((id) => document.querySelector('.tl-event[aria-label$="Dense event ' + id + '"] .mark')?.getBoundingClientRect().top ?? -1)`)
		if len(xs) != 2 || xs[0] < 0 || xs[1] < 0 {
			t.Fatalf("the two events of 11 February are not marks of their own: %v", xs)
		}
		if xs[0] != xs[1] || ys[0] == ys[1] {
			t.Errorf("the two marks of one day at x %v, y %v: want one column, stacked", xs, ys)
		}
	})
	t.Run("no marks overlap at a month's zoom", func(t *testing.T) {
		if n := eval[int](b, overlaps); n != 0 {
			t.Errorf("%d pairs of marks overlap", n)
		}
	})
	viewportShot(b, "web-timeline-dense.png")

	t.Run("no marks overlap fitted to years", func(t *testing.T) {
		b.do(chromedp.Navigate(e.srv.URL + "/"))
		all := len(readEvents(t, "events.json")) + len(evs)
		b.waitFor("every event on the timeline", fmt.Sprintf(`(%s) === %d`, markers, all))
		if n := eval[int](b, overlaps); n != 0 {
			t.Errorf("%d pairs of marks overlap", n)
		}
	})
	b.checkClean()
}
