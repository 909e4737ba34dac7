package alert

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
)

// TestAlerterChild is the alerter process TestKillMidDeliveryExactlyOnce
// starts and kills; it does nothing in a normal test run.
func TestAlerterChild(t *testing.T) {
	natsURL, hook := os.Getenv("ALERT_CHILD_NATS"), os.Getenv("ALERT_CHILD_HOOK")
	if natsURL == "" {
		t.Skip("run by TestKillMidDeliveryExactlyOnce")
	}
	ctx := context.Background()
	b, err := bus.Connect(ctx, natsURL, nil, "alerter-child")
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(os.Stderr)
	opts.Node = "child"
	opts.Limits = map[string]Limit{KindWebhook: {rate.Limit(20), 1}}
	a, err := New(b.JS, []config.Alert{rule("all", "", webhookDest(hook))}, opts)
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
// while a request is in flight, restarts it, and checks that every alert
// arrived exactly once: the one in flight is not sent again but listed as
// failed ("interrupted"), the rest go out after the restart.
func TestKillMidDeliveryExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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

	const killAt = 4
	var (
		mu      sync.Mutex // guards child and arrived
		child   *exec.Cmd
		arrived = map[string]int{}
		inDoubt string
	)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) {})
	rc.respond = func(n int, w http.ResponseWriter, _ *http.Request) {
		p := decodeWebhook(t, rc.requests()[n-1].Body)
		id := p.Data.Events[0].ID
		mu.Lock()
		arrived[id]++
		if n == killAt { // the request has arrived; its sender dies before the answer
			inDoubt = id
			_ = child.Process.Kill()
			_, _ = child.Process.Wait()
		}
		mu.Unlock()
	}

	start := func() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAlerterChild$", "-test.v")
		cmd.Env = append(os.Environ(), "ALERT_CHILD_NATS=nats://"+addr, "ALERT_CHILD_HOOK="+rc.URL)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		mu.Lock()
		child = cmd
		mu.Unlock()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	const n = 12
	for i := range n {
		publish(t, b, setOf(happening(i)))
	}
	start()
	checkFor(t, 20*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if inDoubt == "" {
			return fmt.Errorf("child not killed yet (%d requests)", rc.count())
		}
		return nil
	})
	start()
	defer func() {
		mu.Lock()
		_ = child.Process.Kill()
		_, _ = child.Process.Wait()
		mu.Unlock()
	}()
	for i := n; i < n+3; i++ { // and some more after the restart
		publish(t, b, setOf(happening(i)))
	}
	h, err := NewHandler(ctx, b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFor(t, 20*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(arrived) < n+3 {
			return fmt.Errorf("%d of %d alerts arrived", len(arrived), n+3)
		}
		return nil
	})
	time.Sleep(200 * time.Millisecond) // room for a duplicate to show up
	mu.Lock()
	for id, c := range arrived {
		if c != 1 {
			t.Errorf("alert for %s arrived %d times, want once", id, c)
		}
	}
	mu.Unlock()
	failed := deliveryList(t, h, StatusFailed)
	if len(failed) != 1 || failed[0].Events[0].ID != inDoubt || !strings.Contains(failed[0].LastError, "interrupted") {
		t.Errorf("failed deliveries = %+v, want the one in flight (%s) marked interrupted", failed, inDoubt)
	}
}
