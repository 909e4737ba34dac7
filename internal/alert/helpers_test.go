package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"golang.org/x/time/rate"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/wait"
)

// waitRule waits until the alerter a has rule name (has false: no longer
// has it), as a rule added or deleted through the API reaches it by a
// KV watch.
func waitRule(t testing.TB, a *Alerter, name string, has bool) {
	t.Helper()
	wait.For(t, 5*time.Second, func() error {
		switch got := a.reg.byName(name) != nil; {
		case has && !got:
			return errors.New("the alerter does not know the rule yet")
		case !has && got:
			return errors.New("the alerter still has the rule")
		}
		return nil
	})
}

// request is one request a receiver got.
type request struct {
	Header http.Header
	Body   []byte
	At     time.Time
}

// receiver is a local webhook endpoint. respond decides the answer to the
// n-th request (from 1); nil answers 200.
type receiver struct {
	*httptest.Server
	respond func(n int, w http.ResponseWriter, r *http.Request)

	mu   sync.Mutex // guards reqs
	reqs []request
}

func newReceiver(t testing.TB, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, request{Header: r.Header.Clone(), Body: body, At: time.Now()})
		n := len(rc.reqs)
		rc.mu.Unlock()
		if rc.respond != nil {
			rc.respond(n, w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.reqs...)
}

func (rc *receiver) count() int { return len(rc.requests()) }

// hookURL is a URL on rc with a secret-looking path.
func (rc *receiver) hookURL(secret string) string { return rc.URL + "/hooks/" + secret }

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testOptions are fast options for tests, logging into logs.
func testOptions(logs io.Writer) Options {
	return Options{
		PublicURL: "https://dateline.example", AllowPrivateNetworks: true, Node: "test",
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Timeout: 300 * time.Millisecond, MaxAttempts: 3, RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond,
		Limits: map[string]Limit{
			KindSlack: {rate.Inf, 1}, KindDiscord: {rate.Inf, 1}, KindTeams: {rate.Inf, 1},
			KindMattermost: {rate.Inf, 1}, KindTelegram: {rate.Inf, 1}, KindWebhook: {rate.Inf, 1},
		},
		FromStart: true, Tick: 20 * time.Millisecond, SweepEvery: 200 * time.Millisecond, AckWait: 2 * time.Second,
		Env: func(string) (string, bool) { return "", false },
	}
}

// startAlerter runs an alerter until the test ends.
func startAlerter(t testing.TB, b *bus.Bus, rules []config.Alert, opts Options) *Alerter {
	t.Helper()
	a, err := New(b.JS, rules, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	return a
}

// sampleEvent is a matching event of article art.
func sampleEvent(art, id string, opts ...func(*event.Event)) event.Event {
	e := event.Event{
		ID: id, Type: "arms_transfer", Title: "North Korea ships artillery shells to Russia",
		Sentence: "North Korea has shipped artillery shells to Russia, officials said.",
		Date:     "2024-10-29", Precision: event.Day, DateText: "October 29, 2024", Status: event.Occurred,
		Actors: []string{"North Korea", "Russia"}, Places: []event.Place{{Name: "Rason", Country: "North Korea"}},
		Article:    event.ArticleRef{ID: art, URL: "https://news.example/" + art, Title: "Shells move north", Feed: "https://news.example/rss"},
		Confidence: 0.9, Mentions: 2,
	}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// onDay moves an event to the i-th day from 1 January 2024: each day is
// another happening, hence another merged event with its own alert.
func onDay(i int) func(*event.Event) {
	return func(e *event.Event) {
		e.Date = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
	}
}

// happening is the arms transfer of sampleEvent on day i: article a<i>,
// event ev<i>, its own merged event.
func happening(i int) event.Event {
	return sampleEvent(fmt.Sprintf("a%d", i), fmt.Sprintf("ev%d", i), onDay(i))
}

// publish stores an event set on EVENTS, as the extractor does.
func publish(t testing.TB, b *bus.Bus, set event.Set) {
	t.Helper()
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(bus.EventSubject(set.Article.ID))
	msg.Data = raw
	if _, err := b.JS.PublishMsg(context.Background(), msg); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

func setOf(events ...event.Event) event.Set {
	return event.Set{Article: events[0].Article, Events: events}
}

// rule is a config rule with the given destinations.
func rule(name, query string, dests ...config.Destination) config.Alert {
	return config.Alert{Name: name, Query: query, Destinations: dests}
}

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // 24 bytes, base64

func webhookDest(url string) config.Destination {
	return config.Destination{Kind: KindWebhook, URL: url, Secret: testSecret}
}

func countErr(name string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s got %d requests, want %d", name, got, want)
	}
	return nil
}

// Set moves the clock to t.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
