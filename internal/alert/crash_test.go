package alert

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// TestAlerterChild is the alerter process TestKillMidDeliveryExactlyOnce
// starts and kills; it does nothing in a normal test run. It sends every
// alert to one destination of kind ALERT_CHILD_KIND (webhook by default)
// at ALERT_CHILD_HOOK.
func TestAlerterChild(t *testing.T) {
	t.Parallel()
	natsURL, hook := os.Getenv("ALERT_CHILD_NATS"), os.Getenv("ALERT_CHILD_HOOK")
	if natsURL == "" {
		t.Skip("run by TestKillMidDeliveryExactlyOnce")
	}
	kind := cmp.Or(os.Getenv("ALERT_CHILD_KIND"), KindWebhook)
	dst := webhookDest(hook)
	if kind != KindWebhook {
		dst = config.Destination{Kind: kind, URL: hook}
	}
	ctx := context.Background()
	b, err := bus.Connect(ctx, natsURL, nil, "alerter-child")
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(os.Stderr)
	opts.Node = "child"
	opts.Limits = map[string]Limit{kind: {rate.Limit(20), 1}}
	// A request the receiver holds open stays in flight until the kill.
	opts.Timeout = 30 * time.Second
	a, err := New(b.JS, []config.Alert{rule("all", "", dst)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Run(ctx) // until killed
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestKillMidDeliveryExactlyOnce kills the alerter process with SIGKILL
// while the receiver holds a request open, restarts it, and checks what
// the receiver ends up with:
//
//   - a signed webhook whose receiver processed the held request (only
//     the answer was lost) gets it again after the restart, with the same
//     webhook-id and a fresh, valid timestamp and signature, and drops it
//     as a duplicate;
//   - a signed webhook whose receiver never answered the held request
//     (so never processed it) gets it again and processes it;
//   - a Slack channel that posted the held message does not get it again:
//     the delivery is listed as failed ("interrupted"), and replaying it
//     posts it.
//
// In every case each alert is processed exactly once (the replay of the
// chat case aside), the others go out after the restart, and a resent
// webhook's delivery is recorded as sent.
func TestKillMidDeliveryExactlyOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts child processes")
	}
	tests := []struct {
		name string
		kind string
		// processed says the receiver processes the held request before
		// the kill; otherwise it never answers it and counts it as not
		// processed.
		processed bool
	}{
		{"webhook/processed_answer_lost", KindWebhook, true},
		{"webhook/unanswered_not_processed", KindWebhook, false},
		{"slack/posted_answer_lost", KindSlack, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			killMidDelivery(t, tt.kind, tt.processed)
		})
	}
}

// crashRig is an embedded NATS server on a real port and the alerter
// child processes run against it.
type crashRig struct {
	t       *testing.T
	natsURL string
	kind    string
	hook    string

	mu    sync.Mutex // guards child
	child *exec.Cmd
}

// start runs a new alerter child process.
func (g *crashRig) start() {
	g.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAlerterChild$", "-test.v")
	cmd.Env = append(os.Environ(), "ALERT_CHILD_NATS="+g.natsURL, "ALERT_CHILD_HOOK="+g.hook, "ALERT_CHILD_KIND="+g.kind)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := cmd.Start(); err != nil {
		g.t.Fatal(err)
	}
	g.child = cmd
}

// kill sends SIGKILL to the running child and reaps it.
func (g *crashRig) kill() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.child == nil {
		return
	}
	_ = g.child.Process.Kill()
	_, _ = g.child.Process.Wait()
	g.child = nil
}

// heldReceiver is the receiver's record of what it processed. A Standard
// Webhooks receiver checks the signature and timestamp and drops a
// webhook-id it has processed; a chat channel posts what arrives.
type heldReceiver struct {
	mu        sync.Mutex     // guards the fields below
	processed map[string]int // per key (webhook-id, or the chat message's article): times processed
	dropped   int            // requests dropped as duplicates of a processed webhook-id
}

func killMidDelivery(t *testing.T, kind string, processHeld bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	addr := freeAddr(t)
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: t.TempDir(), Listen: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	b, err := bus.Connect(ctx, "nats://"+addr, nil, "parent")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Setup(ctx, 1); err != nil {
		t.Fatal(err)
	}
	secret, _ := decodeSecret(testSecret)

	const killAt = 4 // the request held open while the alerter is killed
	hr := &heldReceiver{processed: map[string]int{}}
	held := make(chan request, 1)
	var rc *receiver
	rc = newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) {
		req := rc.requests()[n-1]
		key, _, err := alertKey(kind, secret, req, time.Now())
		if err != nil {
			t.Errorf("request %d: %v", n, err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		hr.mu.Lock()
		switch {
		case kind == KindWebhook && hr.processed[key] > 0:
			hr.dropped++ // seen this webhook-id: acknowledge, do nothing
		case n != killAt || processHeld:
			hr.processed[key]++
		}
		hr.mu.Unlock()
		if n == killAt {
			held <- req
			// No answer: the sender is killed meanwhile, which ends the
			// request.
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	g := &crashRig{t: t, natsURL: "nats://" + addr, kind: kind, hook: rc.URL}
	defer g.kill()

	const n = 12
	for i := range n {
		publish(t, b, setOf(happening(i)))
	}
	g.start()
	var inFlight request
	select {
	case inFlight = <-held:
	case <-time.After(30 * time.Second):
		t.Fatalf("request %d never arrived (%d requests)", killAt, rc.count())
	}
	g.kill()
	heldKey, heldAlert, _ := alertKey(kind, secret, inFlight, time.Now())
	if kind == KindWebhook {
		// Restart in the next second, so a fresh timestamp differs.
		ts, _ := strconv.ParseInt(inFlight.Header.Get("webhook-timestamp"), 10, 64)
		time.Sleep(time.Until(time.Unix(ts+1, 0)))
	}
	g.start()
	for i := n; i < n+3; i++ { // and some more after the restart
		publish(t, b, setOf(happening(i)))
	}
	h, err := NewHandler(ctx, b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wait.For(t, 30*time.Second, func() error {
		hr.mu.Lock()
		defer hr.mu.Unlock()
		if len(hr.processed) < n+3 {
			return fmt.Errorf("%d of %d alerts processed", len(hr.processed), n+3)
		}
		return nil
	})
	time.Sleep(200 * time.Millisecond) // room for a duplicate to show up
	hr.mu.Lock()
	for key, c := range hr.processed {
		if c != 1 {
			t.Errorf("alert %s processed %d times, want once", key, c)
		}
	}
	dropped := hr.dropped
	hr.mu.Unlock()

	if kind != KindWebhook {
		checkInterruptedReplayable(t, h, hr, heldKey)
		return
	}
	wantDropped := 0
	if processHeld {
		wantDropped = 1 // the resend of the held request
	}
	if dropped != wantDropped {
		t.Errorf("receiver dropped %d duplicates, want %d", dropped, wantDropped)
	}
	checkResent(t, secret, rc.requests(), inFlight, heldKey, heldAlert, n+3)
	checkSent(t, b, heldKey)
	for _, status := range []string{StatusFailed, StatusPending} {
		if l := deliveryList(t, h, status); len(l) != 0 {
			t.Errorf("%s deliveries = %+v, want none", status, l)
		}
	}
}

// checkResent checks the webhook requests: each alert under one
// webhook-id, alerts of them all, and the held one sent once more with
// its webhook-id and a later timestamp.
func checkResent(t *testing.T, secret []byte, reqs []request, inFlight request, heldKey, heldAlert string, alerts int) {
	t.Helper()
	ids := map[string]map[string]bool{} // alert (merged event id) → webhook-ids
	var again []request
	for _, r := range reqs {
		key, alert, err := alertKey(KindWebhook, secret, r, r.At)
		if err != nil {
			t.Fatal(err)
		}
		if ids[alert] == nil {
			ids[alert] = map[string]bool{}
		}
		ids[alert][key] = true
		if alert == heldAlert && r.At.After(inFlight.At) {
			again = append(again, r)
		}
	}
	if len(ids) != alerts {
		t.Errorf("%d distinct alerts, want %d", len(ids), alerts)
	}
	for alert, keys := range ids {
		if len(keys) != 1 {
			t.Errorf("alert %s sent under %d webhook-ids, want one", alert, len(keys))
		}
	}
	if len(again) != 1 {
		t.Fatalf("the held alert was sent %d more times after the kill, want once", len(again))
	}
	if got := again[0].Header.Get("webhook-id"); got != heldKey {
		t.Errorf("resent webhook-id = %s, want %s", got, heldKey)
	}
	was, _ := strconv.ParseInt(inFlight.Header.Get("webhook-timestamp"), 10, 64)
	now, _ := strconv.ParseInt(again[0].Header.Get("webhook-timestamp"), 10, 64)
	if now <= was {
		t.Errorf("resent webhook-timestamp = %d, want later than the first, %d", now, was)
	}
	if again[0].Header.Get("webhook-signature") == inFlight.Header.Get("webhook-signature") {
		t.Error("resent webhook-signature is the first one's, want a fresh one")
	}
}

// checkSent checks that the delivery sent as webhook-id heldKey is
// recorded as sent after two attempts.
func checkSent(t *testing.T, b *bus.Bus, heldKey string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := openStores(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys(ctx, st.deliveries, ">")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		if webhookID(k) != heldKey {
			continue
		}
		d, _, err := st.getDelivery(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != StatusSent || d.Attempts != 2 || d.LastError != "" {
			t.Errorf("held delivery: status %q, %d attempts, last error %q; want sent after 2 attempts, no error", d.Status, d.Attempts, d.LastError)
		}
		return
	}
	t.Errorf("no delivery record for webhook-id %s", heldKey)
}

// checkInterruptedReplayable checks that the chat message in flight is
// the one failed delivery, marked interrupted, and that replaying it
// posts it again.
func checkInterruptedReplayable(t *testing.T, h http.Handler, hr *heldReceiver, heldKey string) {
	t.Helper()
	failed := deliveryList(t, h, StatusFailed)
	if len(failed) != 1 || failed[0].Events[0].Article.URL != heldKey || !strings.Contains(failed[0].LastError, "interrupted") {
		t.Fatalf("failed deliveries = %+v, want the one in flight (%s) marked interrupted", failed, heldKey)
	}
	if rec := serve(t, h, http.MethodPost, "/api/v1/alerts/deliveries/"+failed[0].ID+"/replay", ""); rec.Code != http.StatusAccepted {
		t.Fatalf("replay: %d %s", rec.Code, rec.Body)
	}
	wait.For(t, 10*time.Second, func() error {
		hr.mu.Lock()
		defer hr.mu.Unlock()
		if c := hr.processed[heldKey]; c != 2 {
			return fmt.Errorf("replayed message posted %d times in all, want 2", c)
		}
		return nil
	})
	if l := deliveryList(t, h, StatusFailed); len(l) != 0 {
		t.Errorf("failed deliveries after the replay = %+v, want none", l)
	}
}

// articleLink finds the article of a chat message about happening(i).
var articleLink = regexp.MustCompile(`https://news\.example/a\d+`)

// alertKey returns what a receiver of kind deduplicates req on (its
// webhook-id; a chat channel has none, so the message's article), and
// which alert it carries (the merged event, or the article). A webhook
// must carry a valid signature and a timestamp within five minutes of at.
func alertKey(kind string, secret []byte, req request, at time.Time) (key, alert string, err error) {
	if kind != KindWebhook {
		link := articleLink.Find(req.Body)
		if link == nil {
			return "", "", fmt.Errorf("no article link in %s", req.Body)
		}
		return string(link), string(link), nil
	}
	if err := verifyWebhook(req.Header, req.Body, secret, at); err != nil {
		return "", "", err
	}
	var p webhookPayload
	if err := json.Unmarshal(req.Body, &p); err != nil || len(p.Data.Events) == 0 {
		return "", "", fmt.Errorf("webhook body without events (%v): %s", err, req.Body)
	}
	return req.Header.Get("webhook-id"), p.Data.Events[0].ID, nil
}

// verifyWebhook checks a Standard Webhooks request as a receiver does:
// a timestamp within five minutes of now and one v1 signature that is
// the HMAC-SHA256 of "id.timestamp.body".
func verifyWebhook(h http.Header, body, secret []byte, now time.Time) error {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" {
		return errors.New("no webhook-id")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q: %w", ts, err)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("webhook-timestamp %s is %s off", ts, d)
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		v, raw, _ := strings.Cut(sig, ",")
		got, err := base64.StdEncoding.DecodeString(raw)
		if v == "v1" && err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("no valid signature for webhook-id %s", id)
}
