package alert

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

// runStoppable runs an alerter until the returned stop is called (or the
// test ends).
func runStoppable(t *testing.T, a *Alerter) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestCorrectionsStopAndFollowUp: an event hidden before its alert is
// sent is not sent (its delivery cancelled) while the others are; an
// alerted event that is then corrected gets one follow-up per
// correction saying what changed (retyped; marked wrong), and an
// alerter started again on the same buckets sends none of them twice.
func TestCorrectionsStopAndFollowUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := bustest.New(t, "")
	store, err := corrections.Open(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	hook := newReceiver(t, nil)
	rules := []config.Alert{rule("arms", "", webhookDest(hook.URL))}
	var logs syncBuffer
	opts := testOptions(&logs)
	opts.Corrections = store
	al, err := New(b.JS, rules, opts)
	if err != nil {
		t.Fatal(err)
	}
	stop := runStoppable(t, al)

	hidden, retyped, wrong := index.ClusterID(happening(1)), index.ClusterID(happening(2)), index.ClusterID(happening(3))
	if _, err := store.Put(ctx, corrections.Correction{EventID: hidden, Hidden: true, Note: "not an arms transfer"}, nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		publish(t, b, setOf(happening(i)))
	}
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 2) })
	settle(t, b)
	for _, r := range hook.requests() {
		if strings.Contains(string(r.Body), hidden) {
			t.Errorf("the event hidden before its alert was sent: %s", r.Body)
		}
	}
	r := al.reg.byName("arms")
	wait.For(t, 5*time.Second, func() error {
		d, _, err := al.st.getDelivery(ctx, r.dests[0].id+"."+r.id+".ec"+hidden)
		if err == nil && d.Status != StatusCancelled {
			return countErr("cancelled "+d.Status, 0, 1)
		}
		return err
	})

	tests := []struct {
		name string
		c    corrections.Correction
		say  string // in the follow-up's text
	}{
		{"retyped", corrections.Correction{EventID: retyped, Type: "military_strike", By: "ana"}, "type: arms_transfer → military_strike"},
		{"marked wrong", corrections.Correction{EventID: wrong, Hidden: true, Note: "a rumour", By: "ana"}, "marked wrong (a rumour) by ana"},
	}
	for i, tt := range tests {
		if _, err := store.Put(ctx, tt.c, nil); err != nil {
			t.Fatal(err)
		}
		want := 3 + i
		wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), want) })
		p := decodeWebhook(t, hook.requests()[want-1].Body)
		if p.Type != "dateline.alert.correction" || len(p.Data.Events) != 1 || p.Data.Events[0].ID != tt.c.EventID || !strings.Contains(p.Data.Text, tt.say) {
			t.Errorf("%s: follow-up %q about %v, text %q; want a correction of %s saying %q", tt.name, p.Type, p.Data.Events, p.Data.Text, tt.c.EventID, tt.say)
		}
		if tt.c.Type != "" && p.Data.Events[0].Type != tt.c.Type {
			t.Errorf("%s: the follow-up tells type %s, want %s", tt.name, p.Data.Events[0].Type, tt.c.Type)
		}
	}

	// Started again: every correction is read anew, nothing is sent again.
	stop()
	al2, err := New(b.JS, rules, opts)
	if err != nil {
		t.Fatal(err)
	}
	runStoppable(t, al2)
	publish(t, b, setOf(happening(4)))
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 5) })
	settle(t, b)
	time.Sleep(300 * time.Millisecond) // let a wrong follow-up reach the receiver
	if n := hook.count(); n != 5 {
		t.Errorf("after a restart the receiver has %d messages, want 5 (the new event's alone)", n)
	}
}

// TestCorrectionsFollowTheIndexIdentity: with Options.Resolve (the
// index's current id of an event and the ids it absorbed), a correction
// made under the event's current id reaches an alert sent under an id
// the event had before: a follow-up for an alerted one, and no message
// for one hidden before its alert went.
func TestCorrectionsFollowTheIndexIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := bustest.New(t, "")
	store, err := corrections.Open(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	hook := newReceiver(t, nil)
	var logs syncBuffer
	opts := testOptions(&logs)
	opts.Corrections = store
	// The index later joined each happening into an event with a new id.
	now := map[string]string{}
	for i := 1; i <= 3; i++ {
		now[index.ClusterID(happening(i))] = fmt.Sprintf("joined%d", i)
	}
	opts.Resolve = func(_ context.Context, id string) (string, []string, bool, error) {
		for old, cur := range now {
			if id == old || id == cur {
				return cur, []string{old}, true, nil
			}
		}
		return "", nil, false, nil
	}
	al, err := New(b.JS, []config.Alert{rule("arms", "", webhookDest(hook.URL))}, opts)
	if err != nil {
		t.Fatal(err)
	}
	runStoppable(t, al)

	hiddenOld := index.ClusterID(happening(1))
	if _, err := store.Put(ctx, corrections.Correction{EventID: now[hiddenOld], Hidden: true}, nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		publish(t, b, setOf(happening(i)))
	}
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 2) })
	settle(t, b)
	for _, r := range hook.requests() {
		if strings.Contains(string(r.Body), hiddenOld) {
			t.Errorf("an event hidden under its new id was sent under its old one: %.300s", r.Body)
		}
	}
	retypedOld := index.ClusterID(happening(2))
	if _, err := store.Put(ctx, corrections.Correction{EventID: now[retypedOld], Type: "military_strike"}, nil); err != nil {
		t.Fatal(err)
	}
	wait.For(t, 10*time.Second, func() error { return countErr("webhook", hook.count(), 3) })
	p := decodeWebhook(t, hook.requests()[2].Body)
	if p.Type != "dateline.alert.correction" || p.Data.Events[0].ID != retypedOld || p.Data.Events[0].Type != "military_strike" {
		t.Errorf("follow-up %q about %s (%s), want a correction of %s to military_strike", p.Type, p.Data.Events[0].ID, p.Data.Events[0].Type, retypedOld)
	}
}
