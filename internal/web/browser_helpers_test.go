package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/web"
)

const noChromium = "chromium not installed: apt-get install -y chromium"

// chromiumPath finds Debian's chromium (or DATELINE_CHROMIUM). Without
// one the test is skipped, unless DATELINE_REQUIRE_CHROMIUM=1 makes that a
// failure, as CI wants.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("DATELINE_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DATELINE_REQUIRE_CHROMIUM") == "1" {
		t.Fatal(noChromium)
	}
	skippedForChromium.Add(1)
	t.Skip(noChromium)
	return ""
}

// env is a real server: the web handler and the API over a Bleve index in
// a temporary directory, with a live-event broker.
type env struct {
	srv    *httptest.Server
	ix     *index.Index
	broker *api.Broker
	mu     sync.Mutex // guards seq
	seq    uint64
}

func newEnv(t *testing.T, fixtures ...string) *env {
	t.Helper()
	return newEnvWith(t, api.Options{}, fixtures...)
}

// newEnvWith is newEnv with further API options (feeds, admin token);
// the index and the broker are the env's own.
func newEnvWith(t *testing.T, opts api.Options, fixtures ...string) *env {
	t.Helper()
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{})
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	e := &env{ix: ix, broker: api.NewBroker()}
	for _, f := range fixtures {
		e.apply(t, readEvents(t, f)...)
	}
	mux := http.NewServeMux()
	page := web.Handler()
	mux.Handle("GET /{$}", page)
	mux.Handle("GET /static/", page)
	opts.Searcher, opts.Stream = ix, e.broker
	mux.Handle("/", api.New(opts))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		e.srv.CloseClientConnections()
		e.srv.Close()
	})
	return e
}

func readEvents(t *testing.T, name string) []event.Event {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var evs []event.Event
	if err := json.Unmarshal(raw, &evs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return evs
}

// apply indexes events, one Set per article, and returns the sets.
func (e *env) apply(t *testing.T, evs ...event.Event) []event.Set {
	t.Helper()
	var sets []event.Set
	at := map[string]int{}
	for _, ev := range evs {
		i, ok := at[ev.Article.ID]
		if !ok {
			i = len(sets)
			at[ev.Article.ID] = i
			sets = append(sets, event.Set{Article: ev.Article})
		}
		sets[i].Events = append(sets[i].Events, ev)
	}
	e.mu.Lock()
	e.seq++
	seq := e.seq
	e.mu.Unlock()
	if err := e.ix.Apply(context.Background(), sets, seq); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return sets
}

// publish indexes events and announces them, as the indexer does.
func (e *env) publish(t *testing.T, evs ...event.Event) {
	t.Helper()
	e.broker.Publish(e.apply(t, evs...))
}

// browser is one headless chromium tab that records dialogs and console
// errors.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu      sync.Mutex // guards dialogs and console
	dialogs []string
	console []chromedp.ConsoleMessage
}

func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// listen records JavaScript dialogs and dismisses them so that the page
// does not hang; it runs on chromedp's reader goroutine.
func (b *browser) listen(ev any) {
	d, ok := ev.(*page.EventJavascriptDialogOpening)
	if !ok {
		return
	}
	b.mu.Lock()
	b.dialogs = append(b.dialogs, string(d.Type)+": "+d.Message)
	b.mu.Unlock()
	go func() {
		_, _ = chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			return chromedp.Void{}, err
		})
	}()
}

// do runs actions, failing the test on error.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, failing after 15 s.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("timed out waiting for %s (%s); last error %v; page: %s", what, expr, err, b.summary())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) summary() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
		`location.href + ' | ' + document.querySelector('#total').textContent + ' | ' + document.querySelector('#error').textContent + ' | ' + document.querySelector('#live-text').textContent`))
	return s
}

// screenshot saves a PNG of the whole page under DATELINE_ARTIFACTS (or a
// temporary directory) and logs its path.
func (b *browser) screenshot(name string) string {
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
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// checkClean fails on any JavaScript dialog, uncaught exception, or
// Content-Security-Policy or Trusted Types violation so far.
func (b *browser) checkClean() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range b.dialogs {
		b.t.Errorf("a JavaScript dialog opened: %s", d)
	}
	for _, m := range b.console {
		text := m.Text
		if m.IsException() || strings.Contains(text, "Content Security Policy") || strings.Contains(text, "Trusted Type") {
			b.t.Errorf("console %s: %s (%s:%d)", m.Type, text, m.URL, m.Line)
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func count(b *browser, selector string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(selector)))
}
