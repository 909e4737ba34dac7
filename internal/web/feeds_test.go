package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/poller"
)

// feeds is the page's feed source as the service wires it: config feeds
// plus feeds added at run time, polled by a real poller (in-memory state,
// private networks allowed so that it reaches httptest servers).
type feeds struct {
	config []feedlist.Feed
	p      *poller.Poller
	mu     sync.Mutex // guards added
	added  []feedlist.Feed
}

var _ api.Feeds = (*feeds)(nil)

// discard is a poller.Publisher that drops the articles.
type discard struct{}

func (discard) Publish(context.Context, article.Article) (bool, error) { return true, nil }

// newFeeds starts a poller on the config feeds; it stops with the test.
func newFeeds(t *testing.T, config ...feedlist.Feed) *feeds {
	t.Helper()
	f := &feeds{config: config, p: poller.New(poller.Options{AllowPrivateNetworks: true, PerHostSpacing: 1}, discard{}, nil)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.p.Run(ctx, config)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return f
}

func (f *feeds) Status(context.Context) ([]poller.FeedStatus, error) { return f.p.Status(), nil }

func (f *feeds) List(context.Context) ([]feedlist.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return feedlist.Merge(f.config, f.added), nil
}

func (f *feeds) Add(_ context.Context, feed feedlist.Feed) error {
	f.mu.Lock()
	f.added = append(f.added, feed)
	all := feedlist.Merge(f.config, f.added)
	f.mu.Unlock()
	f.p.SetFeeds(all)
	return nil
}

func (f *feeds) Remove(_ context.Context, id string) (bool, error) {
	for _, c := range f.config {
		if feedlist.ID(c.URL) == id {
			return true, api.ErrConfigFeed
		}
	}
	f.mu.Lock()
	found := false
	kept := f.added[:0]
	for _, a := range f.added {
		if feedlist.ID(a.URL) == id {
			found = true
			continue
		}
		kept = append(kept, a)
	}
	f.added = kept
	all := feedlist.Merge(f.config, f.added)
	f.mu.Unlock()
	f.p.SetFeeds(all)
	return found, nil
}

// failingServer answers every request with 500.
func failingServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/feed.xml"
}

// closedPort is an http URL on a port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr + "/rss"
}

const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Good news</title><link>https://news.example.org/</link>
<item><title>Leaders meet</title><link>https://news.example.org/a1</link><guid>a1</guid><pubDate>Tue, 05 Nov 2024 09:00:00 GMT</pubDate><description>Leaders met in Paris on 4 November 2024.</description></item>
</channel></rss>`

// TestBrowserFeedHealth opens an empty timeline whose feeds all fail (one
// answers 500, one is a closed port, through a real poller) and checks
// that the page says why it is empty, with the feeds' error, links to the
// Feeds view, and that the view lists each feed's status and last error
// as text (one feed's name is an XSS vector).
func TestBrowserFeedHealth(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	fs := newFeeds(t,
		feedlist.Feed{URL: failingServer(t), Name: xssTitle},
		feedlist.Feed{URL: closedPort(t), Name: "Closed port"},
	)
	e := newEnvWith(t, api.Options{Feeds: fs})

	b.do(chromedp.Navigate(e.srv.URL + "/"))
	b.waitFor("the feed banner", `!document.querySelector('#feed-banner').hidden && /^2 of 2 feeds failing/.test(document.querySelector('#feed-banner').textContent)`)
	banner := eval[string](b, `document.querySelector('#feed-banner').textContent`)
	if !strings.HasSuffix(banner, " — see Feeds") {
		t.Errorf("banner: got %q, want it to end with %q", banner, " — see Feeds")
	}
	var errs []string
	for _, s := range fs.p.Status() {
		errs = append(errs, s.LastError)
	}
	if !strings.Contains(banner, errs[0]) && !strings.Contains(banner, errs[1]) {
		t.Errorf("banner %q names neither feed's error %q", banner, errs)
	}
	if got := eval[string](b, `document.querySelector('#feeds-health').textContent`); got != "0 ok · 2 failing" {
		t.Errorf("header health: got %q, want %q", got, "0 ok · 2 failing")
	}

	b.do(chromedp.Click(chromedp.CSS("#feed-banner a.see-feeds")))
	b.waitFor("the Feeds view", `!document.querySelector('#feeds-view').hidden && location.hash === '#feeds' && document.querySelectorAll('#feeds-rows tr').length === 2`)
	for _, s := range fs.p.Status() {
		sel := jsString(fmt.Sprintf(`#feeds-rows tr[data-id="%s"]`, feedlist.ID(s.URL)))
		if got := eval[string](b, `document.querySelector(`+sel+` + ' .f-title').textContent`); got != s.Name {
			t.Errorf("feed name: got %q, want %q", got, s.Name)
		}
		if got := eval[string](b, `document.querySelector(`+sel+` + ' .f-status').textContent`); got != "error" {
			t.Errorf("%s status: got %q, want error", s.Name, got)
		}
		if got := eval[string](b, `document.querySelector(`+sel+` + ' .f-error').textContent`); got != s.LastError || got == "" {
			t.Errorf("%s last error: got %q, want %q", s.Name, got, s.LastError)
		}
	}
	if n := count(b, "img"); n != 0 {
		t.Errorf("%d <img> elements in the page, want 0", n)
	}
	b.screenshot("web-feeds-failing.png")
	b.checkClean()
}

// TestBrowserFeedsAdmin adds a feed through the Feeds view with the admin
// token, sees it polled, removes it, and sees a config feed's removal
// refused with the API's reason.
func TestBrowserFeedsAdmin(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss)
	}))
	t.Cleanup(good.Close)
	cfg := feedlist.Feed{URL: closedPort(t), Name: "Config feed"}
	fs := newFeeds(t, cfg)
	e := newEnvWith(t, api.Options{Feeds: fs, AdminToken: "s3cret"})
	goodURL := good.URL + "/feed.xml"
	row := jsString(fmt.Sprintf(`#feeds-rows tr[data-id="%s"]`, feedlist.ID(goodURL)))

	b.do(chromedp.Navigate(e.srv.URL + "/#feeds"))
	b.waitFor("the Feeds view with the config feed", `!document.querySelector('#feeds-view').hidden && document.querySelectorAll('#feeds-rows tr').length === 1`)

	t.Run("without the token", func(t *testing.T) {
		b.do(chromedp.SendKeys(chromedp.CSS("#feed-url"), goodURL), chromedp.Click(chromedp.CSS("#feed-add-btn")))
		b.waitFor("the refusal", `/admin token/.test(document.querySelector('#feeds-msg').textContent)`)
		if n := count(b, "#feeds-rows tr"); n != 1 {
			t.Errorf("rows after a refused add: got %d, want 1", n)
		}
	})

	t.Run("add", func(t *testing.T) {
		b.do(chromedp.SetValue(chromedp.CSS("#feed-url"), goodURL),
			chromedp.SendKeys(chromedp.CSS("#feed-name"), "Good news"),
			chromedp.SendKeys(chromedp.CSS("#admin-token"), "s3cret"),
			chromedp.Click(chromedp.CSS("#feed-add-btn")))
		b.waitFor("the added feed listed", `document.querySelector(`+row+`)?.querySelector('.f-title').textContent === 'Good news'`)
		if got := eval[string](b, `document.querySelector('#feeds-msg').textContent`); got != "Added Good news." {
			t.Errorf("message: got %q", got)
		}
		// Once the poller has read it, opening the view again shows it polled.
		waitPolled(t, fs, goodURL)
		clickJS(b, "#feeds-close")
		b.waitFor("the view closed", `document.querySelector('#feeds-view').hidden`)
		clickJS(b, "#feeds-link")
		b.waitFor("the added feed polled", `document.querySelector(`+row+` + ' .f-status')?.textContent === 'ok' && document.querySelector(`+row+` + ' .num').textContent === '1'`)
	})

	t.Run("remove", func(t *testing.T) {
		// The token typed for the add is still there.
		clickJS(b, `#feeds-rows tr[data-id="`+feedlist.ID(goodURL)+`"] .f-remove`)
		b.waitFor("the feed gone", `!document.querySelector(`+row+`) && document.querySelectorAll('#feeds-rows tr').length === 1`)
		if got := eval[string](b, `document.querySelector('#feeds-msg').textContent`); got != "Removed Good news." {
			t.Errorf("message: got %q", got)
		}
		list, _ := fs.List(context.Background())
		if len(list) != 1 {
			t.Errorf("feeds after removal: got %d, want 1", len(list))
		}
	})

	t.Run("a config feed stays", func(t *testing.T) {
		clickJS(b, `#feeds-rows tr[data-id="`+feedlist.ID(cfg.URL)+`"] .f-remove`)
		b.waitFor("the refusal", `/config file/.test(document.querySelector('#feeds-msg').textContent)`)
		if n := count(b, "#feeds-rows tr"); n != 1 {
			t.Errorf("rows: got %d, want 1", n)
		}
	})
	b.checkClean()
}

// clickJS clicks the element selector names from script: the sticky
// header may cover a table row that chromedp would click by its position.
func clickJS(b *browser, selector string) {
	b.t.Helper()
	if !eval[bool](b, fmt.Sprintf(`(() => { const n = document.querySelector(%s); if (n) n.click(); return !!n; })()`, jsString(selector))) {
		b.t.Fatalf("no %s to click", selector)
	}
}

// waitPolled waits until the poller has read feedURL once.
func waitPolled(t *testing.T, fs *feeds, feedURL string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, s := range fs.p.Status() {
			if s.URL == feedURL && s.Status == poller.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not polled within 15 s: %+v", feedURL, fs.p.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
