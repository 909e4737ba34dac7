package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

// waitProcessed waits until the alerter acknowledged every event set.
func waitProcessed(t *testing.T, b *bus.Bus) {
	t.Helper()
	ctx := context.Background()
	wait.For(t, 10*time.Second, func() error {
		s, err := b.JS.Stream(ctx, bus.EventsStream)
		if err != nil {
			return err
		}
		si, err := s.Info(ctx)
		if err != nil {
			return err
		}
		c, err := b.JS.Consumer(ctx, bus.EventsStream, ConsumerName)
		if err != nil {
			return err
		}
		ci, err := c.Info(ctx)
		if err != nil {
			return err
		}
		if ci.AckFloor.Stream < si.State.LastSeq {
			return fmt.Errorf("acked up to %d of %d", ci.AckFloor.Stream, si.State.LastSeq)
		}
		return nil
	})
}

func TestImmediateDeliversOnce(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	slack := newReceiver(t, nil)
	hook := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	arms := rule("arms", "shells", config.Destination{Kind: KindSlack, URL: slack.hookURL("T000/B000/slacksecret")}, webhookDest(hook.hookURL("hooksecret")))
	arms.Types = []string{"arms_transfer"}
	var logs syncBuffer
	startAlerter(t, b, []config.Alert{arms}, testOptions(&logs))

	match := sampleEvent("a1", "ev1")
	other := sampleEvent("a1", "ev2", func(e *event.Event) { e.Type = "meeting" })
	publish(t, b, setOf(match, other))
	wait.For(t, 5*time.Second, func() error {
		if err := countErr("slack", slack.count(), 1); err != nil {
			return err
		}
		return countErr("webhook", hook.count(), 1)
	})

	// The same set again (a re-extraction, a replay): nothing new is sent.
	publish(t, b, setOf(match, other))
	waitProcessed(t, b)
	time.Sleep(100 * time.Millisecond) // let any wrong delivery reach a receiver
	if slack.count() != 1 || hook.count() != 1 {
		t.Errorf("after the same set again: slack %d, webhook %d requests; want 1 each", slack.count(), hook.count())
	}
	if body := string(slack.requests()[0].Body); !strings.Contains(body, "North Korea ships artillery shells") || !strings.Contains(body, "https://dateline.example/api/v1/events/"+index.ClusterID(match)) {
		t.Errorf("slack message lacks the title or the Dateline link: %s", body)
	}

	// The signature verifies with the reference implementation.
	wh, err := standardwebhooks.NewWebhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	req := hook.requests()[0]
	if err := wh.Verify(req.Body, req.Header); err != nil {
		t.Errorf("standard-webhooks Verify: %v (headers %v)", err, req.Header)
	}
	if p := decodeWebhook(t, req.Body); p.Data.URL != "https://dateline.example/?q=shells&type=arms_transfer" {
		t.Errorf("the message links the search %q, want the rule's query and type", p.Data.URL)
	}
	if !strings.HasPrefix(req.Header.Get("webhook-signature"), "v1,") {
		t.Errorf("webhook-signature = %q, want v1,…", req.Header.Get("webhook-signature"))
	}
	assertNoSecrets(t, logs.String(), "slacksecret", "hooksecret", testSecret)
}

// TestFollowUps: an alerted event updated by a new source, or by its
// article correcting its date, sends a follow-up to a rule with
// follow_ups and nothing to a rule without; another article of a feed
// already counted is no new source.
func TestFollowUps(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	follow, plain := newReceiver(t, nil), newReceiver(t, nil)
	withFollow := rule("follow", "", webhookDest(follow.URL))
	withFollow.FollowUps = true
	var logs syncBuffer
	startAlerter(t, b, []config.Alert{withFollow, rule("plain", "", webhookDest(plain.URL))}, testOptions(&logs))

	first := report("yonhap", "https://yonhap.example/rss", 0)
	publish(t, b, first)
	wait.For(t, 5*time.Second, func() error { return countErr("follow", follow.count(), 1) })
	steps := []struct {
		name       string
		set        event.Set
		follows    int    // messages the follow_ups rule has then
		date       string // date of the last one
		sources    int    // its source count
		wantUpdate bool
	}{
		{"same feed, another article", report("yonhap-2", "https://yonhap.example/rss", 1), 1, "2024-10-29", 1, false},
		{"new source", report("reuters", "https://reuters.example/rss", 1), 2, "2024-10-29", 2, true},
		{"corrected date", report("reuters", "https://reuters.example/rss", 1, func(e *event.Event) { e.Date = "2024-10-27" }), 3, "2024-10-27", 1, true},
	}
	for _, s := range steps {
		publish(t, b, s.set)
		settle(t, b)
		if follow.count() != s.follows {
			t.Fatalf("%s: the follow_ups rule has %d messages, want %d", s.name, follow.count(), s.follows)
		}
		p := decodeWebhook(t, follow.requests()[s.follows-1].Body)
		if e := p.Data.Events[0]; e.Date != s.date || e.SourceCount != s.sources || (p.Type == "dateline.alert.update") != s.wantUpdate {
			t.Errorf("%s: last message is %q about %s with %d sources, want update %v about %s with %d", s.name, p.Type, e.Date, e.SourceCount, s.wantUpdate, s.date, s.sources)
		}
		if plain.count() != 1 {
			t.Errorf("%s: the rule without follow-ups has %d messages, want 1", s.name, plain.count())
		}
	}
	ids := map[string]bool{}
	for _, r := range follow.requests() {
		ids[r.Header.Get("webhook-id")] = true
	}
	if len(ids) != follow.count() {
		t.Errorf("follow-ups reuse a webhook-id: %d ids for %d messages", len(ids), follow.count())
	}
}

func TestFailingDestinationDoesNotDelayHealthy(t *testing.T) {
	b := bustest.New(t, "")
	release := make(chan struct{})
	hang := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select { // past the 300ms timeout
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	healthy := newReceiver(t, nil)
	var logs syncBuffer
	startAlerter(t, b, []config.Alert{rule("r", "", webhookDest(hang.URL), webhookDest(healthy.URL))}, testOptions(&logs))
	for i := range 5 {
		publish(t, b, setOf(happening(i)))
	}
	wait.For(t, 10*time.Second, func() error { return countErr("healthy", healthy.count(), 5) })
	// The hanging one needs 5 events × 3 attempts × 300ms. Had the healthy
	// one waited behind it, the hanging one would have used up its attempts
	// on the first four alerts (12 requests) before the healthy one had its
	// fifth. Compared with the other destination's progress, not with a
	// clock, so a loaded machine slows both sides of the comparison alike.
	if n := hang.count(); n >= 12 {
		t.Errorf("the healthy destination got its 5 alerts only after %d requests to the hanging one", n)
	}
}

// deliveryList fetches GET /api/v1/alerts/deliveries?status=s.
func deliveryList(t *testing.T, h http.Handler, status string) []Delivery {
	t.Helper()
	rec := serve(t, h, http.MethodGet, "/api/v1/alerts/deliveries?status="+status, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("list deliveries: %d %s", rec.Code, rec.Body)
	}
	var out struct{ Deliveries []Delivery }
	mustJSON(t, rec.Body.Bytes(), &out)
	return out.Deliveries
}

func assertNoSecrets(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("secret %q appears in:\n%s", s, text)
		}
	}
}

func decodeWebhook(t *testing.T, body []byte) webhookPayload {
	t.Helper()
	var p webhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode webhook body: %v", err)
	}
	return p
}

func TestRunStopsCleanly(t *testing.T) {
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	a, err := New(b.JS, []config.Alert{rule("r", "", webhookDest(rc.URL))}, testOptions(&syncBuffer{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	publish(t, b, setOf(sampleEvent("a1", "ev1")))
	wait.For(t, 5*time.Second, func() error { return countErr("receiver", rc.count(), 1) })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	wait.For(t, 5*time.Second, func() error {
		// Goroutines of this package or of its HTTP client; the NATS
		// server and connection have their own.
		buf := make([]byte, 1<<20)
		var left []string
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			// This test, and the goroutines of parallel tests paused
			// until the sequential ones are done, are not the alerter's.
			if strings.Contains(g, "TestRunStopsCleanly") || strings.Contains(g, "created by testing.(*T).Run") {
				continue
			}
			if strings.Contains(g, "internal/alert.") || strings.Contains(g, "net/http.(*persistConn)") {
				left = append(left, g)
			}
		}
		if len(left) > 0 {
			return fmt.Errorf("%d goroutines left after Run returned:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		return nil
	})
}

// Two alerter processes share the consumer and the delivery records:
// together they send each alert once.
func TestTwoAlertersSendOnce(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	rules := []config.Alert{rule("r", "", webhookDest(rc.URL))}
	for _, node := range []string{"one", "two"} {
		opts := testOptions(&syncBuffer{})
		opts.Node = node
		opts.SweepEvery = 20 * time.Millisecond // both look at every pending delivery
		startAlerter(t, b, rules, opts)
	}
	const n = 20
	for i := range n {
		publish(t, b, setOf(happening(i)))
	}
	wait.For(t, 10*time.Second, func() error { return countErr("receiver", rc.count(), n) })
	waitProcessed(t, b)
	time.Sleep(200 * time.Millisecond) // room for a duplicate to show up
	seen := map[string]int{}
	for _, r := range rc.requests() {
		seen[decodeWebhook(t, r.Body).Data.Events[0].ID]++
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s sent %d times", id, c)
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct alerts, want %d", len(seen), n)
	}
}
