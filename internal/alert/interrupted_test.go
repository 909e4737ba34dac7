package alert

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/wait"
)

// TestInterruptedDeliveryOnRestart leaves, per destination kind, a
// delivery "sending" under an earlier run of this node (as a kill
// mid-request does) and starts an alerter: a signed webhook is sent again
// under its webhook-id and recorded sent, unless it has used all its
// attempts; every chat kind is failed as "interrupted", sending nothing.
func TestInterruptedDeliveryOnRestart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind     string
		attempts int // made before the kill, the interrupted one included
		resent   bool
		reason   string // in the failure when not resent
	}{
		{KindWebhook, 1, true, ""},
		{KindWebhook, 3, false, "gave up after 3 attempts"},
		{KindSlack, 1, false, "interrupted"},
		{KindDiscord, 1, false, "interrupted"},
		{KindTeams, 1, false, "interrupted"},
		{KindMattermost, 1, false, "interrupted"},
		{KindTelegram, 1, false, "interrupted"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d_attempts", tt.kind, tt.attempts), func(t *testing.T) {
			b := bustest.New(t, "")
			rc := newReceiver(t, nil)
			opts := testOptions(&syncBuffer{}) // MaxAttempts 3
			opts.TelegramAPI = rc.URL
			dst := config.Destination{Kind: tt.kind, URL: rc.hookURL("secretpath"), Secret: testSecret, Token: "123:tgsecret", ChatID: "-100"}
			if tt.kind != KindWebhook {
				dst.Secret = ""
			}
			if tt.kind == KindTelegram {
				dst.URL = ""
			}
			rules := []config.Alert{rule("r", "", dst)}
			del := leaveSending(t, b.JS, rules, opts, tt.attempts)
			startAlerter(t, b, rules, opts)
			h, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := openStores(context.Background(), b.JS, 1)
			if err != nil {
				t.Fatal(err)
			}
			var got Delivery
			wait.For(t, 10*time.Second, func() error {
				got, _, err = st.getDelivery(context.Background(), del.ID)
				if err != nil || got.Status == StatusSending || got.Status == StatusPending {
					return fmt.Errorf("delivery is %q (%v)", got.Status, err)
				}
				return nil
			})
			time.Sleep(100 * time.Millisecond) // room for a request to show up
			if !tt.resent {
				if got.Status != StatusFailed || !strings.Contains(got.LastError, "interrupted") || !strings.Contains(got.LastError, tt.reason) {
					t.Errorf("delivery is %q (%q), want failed, interrupted, %q", got.Status, got.LastError, tt.reason)
				}
				if n := rc.count(); n != 0 {
					t.Errorf("%d requests, want none", n)
				}
				if l := deliveryList(t, h, StatusFailed); len(l) != 1 || l[0].ID != del.ID {
					t.Errorf("failed deliveries = %+v, want %s, replayable", l, del.ID)
				}
				return
			}
			if got.Status != StatusSent || got.Attempts != tt.attempts+1 || got.LastError != "" {
				t.Errorf("delivery is %q after %d attempts (%q), want sent after %d", got.Status, got.Attempts, got.LastError, tt.attempts+1)
			}
			reqs := rc.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if id := reqs[0].Header.Get("webhook-id"); id != webhookID(del.ID) {
				t.Errorf("webhook-id = %q, want the delivery's %q", id, webhookID(del.ID))
			}
			key, _ := decodeSecret(testSecret)
			if err := verifyWebhook(reqs[0].Header, reqs[0].Body, key, time.Now()); err != nil {
				t.Error(err)
			}
		})
	}
}

// leaveSending writes a delivery of the first rule to its first
// destination as a run of this node killed mid-request leaves it:
// "sending", owned by that run, after attempts attempts.
func leaveSending(t *testing.T, js jetstream.JetStream, rules []config.Alert, opts Options, attempts int) Delivery {
	t.Helper()
	a, err := New(js, rules, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := openStores(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := a.reg.byName(rules[0].Name)
	dst := r.dests[0]
	now := time.Now().UTC()
	d := Delivery{
		ID: dst.id + "." + r.id + ".cinterrupted", Rule: r.Name, Destination: dst.id, Kind: dst.Kind,
		Type: "event", Events: []event.Event{sampleEvent("a1", "ev1")}, Status: StatusSending,
		Attempts: attempts, Created: now, Updated: now,
		Owner: opts.Node + "/deadrun", Lease: now.Add(time.Hour), // a live lease: only the restart tells
	}
	if err := st.enqueue(ctx, d); err != nil {
		t.Fatal(err)
	}
	return d
}
