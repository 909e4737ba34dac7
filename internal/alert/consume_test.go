package alert

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// TestUndecodableEventSetGoesToDeadLetter: an event set the alerter
// cannot decode goes to DEADLETTER with the stage, reason, stream and
// delivery count (it used to be terminated and lost), the sets after it
// are alerted, and a replay re-delivers it to the alerter.
func TestUndecodableEventSetGoesToDeadLetter(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	hook := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	var logs syncBuffer
	startAlerter(t, b, []config.Alert{rule("arms", "shells", webhookDest(hook.hookURL("hooksecret")))}, testOptions(&logs))
	ctx := context.Background()
	if _, err := b.JS.Publish(ctx, bus.EventSubject("garbled"), []byte(`{"events": "no"}`)); err != nil {
		t.Fatal(err)
	}
	publish(t, b, setOf(happening(1)))
	var first bus.DeadLetter
	wait.For(t, 10*time.Second, func() error {
		dead, err := b.DeadLetters(ctx, 10)
		if err != nil || len(dead) != 1 {
			return fmt.Errorf("DeadLetters = %+v, %v; want 1", dead, err)
		}
		first = dead[0]
		return countErr("webhook", hook.count(), 1)
	})
	if first.Stage != Stage || first.Subject != bus.EventSubject("garbled") || first.Stream != bus.EventsStream ||
		first.Delivered != 1 || !strings.Contains(first.Reason, "decode event set") {
		t.Errorf("dead letter = %+v", first)
	}
	if err := b.Replay(ctx, first.Seq); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	wait.For(t, 10*time.Second, func() error {
		dead, err := b.DeadLetters(ctx, 10)
		if err != nil || len(dead) != 1 || dead[0].Seq == first.Seq || dead[0].Stage != Stage {
			return fmt.Errorf("DeadLetters = %+v, %v; want the replay given up again", dead, err)
		}
		return nil
	})
}

// TestRunReturnsWhenConsumerDeleted: the alerter's Run returns an error
// once its consumer is deleted (so that the service restarts it), and a
// second Run recreates the consumer and alerts on new sets.
func TestRunReturnsWhenConsumerDeleted(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	hook := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	var logs syncBuffer
	a, err := New(b.JS, []config.Alert{rule("arms", "shells", webhookDest(hook.hookURL("hooksecret")))}, testOptions(&logs))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	publish(t, b, setOf(happening(1)))
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 1) })
	if err := b.JS.DeleteConsumer(ctx, bus.EventsStream, ConsumerName); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "alerter") {
			t.Fatalf("Run after its consumer was deleted = %v, want an error naming the alerter", err)
		}
	case <-time.After(90 * time.Second):
		// The deletion is seen at the next pull or when a pull's
		// heartbeats stop, within a pull's expiry (30 s).
		t.Fatal("Run did not return after its consumer was deleted")
	}
	go func() { done <- a.Run(ctx) }()
	wait.For(t, 10*time.Second, func() error {
		_, err := b.JS.Consumer(ctx, bus.EventsStream, ConsumerName)
		return err
	})
	publish(t, b, setOf(happening(2)))
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 2) })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
}
