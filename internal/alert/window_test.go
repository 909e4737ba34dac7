package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

func TestDigestWindows(t *testing.T) {
	t.Parallel()
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
	wait.For(t, 5*time.Second, func() error { return countErr("digest", rc.count(), 1) })
	p := decodeWebhook(t, rc.requests()[0].Body)
	if p.Type != "dateline.alert.digest" || len(p.Data.Events) != 3 {
		t.Errorf("digest is %q with %d events, want dateline.alert.digest with 3", p.Type, len(p.Data.Events))
	}

	// An event in the next window, and a repeat of an old one (not listed again).
	publish(t, b, setOf(happening(9)))
	publish(t, b, setOf(happening(0)))
	waitProcessed(t, b)
	clk.Add(time.Hour)
	wait.For(t, 5*time.Second, func() error { return countErr("digest", rc.count(), 2) })
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
	t.Parallel()
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
	wait.For(t, 5*time.Second, func() error { return countErr("threshold", rc.count(), 1) })
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

// digestAlerter is an alerter that is not running, on clk, with the
// hourly digest rule "hourly" sending to two webhooks.
func digestAlerter(t *testing.T, clk *fakeClock) (*Alerter, *compiled) {
	t.Helper()
	b := bustest.New(t, "")
	r := rule("hourly", "", webhookDest("https://hooks.example/a"), webhookDest("https://hooks.example/b"))
	r.Mode, r.Window = Digest, config.Duration(time.Hour)
	opts := testOptions(&syncBuffer{})
	opts.Now = clk.Now
	a, err := New(b.JS, []config.Alert{r}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := a.reg.byName("hourly")
	if len(c.dests) != 2 {
		t.Fatalf("rule has %d destinations, want 2", len(c.dests))
	}
	return a, c
}

// claimDigest claims event i for c as the merged event c<i>.
func claimDigest(t *testing.T, a *Alerter, c *compiled, i int) {
	t.Helper()
	if err := a.claimAs(context.Background(), c, happening(i), fmt.Sprintf("c%d", i), "fp", ""); err != nil {
		t.Fatal(err)
	}
}

// crashBeforeDone sets the seen mark of event i back to not done, as a
// crash after its window entry was written and before the mark was done
// leaves it: the message is then redelivered and claimed again.
func crashBeforeDone(t *testing.T, a *Alerter, c *compiled, i int) {
	t.Helper()
	ctx, key := context.Background(), fmt.Sprintf("%s.c%d", c.id, i)
	e, err := a.st.seen.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	var st seen
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		t.Fatal(err)
	}
	st.Done = false
	raw, _ := json.Marshal(st)
	if _, err := a.st.seen.Put(ctx, key, raw); err != nil {
		t.Fatal(err)
	}
}

// flushAt moves clk to at and flushes the digests.
func flushAt(t *testing.T, a *Alerter, clk *fakeClock, at time.Time) {
	t.Helper()
	clk.Set(at)
	if err := a.flushDigests(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// checkDigested fails unless each destination of c has each event i of
// want in exactly one digest, and no other event, and no window entry is
// left.
func checkDigested(t *testing.T, a *Alerter, c *compiled, want ...int) {
	t.Helper()
	ctx := context.Background()
	ks, err := keys(ctx, a.st.deliveries, ">")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{} // <dest> <event id>
	for _, k := range ks {
		d, _, err := a.st.getDelivery(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if d.Type != kindDigest {
			t.Errorf("delivery %s is a %s, want only digests", k, d.Type)
		}
		for _, e := range d.Events {
			got[d.Destination+" "+e.ID]++
		}
	}
	wantN := map[string]int{}
	for _, d := range c.dests {
		for _, i := range want {
			wantN[d.id+" "+happening(i).ID] = 1
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(wantN) {
		t.Errorf("digests list (destination, event) %v times, want %v", got, wantN)
	}
	if left, err := keys(ctx, a.st.windows, "digest.>"); err != nil || len(left) != 0 {
		t.Errorf("window entries left: %v (%v)", left, err)
	}
}

var (
	at1010 = time.Date(2024, 10, 29, 10, 10, 0, 0, time.UTC)
	at1100 = time.Date(2024, 10, 29, 11, 0, 0, 0, time.UTC) // the end of the window of at1010
	at1200 = at1100.Add(time.Hour)
	at1300 = at1200.Add(time.Hour)
)

// TestRedeliveryBeforeFlushDigestsOnce: a claim redone after its window
// ended but before the window was sent leaves the event in that window
// instead of adding it to the current one too.
func TestRedeliveryBeforeFlushDigestsOnce(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: at1010}
	a, c := digestAlerter(t, clk)
	claimDigest(t, a, c, 0)
	crashBeforeDone(t, a, c, 0)
	clk.Set(at1100.Add(2 * time.Second)) // ended, not sent yet (digestGrace)
	claimDigest(t, a, c, 0)
	flushAt(t, a, clk, at1100.Add(digestGrace+time.Second))
	flushAt(t, a, clk, at1200.Add(digestGrace+time.Second))
	checkDigested(t, a, c, 0)
}

// TestRedeliveryAfterFlushDigestsOnce: a claim redone after its window was
// sent with the event does not put it into the current window again.
func TestRedeliveryAfterFlushDigestsOnce(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: at1010}
	a, c := digestAlerter(t, clk)
	claimDigest(t, a, c, 0)
	crashBeforeDone(t, a, c, 0)
	flushAt(t, a, clk, at1100.Add(digestGrace+time.Second))
	clk.Set(at1100.Add(30 * time.Minute))
	claimDigest(t, a, c, 0)
	flushAt(t, a, clk, at1200.Add(digestGrace+time.Second))
	checkDigested(t, a, c, 0)
}

// TestLateClaimJoinsCurrentWindow: a claim whose first try never wrote the
// window entry, redone after the window ended, puts the event into the
// current window; that choice is kept in the seen mark, so a further redo
// after the current window was sent too does not send it a third time.
func TestLateClaimJoinsCurrentWindow(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: at1010}
	a, c := digestAlerter(t, clk)
	ctx := context.Background()
	// The first try crashed after its seen mark, before the window entry.
	raw, _ := json.Marshal(seen{FP: "fp", At: at1010})
	if _, err := a.st.seen.Create(ctx, c.id+".c0", raw); err != nil {
		t.Fatal(err)
	}
	clk.Set(at1100.Add(30 * time.Minute))
	claimDigest(t, a, c, 0)
	ks, err := keys(ctx, a.st.windows, "digest.>")
	if err != nil {
		t.Fatal(err)
	}
	if want := digestKey(c, at1200, "ec0"); len(ks) != 1 || ks[0] != want {
		t.Errorf("window entries %v, want %s (the window ending 12:00)", ks, want)
	}
	crashBeforeDone(t, a, c, 0)
	flushAt(t, a, clk, at1200.Add(digestGrace+time.Second))
	clk.Set(at1200.Add(30 * time.Minute))
	claimDigest(t, a, c, 0)
	flushAt(t, a, clk, at1300.Add(digestGrace+time.Second))
	checkDigested(t, a, c, 0)
}

// TestSlowWindowWriteIsSent: a window entry written after its window was
// sent (a claim made before the end whose write took longer than
// digestGrace) goes out in a further part of that window's digest,
// instead of being dropped because the window's delivery exists; a flush
// repeated after that sends nothing again.
func TestSlowWindowWriteIsSent(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: at1010}
	a, c := digestAlerter(t, clk)
	ctx := context.Background()
	claimDigest(t, a, c, 0)
	clk.Set(at1100.Add(-time.Second))
	claimDigest(t, a, c, 1)
	// Hold back event 1's write until the window has been sent.
	key := digestKey(c, at1100, "ec1")
	e, err := a.st.windows.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.st.windows.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	flushAt(t, a, clk, at1100.Add(digestGrace+time.Second))
	if _, err := a.st.windows.Put(ctx, key, e.Value()); err != nil {
		t.Fatal(err)
	}
	flushAt(t, a, clk, at1100.Add(digestGrace+2*time.Second))
	flushAt(t, a, clk, at1200.Add(digestGrace+time.Second))
	checkDigested(t, a, c, 0, 1)
	for _, d := range c.dests {
		p, _, err := a.st.getDelivery(ctx, d.id+"."+c.id+"."+digestSubject(at1100.Unix(), 2))
		if err != nil {
			t.Fatalf("second part of the 11:00 digest to %s: %v", d.id, err)
		}
		if len(p.Events) != 1 || p.Events[0].ID != happening(1).ID {
			t.Errorf("second part to %s lists %d events, want only ev1", d.id, len(p.Events))
		}
	}
}

// TestDigestFlushCrashBetweenDestinations: a flush that stopped after the
// first destination's record of a part is finished by the next one, with
// the same events, and nothing is sent twice.
func TestDigestFlushCrashBetweenDestinations(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: at1010}
	a, c := digestAlerter(t, clk)
	ctx := context.Background()
	claimDigest(t, a, c, 0)
	clk.Set(at1100.Add(digestGrace + time.Second))
	entries, err := a.loadWindow(ctx, []string{digestKey(c, at1100, "ec0")})
	if err != nil || len(entries) != 1 {
		t.Fatalf("window entries %v (%v), want 1", entries, err)
	}
	p := Delivery{ID: c.dests[0].id + "." + c.id + "." + digestSubject(at1100.Unix(), 1),
		Events: []event.Event{entries[0].Event}, Entries: []string{"ec0"}}
	if err := a.deliverPart(ctx, c, p, c.dests[:1]); err != nil {
		t.Fatal(err)
	}
	flushAt(t, a, clk, at1100.Add(digestGrace+2*time.Second))
	checkDigested(t, a, c, 0)
}
