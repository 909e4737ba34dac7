package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

func serve(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerRules(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	cfgRule := rule("from-config", "treaty", config.Destination{Kind: KindSlack, URL: "https://hooks.slack.example/services/T1/B1/cfgsecret"})
	h, err := NewHandler(context.Background(), b.JS, []config.Alert{cfgRule}, HandlerOptions{MaxBodyBytes: 4096, Env: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	good := `{"name":"arms","query":"shells","types":["arms_transfer"],"destinations":[{"kind":"webhook","url":"https://hooks.example/p/apisecret","secret":"` + testSecret + `"},{"kind":"telegram","token":"123:tgsecret","chat_id":"-1"}]}`
	steps := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"create", "POST", "/api/v1/alerts", good, 201, `"url":"https://hooks.example/***"`},
		{"replace", "POST", "/api/v1/alerts", good, 200, `"secret":"***"`},
		{"get", "GET", "/api/v1/alerts/arms", "", 200, `"token":"***"`},
		{"list", "GET", "/api/v1/alerts", "", 200, `"source":"config"`},
		{"bad query", "POST", "/api/v1/alerts", `{"name":"x","query":"/re.*/","destinations":[{"kind":"slack","url":"https://h.example/a"}]}`, 400, `"param":"query"`},
		{"bad destination", "POST", "/api/v1/alerts", `{"name":"x","destinations":[{"kind":"slack","url":"nope-secret"}]}`, 400, `"param":"destinations.0.url"`},
		{"unknown key", "POST", "/api/v1/alerts", `{"name":"x","colour":"red"}`, 400, `colour`},
		{"too large", "POST", "/api/v1/alerts", `{"name":"` + strings.Repeat("x", 5000) + `"}`, 413, `over the limit of 4096 bytes`},
		{"config rule is read-only", "POST", "/api/v1/alerts", strings.Replace(good, `"arms"`, `"from-config"`, 1), 409, `"param":"name"`},
		{"cannot delete config rule", "DELETE", "/api/v1/alerts/from-config", "", 409, `config file`},
		{"missing", "GET", "/api/v1/alerts/none", "", 404, `"param":"name"`},
		{"bad status", "GET", "/api/v1/alerts/deliveries?status=sent", "", 400, `"param":"status"`},
		{"replay missing", "POST", "/api/v1/alerts/deliveries/nope/replay", "", 404, `"param":"id"`},
		{"delete", "DELETE", "/api/v1/alerts/arms", "", 204, ``},
		{"deleted", "GET", "/api/v1/alerts/arms", "", 404, ``},
	}
	var all strings.Builder
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			rec := serve(t, h, s.method, s.path, s.body)
			all.WriteString(rec.Body.String())
			if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.contains) {
				t.Errorf("%s %s = %d %s; want %d containing %s", s.method, s.path, rec.Code, rec.Body, s.status, s.contains)
			}
			if rec.Code >= 400 && (strings.Contains(rec.Body.String(), `"param":""`) || rec.Header().Get("Content-Type") != "application/json; charset=utf-8") {
				t.Errorf("%s %s: error %s (%s), want the API's shape: param only when one is at fault", s.method, s.path, rec.Body, rec.Header().Get("Content-Type"))
			}
		})
	}
	assertNoSecrets(t, all.String(), "apisecret", "tgsecret", "cfgsecret", "nope-secret", testSecret)
}

// A client that read a rule (secrets redacted) and posts it back changed
// keeps the stored secrets.
func TestHandlerKeepsRedactedSecrets(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	h, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	good := `{"name":"arms","destinations":[{"kind":"webhook","url":"https://hooks.example/p/apisecret","secret":"` + testSecret + `"}]}`
	if rec := serve(t, h, "POST", "/api/v1/alerts", good); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	got := serve(t, h, "GET", "/api/v1/alerts/arms", "").Body.String()
	changed := strings.Replace(got, `"name":"arms"`, `"name":"arms","query":"shells"`, 1)
	changed = strings.Replace(changed, `,"source":"api"`, ``, 1)
	if rec := serve(t, h, "POST", "/api/v1/alerts", changed); rec.Code != 200 {
		t.Fatalf("replace with redacted secrets: %d %s", rec.Code, rec.Body)
	}
	stored, ok, err := h.find(context.Background(), "arms")
	if err != nil || !ok {
		t.Fatalf("find: %v %v", ok, err)
	}
	if d := stored.Destinations[0]; d.URL != "https://hooks.example/p/apisecret" || d.Secret != testSecret || stored.Query != "shells" {
		t.Errorf("stored rule lost its secrets or change: %+v", stored)
	}
}

// TestAPIRuleReachesAlerter: a rule created through the API is stored in
// JetStream KV, seen by a running alerter and by another API process,
// and alerts; deleted, it alerts no more.
func TestAPIRuleReachesAlerter(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	a := startAlerter(t, b, nil, testOptions(&syncBuffer{}))
	h, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"name":"api-arms","query":"shells","destinations":[{"kind":"webhook","url":"` + rc.URL + `/hook","secret":"` + testSecret + `"}]}`
	if rec := serve(t, h, "POST", "/api/v1/alerts", body); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	other, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rec := serve(t, other, "GET", "/api/v1/alerts/api-arms", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"source":"api"`) {
		t.Errorf("another API process reads %d %s, want the stored rule", rec.Code, rec.Body)
	}
	waitRule(t, a, "api-arms", true)
	publish(t, b, setOf(happening(0)))
	wait.For(t, 5*time.Second, func() error { return countErr("api rule", rc.count(), 1) })

	if rec := serve(t, other, "DELETE", "/api/v1/alerts/api-arms", ""); rec.Code != 204 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	waitRule(t, a, "api-arms", false)
	publish(t, b, setOf(happening(1)))
	waitProcessed(t, b)
	time.Sleep(100 * time.Millisecond)
	if n := rc.count(); n != 1 {
		t.Errorf("%d requests after the rule was deleted, want 1", n)
	}
}

// TestHandlerTestSend: POST /api/v1/alerts/{name}/test sends the sample
// message of a config or API rule to each destination and reports each
// result without secrets; the handler's own SSRF guard applies.
func TestHandlerTestSend(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	var got atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		if strings.HasSuffix(r.URL.Path, "/broken") {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer recv.Close()
	noEnv := func(string) (string, bool) { return "", false }
	cfgRule := rule("from-config", "treaty", config.Destination{Kind: KindDiscord, URL: recv.URL + "/cfgsecret"})
	newHandler := func(allowPrivate bool) *Handler {
		h, err := NewHandler(context.Background(), b.JS, []config.Alert{cfgRule}, HandlerOptions{
			Env: noEnv, Test: Options{AllowPrivateNetworks: allowPrivate},
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h := newHandler(true)
	api := `{"name":"arms","query":"shells","destinations":[{"kind":"slack","url":"` + recv.URL + `/apisecret"},{"kind":"webhook","url":"` + recv.URL + `/broken","secret":"` + testSecret + `"}]}`
	if rec := serve(t, h, "POST", "/api/v1/alerts", api); rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}

	report := func(h *Handler, name string, wantStatus int) (TestReport, string) {
		t.Helper()
		rec := serve(t, h, "POST", "/api/v1/alerts/"+name+"/test", "")
		if rec.Code != wantStatus {
			t.Fatalf("test %s: %d %s, want %d", name, rec.Code, rec.Body, wantStatus)
		}
		var rep TestReport
		if wantStatus == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
				t.Fatalf("test %s: %v in %s", name, err, rec.Body)
			}
		}
		return rep, rec.Body.String()
	}

	rep, body := report(h, "arms", http.StatusOK)
	if rep.Alert != "arms" || rep.Source != "api" || rep.Failed != 1 || len(rep.Results) != 2 ||
		rep.Results[0].Status != 200 || rep.Results[0].Error != "" ||
		rep.Results[1].Status != 500 || rep.Results[1].Error == "" {
		t.Errorf("api rule report = %+v", rep)
	}
	if n := got.Swap(0); n != 2 {
		t.Errorf("receiver got %d requests, want 2", n)
	}
	assertNoSecrets(t, body, "apisecret", testSecret)

	rep, body = report(h, "from-config", http.StatusOK)
	if rep.Source != "config" || rep.Failed != 0 || len(rep.Results) != 1 || rep.Results[0].Status != 200 {
		t.Errorf("config rule report = %+v", rep)
	}
	if n := got.Swap(0); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
	assertNoSecrets(t, body, "cfgsecret")

	if _, body := report(h, "nope", http.StatusNotFound); !strings.Contains(body, `"param":"name"`) {
		t.Errorf("unknown rule: %s", body)
	}

	// Without allow_private_networks the loopback receiver is refused.
	rep, _ = report(newHandler(false), "arms", http.StatusOK)
	if rep.Failed != 2 || !strings.Contains(rep.Results[0].Error, "refusing to connect") {
		t.Errorf("guarded report = %+v", rep)
	}
	if n := got.Load(); n != 0 {
		t.Errorf("guarded: receiver got %d requests, want 0", n)
	}
}
