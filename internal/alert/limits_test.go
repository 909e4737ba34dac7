package alert

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// gaps returns the time between consecutive requests of rc.
func gaps(rc *receiver) []time.Duration {
	reqs := rc.requests()
	var out []time.Duration
	for i := 1; i < len(reqs); i++ {
		out = append(out, reqs[i].At.Sub(reqs[i-1].At))
	}
	return out
}

// TestPlatformRateLimits: with the default limits a Slack webhook gets
// about one message a second, and a Discord webhook whose bucket is empty
// (X-RateLimit-Remaining: 0) is left alone for X-RateLimit-Reset-After.
func TestPlatformRateLimits(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	slack := newReceiver(t, nil)
	discord := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", "1.2")
		}
		w.WriteHeader(http.StatusNoContent)
	})
	opts := testOptions(&syncBuffer{})
	opts.Limits = nil // the platforms' defaults
	startAlerter(t, b, []config.Alert{
		rule("slack", "", config.Destination{Kind: KindSlack, URL: slack.URL}),
		rule("discord", "", config.Destination{Kind: KindDiscord, URL: discord.URL}),
	}, opts)
	for i := range 3 {
		publish(t, b, setOf(happening(i)))
	}
	wait.For(t, 10*time.Second, func() error {
		if err := countErr("slack", slack.count(), 3); err != nil {
			return err
		}
		return countErr("discord", discord.count(), 3)
	})
	for i, g := range gaps(slack) {
		if g < 900*time.Millisecond {
			t.Errorf("slack: message %d came %s after the one before, want about 1s", i+2, g)
		}
	}
	// Discord's default allows bursts of 5: only the empty bucket spaces them.
	if g := gaps(discord); g[0] < 1200*time.Millisecond || g[1] > time.Second {
		t.Errorf("discord: gaps %v, want the first at least 1.2s (Reset-After), the next at once", g)
	}
}

// TestGoneDisablesDestination: a destination that answered 410 gets no
// more requests, its deliveries fail at once, and a replay enables it.
func TestGoneDisablesDestination(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	var back atomic.Bool
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if !back.Load() {
			w.WriteHeader(http.StatusGone)
		}
	})
	r := rule("r", "", webhookDest(rc.URL))
	startAlerter(t, b, []config.Alert{r}, testOptions(&syncBuffer{}))
	h, err := NewHandler(context.Background(), b.JS, []config.Alert{r}, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, b, setOf(happening(0)))
	wait.For(t, 5*time.Second, func() error { return countErr("gone", len(deliveryList(t, h, StatusFailed)), 1) })
	publish(t, b, setOf(happening(1)))
	wait.For(t, 5*time.Second, func() error { return countErr("gone", len(deliveryList(t, h, StatusFailed)), 2) })
	if n := rc.count(); n != 1 {
		t.Errorf("the disabled destination got %d requests, want 1", n)
	}
	failed := deliveryList(t, h, StatusFailed)
	if !strings.Contains(failed[0].LastError, "disabled") || !strings.Contains(failed[1].LastError, "HTTP 410") {
		t.Errorf("failures %q, %q; want the newest 'disabled', the first 'HTTP 410'", failed[0].LastError, failed[1].LastError)
	}
	back.Store(true)
	if rec := serve(t, h, http.MethodPost, "/api/v1/alerts/deliveries/"+failed[0].ID+"/replay", ""); rec.Code != http.StatusAccepted {
		t.Fatalf("replay: %d %s", rec.Code, rec.Body)
	}
	wait.For(t, 5*time.Second, func() error { return countErr("replayed", rc.count(), 2) })
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	a := &Alerter{opts: Options{RetryBase: time.Second, RetryMax: time.Minute}}
	for _, c := range []struct {
		attempt  int
		asked    time.Duration
		min, max time.Duration
	}{
		{1, 0, 500 * time.Millisecond, time.Second},
		{2, 0, time.Second, 2 * time.Second},
		{4, 0, 4 * time.Second, 8 * time.Second},
		{10, 0, 30 * time.Second, time.Minute}, // capped by RetryMax
		{64, 0, 30 * time.Second, time.Minute}, // no overflow
		{1, 20 * time.Second, 20 * time.Second, 20 * time.Second},
		{1, 48 * time.Hour, time.Hour, time.Hour}, // Retry-After capped at 1h
	} {
		t.Run(fmt.Sprintf("attempt %d asked %s", c.attempt, c.asked), func(t *testing.T) {
			seen := map[time.Duration]bool{}
			for range 50 {
				d := a.backoff(c.attempt, c.asked)
				if d < c.min || d > c.max {
					t.Fatalf("backoff = %s, want within [%s, %s]", d, c.min, c.max)
				}
				seen[d] = true
			}
			if c.asked == 0 && len(seen) < 2 {
				t.Errorf("50 waits all %v: no jitter", seen)
			}
		})
	}
}
