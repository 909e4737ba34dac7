package service_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// TestAlertsEndToEnd: a rule on treaties posts the treaty read from a feed
// to a webhook, once, and the API lists the rule behind the admin token.
func TestAlertsEndToEnd(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	cfg.Alerts = []config.Alert{{
		Name: "treaties", Query: "treaty", Types: []string{"treaty_signing"},
		Destinations: []config.Destination{{Kind: "webhook", URL: hook.URL + "/hook", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}},
	}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	svc := start(t, cfg)
	defer stop(t, svc)
	wait.For(t, 60*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(got) == 0 {
			return io.EOF
		}
		return nil
	})
	time.Sleep(2 * time.Second) // more polls: still one alert
	mu.Lock()
	n := len(got)
	mu.Unlock()
	if n != 1 {
		t.Errorf("webhook received %d alerts, want 1", n)
	}
	base := "http://" + svc.Addr().String()
	if code, _ := do(t, "GET", base+"/api/v1/alerts", "", ""); code != http.StatusUnauthorized {
		t.Errorf("alerts without token = %d, want 401", code)
	}
	code, body := do(t, "GET", base+"/api/v1/alerts", "tok", "")
	if code != 200 || !contains(body, "treaties") || contains(body, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") {
		t.Errorf("alerts = %d %s (must list the rule, never the secret)", code, body)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestAlertOnSavedSearch: a rule names a saved search created later
// through the API; it alerts on what the search matches and nothing else.
func TestAlertOnSavedSearch(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer hook.Close()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	world := cfg.Feeds[0]
	cfg.Feeds = nil
	cfg.Alerts = []config.Alert{{Name: "strikes", Search: "kharkiv-strikes",
		Destinations: []config.Destination{{Kind: "mattermost", URL: hook.URL}}}}
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	if code, b := do(t, "POST", base+"/api/v1/searches", "tok", `{"name":"kharkiv-strikes","query":"type=military_strike&place=Kharkiv"}`); code != 201 {
		t.Fatalf("save search = %d %s", code, b)
	}
	if code, b := do(t, "POST", base+"/api/v1/feeds", "tok", `{"url":"`+world.URL+`"}`); code != 201 {
		t.Fatalf("add feed = %d %s", code, b)
	}
	wait.For(t, 60*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(bodies) == 0 {
			return io.EOF
		}
		return nil
	})
	time.Sleep(time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], "Kharkiv") {
		t.Errorf("webhook got %d messages %q, want the Kharkiv strike only", len(bodies), bodies)
	}
}
