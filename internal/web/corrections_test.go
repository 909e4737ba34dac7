package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/corrections"
)

// TestBrowserCorrections checks the correction panel: hidden until the
// admin token is typed, then marking an event wrong stores the
// correction through the API; when the index applies it and the live
// stream says the event is removed, the list drops it.
func TestBrowserCorrections(t *testing.T) {
	ctx := context.Background()
	store, err := corrections.Open(ctx, bustest.New(t, "").JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, api.Options{AdminToken: "tok", Corrections: store}, "events.json")
	got, ok, err := e.ix.Get(ctx, "fx04")
	if err != nil || !ok {
		t.Fatalf("Get(fx04) = %v, %v", ok, err)
	}
	id := got.ID
	item := fmt.Sprintf(`document.getElementById(%s)`, jsString("ev-"+id))

	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("the event listed", item+` !== null`)
	if shown := eval[bool](b, item+`.querySelector('.ev-correct').hidden === false`); shown {
		t.Error("the correction panel shows without the admin token")
	}
	eval[bool](b, `(() => { const f = document.querySelector('#admin-token'); f.value = 'tok'; f.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`)
	b.waitFor("the panel shown", item+`.querySelector('.ev-correct').hidden === false`)
	eval[bool](b, `(() => { const p = `+item+`.querySelector('.ev-correct'); p.open = true; p.querySelector('input[type=checkbox]').checked = true; [...p.querySelectorAll('button')].find((x) => x.textContent === 'Save').click(); return true; })()`)
	b.waitFor("the correction saved", item+`.querySelector('.correct-status').textContent.startsWith('Saved')`)
	c, err := store.Get(ctx, id)
	if err != nil || !c.Hidden {
		t.Fatalf("stored correction %+v (%v), want the event hidden", c, err)
	}

	evs, err := e.ix.Correct(ctx, id, &c)
	if err != nil {
		t.Fatal(err)
	}
	e.broker.PublishCorrected(evs)
	b.waitFor("the hidden event dropped", item+` === null`)
	b.checkClean()
}
