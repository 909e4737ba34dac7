package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
)

// receiver is a local webhook endpoint that answers every request with
// status and counts them.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex // guards hits
	hits int
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		r.hits++
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

// take returns the requests received since the last call.
func (r *receiver) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.hits
	r.hits = 0
	return n
}

// addAlert creates a rule through POST /api/v1/alerts.
func addAlert(t *testing.T, base, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/alerts", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/alerts: %s", resp.Status)
	}
}

// cliConfig writes a config file for "alerts test": local receivers need
// allow_private_networks; extra is appended (alert rules).
func cliConfig(t *testing.T, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dateline.yaml")
	if err := os.WriteFile(path, []byte("fetch:\n  allow_private_networks: true\n"+extra), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAlertsTestFindsAPIRules: "alerts test NAME" finds a rule created
// through /api/v1/alerts in the embedded store of --data (or, while a
// service holds it, asks that service to send), prefers a config rule of the same name, reports
// each destination and exits 1 when any failed, 0 when all succeeded.
func TestAlertsTestFindsAPIRules(t *testing.T) {
	t.Parallel()
	good, bad := newReceiver(t, http.StatusOK), newReceiver(t, http.StatusInternalServerError)
	cfg := apiConfig(t)
	cfg.Fetch.AllowPrivateNetworks = true // the receivers are on loopback
	base, stop := startService(t, cfg)
	addAlert(t, base, `{"name":"strikes","query":"strike","destinations":[`+
		`{"kind":"slack","url":"`+good.URL+`/slack"},{"kind":"mattermost","url":"`+bad.URL+`/mm"}]}`)
	addAlert(t, base, `{"name":"treaties","types":["treaty_signing"],"destinations":[`+
		`{"kind":"webhook","url":"`+good.URL+`/hook","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]}`)
	conf := cliConfig(t, "")
	data := func(name string) []string {
		return []string{"alerts", "test", "--config", conf, "--data", cfg.DataDir, name}
	}

	// The running service holds the embedded store: no second server on
	// it; the running service is asked to send instead.
	served := append([]string{"alerts", "test", "--server", base, "--token", "t0ken"}, data("strikes")[2:]...)
	code, out, errs := runCLI(t, "", served...)
	if code != 1 || !strings.Contains(out, "ok   slack "+good.URL+"/***: HTTP 200") ||
		!strings.Contains(out, "FAIL mattermost "+bad.URL+"/***: ") ||
		!strings.Contains(errs, `alert "strikes" (api): 1 of 2 destinations failed`) {
		t.Errorf("while serving, through the service: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if g, b := good.take(), bad.take(); g != 1 || b != 1 {
		t.Errorf("while serving: receivers got %d and %d requests, want 1 and 1", g, b)
	}
	// A wrong token: the service refuses, and the error says both why the
	// store was out of reach and what the service answered.
	wrong := append([]string{"alerts", "test", "--server", base, "--token", "nope"}, data("strikes")[2:]...)
	code, _, errs = runCLI(t, "", wrong...)
	if code != 1 || !strings.Contains(errs, "in use by another dateline process") || !strings.Contains(errs, cfg.DataDir) ||
		!strings.Contains(errs, "401") {
		t.Errorf("while serving, wrong token: exit %d, stderr %q; want 1 naming the data dir in use and the 401", code, errs)
	}
	if g, b := good.take(), bad.take(); g != 0 || b != 0 {
		t.Errorf("wrong token: receivers got %d and %d requests, want none", g, b)
	}
	stop()

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
		good     int // requests the good receiver gets
		bad      int
	}{
		{"one destination fails", data("strikes"), 1,
			[]string{"ok   slack " + good.URL + "/***: HTTP 200", "FAIL mattermost " + bad.URL + "/***: "},
			[]string{`alert "strikes" (api): 1 of 2 destinations failed`}, 1, 1},
		{"all delivered", data("treaties"), 0,
			[]string{"ok   webhook " + good.URL + "/***: HTTP 200"}, nil, 1, 0},
		{"config rule first", []string{"alerts", "test", "--config", cliConfig(t, "alerts:\n  - name: strikes\n    destinations:\n      - kind: discord\n        url: "+good.URL+"/discord\n"), "--data", cfg.DataDir, "strikes"}, 0,
			[]string{"ok   discord " + good.URL + "/***: HTTP 200"}, nil, 1, 0},
		{"unknown rule", data("nope"), 1, nil,
			[]string{`alert "nope": no such alert in the configuration, nor among the rules added through the API (in the embedded store under ` + cfg.DataDir + `)`}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, tt.wantCode, out, errs)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout %q lacks %q", out, w)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
			if g, b := good.take(), bad.take(); g != tt.good || b != tt.bad {
				t.Errorf("receivers got %d and %d requests, want %d and %d", g, b, tt.good, tt.bad)
			}
		})
	}

	// A data directory with no store yet holds no API rules, and is left
	// as it was.
	empty := t.TempDir()
	code, _, errs = runCLI(t, "", "alerts", "test", "--config", conf, "--data", empty, "strikes")
	if code != 1 || !strings.Contains(errs, "no such alert") {
		t.Errorf("empty data dir: exit %d, stderr %q", code, errs)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("alerts test created %v in an empty data dir", entries)
	}
}

// TestAlertsTestOverNATS: with --nats, "alerts test" reads the API rules
// of a running service on that NATS server.
func TestAlertsTestOverNATS(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: t.TempDir(), Listen: "127.0.0.1:-1"}) // -1: a free port (NATS reads 0 as 4222)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	}()
	good := newReceiver(t, http.StatusNoContent)
	cfg := apiConfig(t)
	cfg.NATS.URL = ns.ClientURL()
	cfg.NATS.Node = "api-1"
	base, stop := startService(t, cfg)
	defer stop()
	addAlert(t, base, `{"name":"sanctions","types":["sanction"],"destinations":[{"kind":"teams","url":"`+good.URL+`/teams"}]}`)

	code, out, errs := runCLI(t, "", "alerts", "test", "--config", cliConfig(t, ""), "--nats", ns.ClientURL(), "sanctions")
	if code != 0 || !strings.Contains(out, "ok   teams "+good.URL+"/***: HTTP 204") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the teams destination ok", code, out, errs)
	}
	if n := good.take(); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
	code, _, errs = runCLI(t, "", "alerts", "test", "--config", cliConfig(t, ""), "--nats", ns.ClientURL(), "nope")
	if code != 1 || !strings.Contains(errs, "no such alert") || !strings.Contains(errs, "on NATS "+ns.ClientURL()) {
		t.Errorf("unknown rule: exit %d, stderr %q", code, errs)
	}
}
