package service_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestErrorsHaveOneShape checks that the API, the exports and the alerts
// API write a failure the same way: JSON {"error", "param"} with the same
// content type, "error" naming the parameter, and no "param" key when no
// parameter is at fault.
func TestErrorsHaveOneShape(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	cfg.Feeds = nil
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()

	tests := []struct {
		name, method, path, body string
		status                   int
		param                    string // "" wants no "param" key
	}{
		{"api: bad parameter", "GET", "/api/v1/events?from=someday", "", 400, "from"},
		{"export: bad parameter", "GET", "/api/v1/events.csv?from=someday", "", 400, "from"},
		{"alerts: bad parameter", "GET", "/api/v1/alerts/deliveries?status=sent", "", 400, "status"},
		{"alerts: bad rule field", "POST", "/api/v1/alerts", `{"name":"x","query":"/re.*/","destinations":[{"kind":"slack","url":"https://h.example/a"}]}`, 400, "query"},
		{"api: no parameter at fault", "GET", "/api/v1/nowhere", "", 404, ""},
		{"export: bad limit", "GET", "/api/v1/events.ics?limit=0", "", 400, "limit"},
		{"alerts: no parameter at fault", "POST", "/api/v1/alerts", `{"name":`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer tok")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
			}
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("decode: %v", err)
			}
			keys := make([]string, 0, len(body))
			for k := range body {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"error"}
			if tt.param != "" {
				want = []string{"error", "param"}
			}
			if !slices.Equal(keys, want) {
				t.Fatalf("keys of %v = %v, want %v", body, keys, want)
			}
			msg, _ := body["error"].(string)
			if msg == "" {
				t.Errorf("error = %v, want a message", body["error"])
			}
			if tt.param != "" && (body["param"] != tt.param || !strings.HasPrefix(msg, tt.param+": ")) {
				t.Errorf("body = %v, want param %q named at the start of the error", body, tt.param)
			}
		})
	}
}
