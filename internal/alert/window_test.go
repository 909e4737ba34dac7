package alert

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/index"
)

func TestDigestWindows(t *testing.T) {
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	clk := &fakeClock{t: time.Date(2024, 10, 29, 10, 10, 0, 0, time.UTC)}
	r := rule("hourly", "", webhookDest(rc.URL))
	r.Mode, r.Window = Digest, config.Duration(time.Hour)
	opts := testOptions(&syncBuffer{})
	opts.Now = clk.Now
	startAlerter(t, b, []config.Alert{r}, opts)

	for i := range 3 {
		publish(t, b, setOf(happening(i)))
	}
	waitProcessed(t, b)
	time.Sleep(100 * time.Millisecond) // several ticks: nothing is due yet
	if n := rc.count(); n != 0 {
		t.Fatalf("%d messages before the window ended, want 0", n)
	}
	clk.Add(50*time.Minute - time.Second) // 10:59:59, the window is still open
	time.Sleep(100 * time.Millisecond)
	if n := rc.count(); n != 0 {
		t.Fatalf("%d messages before the window ended, want 0", n)
	}
	clk.Add(time.Second + digestGrace) // 11:00, the window ended
	checkFor(t, 5*time.Second, func() error { return countErr("digest", rc.count(), 1) })
	p := decodeWebhook(t, rc.requests()[0].Body)
	if p.Type != "dateline.alert.digest" || len(p.Data.Events) != 3 {
		t.Errorf("digest is %q with %d events, want dateline.alert.digest with 3", p.Type, len(p.Data.Events))
	}

	// An event in the next window, and a repeat of an old one (not listed again).
	publish(t, b, setOf(happening(9)))
	publish(t, b, setOf(happening(0)))
	waitProcessed(t, b)
	clk.Add(time.Hour)
	checkFor(t, 5*time.Second, func() error { return countErr("digest", rc.count(), 2) })
	p = decodeWebhook(t, rc.requests()[1].Body)
	if len(p.Data.Events) != 1 || p.Data.Events[0].ID != index.ClusterID(happening(9)) {
		t.Errorf("second digest lists %d events, want only ev9", len(p.Data.Events))
	}
	clk.Add(time.Hour)
	time.Sleep(100 * time.Millisecond)
	if n := rc.count(); n != 2 {
		t.Errorf("an empty window sent a message: %d messages, want 2", n)
	}
}

func TestThresholdWindow(t *testing.T) {
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	clk := &fakeClock{t: time.Date(2024, 10, 29, 10, 0, 0, 0, time.UTC)}
	r := rule("burst", "", webhookDest(rc.URL))
	r.Mode, r.Window, r.Threshold = Threshold, config.Duration(10*time.Minute), 3
	opts := testOptions(&syncBuffer{})
	opts.Now = clk.Now
	startAlerter(t, b, []config.Alert{r}, opts)

	n := 0
	send := func(k int) {
		for range k {
			publish(t, b, setOf(happening(n)))
			n++
		}
		waitProcessed(t, b)
	}
	send(2)
	clk.Add(11 * time.Minute) // the first two fall out of the window
	send(2)
	time.Sleep(100 * time.Millisecond)
	if c := rc.count(); c != 0 {
		t.Fatalf("%d messages with only 2 events inside the window, want 0", c)
	}
	clk.Add(time.Minute)
	send(1) // three within ten minutes
	checkFor(t, 5*time.Second, func() error { return countErr("threshold", rc.count(), 1) })
	p := decodeWebhook(t, rc.requests()[0].Body)
	if p.Type != "dateline.alert.threshold" || len(p.Data.Events) != 3 || p.Data.Events[0].ID != index.ClusterID(happening(2)) {
		t.Errorf("threshold message is %q with %d events, want 3 from ev2", p.Type, len(p.Data.Events))
	}
	send(2) // counting starts afresh
	time.Sleep(100 * time.Millisecond)
	if c := rc.count(); c != 1 {
		t.Errorf("%d messages after 2 more events, want 1", c)
	}
}

// TestLateClaimJoinsCurrentWindow: a claim redone after its digest window
// ended (a redelivery) puts the event into the current window, since the
// old one may be sent already.
func TestLateClaimJoinsCurrentWindow(t *testing.T) {
	b := bustest.New(t, "")
	clk := &fakeClock{t: time.Date(2024, 10, 29, 12, 30, 0, 0, time.UTC)}
	r := rule("hourly", "", webhookDest("https://hooks.example/h"))
	r.Mode, r.Window = Digest, config.Duration(time.Hour)
	opts := testOptions(&syncBuffer{})
	opts.Now = clk.Now
	a, err := New(b.JS, []config.Alert{r}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := a.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	c := a.reg.byName("hourly")
	for _, at := range []time.Time{time.Date(2024, 10, 29, 10, 10, 0, 0, time.UTC), clk.Now()} {
		if err := a.emit(ctx, c, happening(0), "x"+at.Format("150405"), seen{At: at}); err != nil {
			t.Fatal(err)
		}
	}
	ks, err := keys(ctx, a.st.windows, "digest.>")
	if err != nil {
		t.Fatal(err)
	}
	end := fmt.Sprintf(".%d.", time.Date(2024, 10, 29, 13, 0, 0, 0, time.UTC).Unix())
	if len(ks) != 2 || !strings.Contains(ks[0], end) || !strings.Contains(ks[1], end) {
		t.Errorf("window entries %v, want both in the window ending 13:00 (%s)", ks, end)
	}
}
