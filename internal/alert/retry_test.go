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

func TestRetriesAndDeadLetters(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	var fixed atomic.Bool // makes the 400 receiver accept, for the replay
	type dst struct {
		name    string
		kind    string
		rc      *receiver
		want    int    // requests expected
		status  string // final delivery status
		errPart string
		minGap  time.Duration // least time between first and last request
	}
	dsts := []*dst{
		{name: "ok200", kind: KindSlack, rc: newReceiver(t, nil), want: 1, status: StatusSent},
		{name: "ok204", kind: KindTeams, rc: newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }), want: 1, status: StatusSent},
		{name: "429", kind: KindMattermost, rc: newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
			}
		}), want: 2, status: StatusSent, minGap: time.Second},
		{name: "discord429", kind: KindDiscord, rc: newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.WriteHeader(429)
				fmt.Fprint(w, `{"message":"You are being rate limited.","retry_after":0.4,"global":false}`)
			}
		}), want: 2, status: StatusSent, minGap: 400 * time.Millisecond},
		{name: "500", kind: KindWebhook, rc: newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.WriteHeader(500)
			}
		}), want: 2, status: StatusSent},
		{name: "410", kind: KindSlack, rc: newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(410) }), want: 1, status: StatusFailed, errPart: "HTTP 410"},
		{name: "400", kind: KindDiscord, rc: newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			if !fixed.Load() {
				w.WriteHeader(400)
				fmt.Fprint(w, `{"message":"Cannot send an empty message"}`)
			}
		}), want: 1, status: StatusFailed, errPart: "HTTP 400"},
		{name: "hang", kind: KindWebhook, rc: newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }), want: 3, status: StatusFailed, errPart: "timeout"},
	}
	var dests []config.Destination
	var secrets []string
	for _, d := range dsts {
		secret := "sekrit" + d.name
		secrets = append(secrets, secret)
		cd := config.Destination{Kind: d.kind, URL: d.rc.hookURL(secret)}
		if d.kind == KindWebhook {
			cd.Secret = testSecret
		}
		dests = append(dests, cd)
	}
	r := rule("r", "", dests...)
	var logs syncBuffer
	a := startAlerter(t, b, []config.Alert{r}, testOptions(&logs))
	h, err := NewHandler(context.Background(), b.JS, []config.Alert{r}, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, b, setOf(sampleEvent("a1", "ev1")))

	byDest := map[string]*dst{}
	for i, d := range dsts {
		byDest[a.reg.byName("r").dests[i].id] = d
	}
	wait.For(t, 10*time.Second, func() error {
		for _, d := range dsts {
			if d.rc.count() < d.want {
				return fmt.Errorf("%s: %d requests, want %d", d.name, d.rc.count(), d.want)
			}
		}
		if n := len(deliveryList(t, h, StatusFailed)); n != 3 {
			return fmt.Errorf("%d failed deliveries, want 3", n)
		}
		return nil
	})
	for _, d := range dsts {
		t.Run(d.name, func(t *testing.T) {
			reqs := d.rc.requests()
			if len(reqs) != d.want {
				t.Errorf("%d requests, want %d", len(reqs), d.want)
			}
			if gap := reqs[len(reqs)-1].At.Sub(reqs[0].At); gap < d.minGap {
				t.Errorf("retried after %s, want at least %s (Retry-After)", gap, d.minGap)
			}
			if d.kind == KindWebhook {
				id := reqs[0].Header.Get("webhook-id")
				for _, r := range reqs {
					if r.Header.Get("webhook-id") != id {
						t.Errorf("webhook-id changed across retries: %s, %s", id, r.Header.Get("webhook-id"))
					}
				}
			}
		})
	}
	failed := deliveryList(t, h, StatusFailed)
	var replayID string
	for _, f := range failed {
		d := byDest[f.Destination]
		if d == nil || f.Status != d.status || !strings.Contains(f.LastError, d.errPart) {
			t.Errorf("failed delivery %+v does not match its destination", f)
			continue
		}
		if d.name == "400" {
			replayID = f.ID
		}
	}
	// 410 disabled the destination.
	gone := ""
	for id, d := range byDest {
		if d.name == "410" {
			gone = id
		}
	}
	if !a.disabled(context.Background(), gone) {
		t.Error("the destination that answered 410 is not disabled")
	}

	// Replay the 400 once its receiver is fixed.
	fixed.Store(true)
	rec := serve(t, h, http.MethodPost, "/api/v1/alerts/deliveries/"+replayID+"/replay", "")
	if rec.Code != http.StatusAccepted {
		t.Fatalf("replay: %d %s", rec.Code, rec.Body)
	}
	wait.For(t, 5*time.Second, func() error {
		if n := len(deliveryList(t, h, StatusFailed)); n != 2 {
			return fmt.Errorf("%d failed deliveries after replay, want 2", n)
		}
		d, _, err := a.st.getDelivery(context.Background(), replayID)
		if err != nil || d.Status != StatusSent {
			return fmt.Errorf("replayed delivery is %q (%v), want sent", d.Status, err)
		}
		return nil
	})
	var api strings.Builder
	api.WriteString(serve(t, h, http.MethodGet, "/api/v1/alerts/deliveries?status=failed", "").Body.String())
	api.WriteString(serve(t, h, http.MethodGet, "/api/v1/alerts", "").Body.String())
	assertNoSecrets(t, logs.String()+api.String(), secrets...)
	assertNoSecrets(t, logs.String()+api.String(), testSecret)
	if !strings.Contains(logs.String(), "alert failed") {
		t.Errorf("failures were not logged:\n%s", logs.String())
	}
}
