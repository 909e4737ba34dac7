package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/index"
)

// TestBrowserFacets checks the actor and place facets beside the types:
// they show the search's most frequent names with their counts, a click
// filters the search by one (URL, total and list), and a second click on
// the pressed facet clears the filter.
func TestBrowserFacets(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	e := newEnv(t, "events.json")
	all, err := e.ix.Search(context.Background(), index.Query{Facets: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("the facets", `document.querySelectorAll('#facets-actor .facet').length > 0 && document.querySelectorAll('#facets-place .facet').length > 0`)

	for _, tc := range []struct{ kind, param string }{{"actor", "actor"}, {"place", "place"}} {
		t.Run(tc.kind, func(t *testing.T) {
			sel := jsString("#facets-" + tc.kind + " .facet")
			value := eval[string](b, `document.querySelector(`+sel+`).dataset.value`)
			shown := eval[string](b, `document.querySelector(`+sel+` + ' .n').textContent`)
			if want := fmt.Sprint(all.Facets[tc.kind][value]); shown != want {
				t.Errorf("count of %s %q: got %s, want %s", tc.kind, value, shown, want)
			}
			q := index.Query{Limit: 1}
			if tc.kind == "actor" {
				q.Actors = []string{value}
			} else {
				q.Places = []string{value}
			}
			res, err := e.ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			clickJS(b, "#facets-"+tc.kind+" .facet")
			b.waitFor("the filtered search", fmt.Sprintf(`new URLSearchParams(location.search).get(%s) === %s && document.querySelector('#total').textContent === %s && %s === %d && document.querySelector('#live').classList.contains('on')`,
				jsString(tc.param), jsString(value), jsString(fmt.Sprintf("%d %s", res.Total, plural(res.Total))), listed, res.Total))
			if got := eval[string](b, `document.querySelector('#`+tc.kind+`').value`); got != value {
				t.Errorf("%s field: got %q, want %q", tc.kind, got, value)
			}
			pressed := jsString(fmt.Sprintf(`#facets-%s .facet.on[aria-pressed="true"]`, tc.kind))
			if got := eval[string](b, `document.querySelector(`+pressed+`)?.dataset.value ?? ''`); got != value {
				t.Errorf("pressed facet: got %q, want %q", got, value)
			}
			clickJS(b, fmt.Sprintf(`#facets-%s .facet.on`, tc.kind))
			b.waitFor("the filter cleared", fmt.Sprintf(`!new URLSearchParams(location.search).has(%s) && document.querySelector('#total').textContent === %s`,
				jsString(tc.param), jsString(fmt.Sprintf("%d events", all.Total))))
		})
	}
	b.checkClean()
}

func plural(n uint64) string {
	if n == 1 {
		return "event"
	}
	return "events"
}
