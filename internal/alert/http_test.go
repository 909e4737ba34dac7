package alert

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
