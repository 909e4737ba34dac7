package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/feedlist"
)

// TestBrowserFeedsImportOPML checks the Feeds view's OPML import: with
// the admin token, the feeds of the chosen file that are not there yet
// are added (names and entities as written, a hostile name as text), one
// already there is left and said to be, one the server refuses is said to
// fail, and the view counts them as `dateline feeds import` does.
func TestBrowserFeedsImportOPML(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss)
	}))
	t.Cleanup(good.Close)
	cfg := feedlist.Feed{URL: closedPort(t), Name: "Config feed"}
	fs := newFeeds(t, cfg)
	e := newEnvWith(t, api.Options{Feeds: fs, AdminToken: "s3cret"})
	first, second := good.URL+"/a.xml?x=1&y=2", good.URL+"/b.xml"
	opml := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline type="rss" text="Config again" xmlUrl="` + cfg.URL + `"/>
    <outline type="rss" text="Tom &amp; Jerry&#39;s wire" xmlUrl="` + first + `" htmlUrl="https://example.org/"/>
    <outline type='rss' title="&lt;img src=x onerror=alert(1)&gt;" xmlUrl='` + second + `'/>
    <outline type="rss" text="Not a feed" xmlUrl="file:///etc/passwd"/>
  </outline>
</body></opml>`
	path := filepath.Join(t.TempDir(), "feeds.opml")
	if err := os.WriteFile(path, []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(e.srv.URL + "/#feeds"))
	b.waitFor("the Feeds view", `!document.querySelector('#feeds-view').hidden && document.querySelectorAll('#feeds-rows tr').length === 1`)
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#feed-opml"), []string{path}))

	t.Run("without the token nothing is added", func(t *testing.T) {
		clickJS(b, "#feed-import-btn")
		b.waitFor("the refusal", `/admin token/.test(document.querySelector('#feeds-msg').textContent)`)
		if list, _ := fs.List(context.Background()); len(list) != 1 {
			t.Errorf("%d feeds after an import without the token, want 1", len(list))
		}
	})

	t.Run("with the token", func(t *testing.T) {
		b.do(chromedp.SendKeys(chromedp.CSS("#admin-token"), "s3cret"))
		clickJS(b, "#feed-import-btn")
		b.waitFor("the import done", `document.querySelector('#feeds-msg').textContent === '2 added, 1 already there, 1 failed (4 in feeds.opml)' && document.querySelectorAll('#feeds-rows tr').length === 3`)
		list, err := fs.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, f := range list {
			names[f.URL] = f.Name
		}
		if names[first] != "Tom & Jerry's wire" || names[second] != "<img src=x onerror=alert(1)>" {
			t.Errorf("feeds added: %v", names)
		}
		log := eval[[]string](b, `[...document.querySelectorAll('#feeds-import-log li')].map((li) => li.textContent)`)
		for _, want := range []string{"Config again — already there", "Tom & Jerry's wire — added", "<img src=x onerror=alert(1)> — added"} {
			if !slices.Contains(log, want) {
				t.Errorf("import log %q lacks %q", log, want)
			}
		}
		if n := count(b, "img"); n != 0 {
			t.Errorf("%d <img> elements: a feed name became markup", n)
		}
	})
	b.checkClean()
}
