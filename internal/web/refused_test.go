package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dateline/dateline/internal/index"
)

// shownText is the text of the page a reader sees: hidden parts left out.
const shownText = `document.body.innerText`

// TestBrowserRefusedQuery checks that a query the server refuses shows
// its error once, saying what is wrong and where, with no count, list,
// timeline or export links of a search that did not run; and that the
// next good search brings the results back. Plain words are all required
// on the page as in the API.
func TestBrowserRefusedQuery(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	e := newEnv(t, "events.json")

	for _, tc := range []struct{ q, want string }{
		{"date:>2026-12-01", `unknown field "date" at character 1`},
		{"korea day:>2026-12-01", `"2026-12-01" at character 12 after day:> is not a number`},
		{"korea OR", "OR at character 7 has no word after it"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			b.do(chromedp.Navigate(e.srv.URL + "/?q=" + strings.ReplaceAll(tc.q, " ", "+")))
			b.waitFor("the error", `!document.querySelector('#error').hidden && document.querySelector('#error').textContent !== ''`)
			msg := eval[string](b, `document.querySelector('#error').textContent`)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
			if strings.Contains(msg, "syntax error") {
				t.Errorf("error %q is a bare syntax error", msg)
			}
			shown := eval[string](b, shownText)
			if n := strings.Count(shown, tc.want); n != 1 {
				t.Errorf("the error shows %d times, want once; page:\n%s", n, shown)
			}
			for _, not := range []string{"0 events", "Export", "CSV", "No events match", "Timeline"} {
				if strings.Contains(shown, not) {
					t.Errorf("the refused search shows %q; page:\n%s", not, shown)
				}
			}
			if got := eval[bool](b, `[...document.querySelectorAll('#x-csv, #x-atom, #events, #total')].every((n) => n.offsetParent === null)`); !got {
				t.Errorf("the count, list or export links of the refused search are visible")
			}
			if got := eval[string](b, `document.querySelector('#q').value`); got != tc.q {
				t.Errorf("search box: got %q, want the query to fix, %q", got, tc.q)
			}
		})
	}

	t.Run("a good search after a refused one", func(t *testing.T) {
		res, err := e.ix.Search(context.Background(), index.Query{Q: "korea missile", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		either, err := e.ix.Search(context.Background(), index.Query{Q: "korea OR missile", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 || res.Total == either.Total {
			t.Fatalf("fixture: korea missile finds %d, korea OR missile %d: the case cannot tell AND from OR", res.Total, either.Total)
		}
		eval[string](b, `document.getElementById('q').value = ''`)
		b.do(chromedp.SendKeys(chromedp.CSS("#q"), "korea missile"+kb.Enter))
		b.waitFor("the results", fmt.Sprintf(`document.querySelector('#error').hidden && %s === %d && document.querySelector('#x-csv').offsetParent !== null`, listed, res.Total))
		if shown := eval[string](b, shownText); strings.Contains(shown, "Could not search") {
			t.Errorf("the old error is still shown")
		}
	})
	b.checkClean()
}
