package alert

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
)

func serve(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerRules(t *testing.T) {
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
		{"too large", "POST", "/api/v1/alerts", `{"name":"` + strings.Repeat("x", 5000) + `"}`, 413, `larger than`},
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
		})
	}
	assertNoSecrets(t, all.String(), "apisecret", "tgsecret", "cfgsecret", "nope-secret", testSecret)
}

// A client that read a rule (secrets redacted) and posts it back changed
// keeps the stored secrets.
func TestHandlerKeepsRedactedSecrets(t *testing.T) {
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
	checkFor(t, 5*time.Second, func() error {
		if a.reg.byName("api-arms") == nil {
			return errors.New("the alerter does not know the rule yet")
		}
		return nil
	})
	publish(t, b, setOf(happening(0)))
	checkFor(t, 5*time.Second, func() error { return countErr("api rule", rc.count(), 1) })

	if rec := serve(t, other, "DELETE", "/api/v1/alerts/api-arms", ""); rec.Code != 204 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	checkFor(t, 5*time.Second, func() error {
		if a.reg.byName("api-arms") != nil {
			return errors.New("the alerter still has the rule")
		}
		return nil
	})
	publish(t, b, setOf(happening(1)))
	waitProcessed(t, b)
	time.Sleep(100 * time.Millisecond)
	if n := rc.count(); n != 1 {
		t.Errorf("%d requests after the rule was deleted, want 1", n)
	}
}
