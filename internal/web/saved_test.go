package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/searches"
)

// newJetStream starts an in-process JetStream server with its store in a
// temporary directory.
func newJetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// TestBrowserSavedView checks the Saved view against the real saved
// searches store and alert API on JetStream: without the admin token,
// saving is refused and alert rules are not shown; with it, the search
// on screen is saved, listed and opens again; an alert is added on it,
// sends a test to a webhook that receives it, and is deleted; the saved
// search is deleted. A hostile search name from the store is text.
func TestBrowserSavedView(t *testing.T) {
	ctx := context.Background()
	js := newJetStream(t)
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "searches"})
	if err != nil {
		t.Fatal(err)
	}
	store := searches.NewStore(kv)
	alerts, err := alert.NewHandler(ctx, js, nil, alert.HandlerOptions{Test: alert.Options{AllowPrivateNetworks: true}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		received []string
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, string(b))
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)

	e := newEnvWith(t, api.Options{Searches: store, Alerts: alerts, AdminToken: "s3cret"}, "events.json")
	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(e.srv.URL + "/?q=korea+missile&type=weapons_test#saved"))
	b.waitFor("the Saved view", visible("#saved-view")+` && `+listed+` > 0`)
	if got := eval[string](b, `document.querySelector('#save-what').textContent`); got != "q: korea missile · type: weapons_test" {
		t.Errorf("the form saves %q, want the search on screen", got)
	}
	if got := eval[string](b, `document.querySelector('#alerts-none').textContent`); !strings.Contains(got, "admin token") {
		t.Errorf("without the token the alerts say %q", got)
	}

	t.Run("saving without the token is refused", func(t *testing.T) {
		b.do(chromedp.SendKeys(chromedp.CSS("#save-name"), "korea-tests"))
		clickJS(b, "#save-btn")
		b.waitFor("the refusal", `/admin token/.test(document.querySelector('#saved-msg').textContent)`)
		if list, _ := store.List(ctx); len(list) != 0 {
			t.Errorf("saved without the token: %v", list)
		}
	})

	t.Run("save the search on screen", func(t *testing.T) {
		b.do(chromedp.SendKeys(chromedp.CSS("#saved-token"), "s3cret"))
		clickJS(b, "#save-btn")
		b.waitFor("the saved search listed", `document.querySelector('#searches-rows tr[data-name="korea-tests"]') !== null`)
		se, err := store.Get(ctx, "korea-tests")
		if err != nil || se.Query != "q=korea+missile&type=weapons_test" {
			t.Fatalf("stored %+v, %v", se, err)
		}
		if got := eval[string](b, `document.querySelector('#searches-rows tr[data-name="korea-tests"] .s-open').getAttribute('href')`); got != e.srv.URL+"/?q=korea+missile&type=weapons_test" {
			t.Errorf("Open links to %q", got)
		}
		if got := eval[string](b, `document.querySelector('#admin-token').value`); got != "s3cret" {
			t.Errorf("the Feeds view's token is %q: one token for the page", got)
		}
	})

	t.Run("an alert on it: add, test-send, delete", func(t *testing.T) {
		b.waitFor("alerts readable", `document.querySelector('#alerts-none').textContent === 'No alert rules.'`)
		b.do(chromedp.SendKeys(chromedp.CSS("#alert-name"), "korea-hook"),
			chromedp.SetValue(chromedp.CSS("#alert-kind"), "webhook"),
			chromedp.SendKeys(chromedp.CSS("#alert-url"), hook.URL+"/in"))
		b.waitFor("the saved search offered", `document.querySelector('#alert-search').value === 'korea-tests'`)
		clickJS(b, "#alert-add-btn")
		b.waitFor("the alert listed", `document.querySelector('#alerts-rows tr[data-name="korea-hook"]') !== null`)
		if msg := eval[string](b, `document.querySelector('#saved-msg').textContent`); !regexp.MustCompile(`secret, shown only now: whsec_[A-Za-z0-9+/]{43}=`).MatchString(msg) {
			t.Errorf("the made webhook secret is not shown: %q", msg)
		}
		if got := eval[string](b, `document.querySelector('#alerts-rows tr[data-name="korea-hook"]').textContent`); !strings.Contains(got, "saved search korea-tests") || !strings.Contains(got, "webhook") {
			t.Errorf("alert row %q", got)
		}
		clickJS(b, `#alerts-rows tr[data-name="korea-hook"] .a-test`)
		b.waitFor("the test result", `/Test of korea-hook: .*ok/.test(document.querySelector('#saved-msg').textContent)`)
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n != 1 {
			t.Errorf("the webhook received %d messages, want the test's 1", n)
		}
		clickJS(b, `#alerts-rows tr[data-name="korea-hook"] .a-delete`)
		b.waitFor("the alert gone", `document.querySelector('#alerts-rows tr[data-name="korea-hook"]') === null && /Deleted the alert/.test(document.querySelector('#saved-msg').textContent)`)
		if got := eval[string](b, `document.querySelector('#deliveries-none').hidden ? 'hidden' : document.querySelector('#deliveries-none').textContent`); got != "No failed deliveries." {
			t.Errorf("failed deliveries: %q", got)
		}
	})

	t.Run("a hostile name is text", func(t *testing.T) {
		// Names the API refuses may still reach the store by other ways.
		raw := `{"name":"<img src=x onerror=alert(1)>","query":"q=%3Cb%3E","created":"2026-01-01T00:00:00Z"}`
		if _, err := kv.Put(ctx, "hostile", []byte(raw)); err != nil {
			t.Fatal(err)
		}
		eval[bool](b, `(DL.saved.load(), true)`)
		b.waitFor("the hostile row", `[...document.querySelectorAll('#searches-rows .s-name')].some((n) => n.textContent.startsWith('<img'))`)
		if n := count(b, "#saved-view img, #saved-view b"); n != 0 {
			t.Errorf("%d elements made of feed text", n)
		}
	})

	t.Run("delete the saved search", func(t *testing.T) {
		clickJS(b, `#searches-rows tr[data-name="korea-tests"] .s-delete`)
		b.waitFor("the search gone", `document.querySelector('#searches-rows tr[data-name="korea-tests"]') === null`)
		if _, err := store.Get(ctx, "korea-tests"); err == nil {
			t.Errorf("still stored")
		}
	})
	eval[bool](b, `(document.querySelector('#saved-view').scrollIntoView(), true)`)
	viewportShot(b, "web-saved-view.png")
	b.checkClean()
}
