package alert

import (
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
	clk.Add(50 * time.Minute) // 11:00, the window ends
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
