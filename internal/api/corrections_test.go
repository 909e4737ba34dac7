package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
	"github.com/dateline/dateline/internal/index"
)

// TestCorrectionsAPI: with the admin token, a correction of an event (by
// a former id, resolved to the event it became) is stored in the
// corrections bucket of a real embedded JetStream, read back with its
// history, listed, exported as labelled articles the gold package reads,
// and withdrawn; without the token, or with an unknown type, or for an
// unknown event, it is refused.
func TestCorrectionsAPI(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	b := bustest.New(t, "")
	store, err := corrections.Open(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix, Corrections: store, AdminToken: "tok"}))
	t.Cleanup(srv.Close)

	// Two reports that stand apart, then a third that joins them: the
	// first two ids become former ids of the joined event.
	if err := ix.Apply(ctx, []event.Set{sanctions("gov-uk", 24, "European Union", "Iran"), sanctions("un-news", 24, "European Union", "Russia")}, 1); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, srv.URL+"/api/v1/events")
	old := body["events"].([]any)[0].(map[string]any)["id"].(string)
	if err := ix.Apply(ctx, []event.Set{sanctions("voa", 23, "European Union", "Iran", "Russia")}, 2); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, srv.URL+"/api/v1/events")
	joined := body["events"].([]any)[0].(map[string]any)["id"].(string)
	if joined == old {
		t.Fatalf("the join kept the id %s: the test needs a former id", old)
	}

	do := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		raw := new(bytes.Buffer)
		_, _ = raw.ReadFrom(resp.Body)
		if raw.Len() > 0 {
			if err := json.Unmarshal(raw.Bytes(), &out); err != nil {
				t.Fatalf("%s %s: %d, body not JSON: %q", method, path, resp.StatusCode, raw)
			}
		}
		return resp.StatusCode, out
	}

	for _, tt := range []struct {
		name, method, path, token, body string
		want                            int
		says                            string
	}{
		{"no token", "PUT", "/api/v1/events/" + joined + "/correction", "", `{"hidden":true}`, 401, "admin token"},
		{"wrong token", "PUT", "/api/v1/events/" + joined + "/correction", "nope", `{"hidden":true}`, 401, "admin token"},
		{"unknown event", "PUT", "/api/v1/events/nothing/correction", "tok", `{"hidden":true}`, 404, "no event"},
		{"unknown type", "PUT", "/api/v1/events/" + joined + "/correction", "tok", `{"type":"protests"}`, 400, `"protests" is not one of`},
		{"bad date", "PUT", "/api/v1/events/" + joined + "/correction", "tok", `{"date":"June"}`, 400, "date"},
		{"nothing to correct", "PUT", "/api/v1/events/" + joined + "/correction", "tok", `{"note":"hm"}`, 400, "nothing to correct"},
		{"unknown field", "PUT", "/api/v1/events/" + joined + "/correction", "tok", `{"hiden":true}`, 400, "hiden"},
		{"no correction yet", "GET", "/api/v1/events/" + joined + "/correction", "tok", "", 404, "has no correction"},
		{"list without token", "GET", "/api/v1/corrections", "", "", 401, "admin token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := do(tt.method, tt.path, tt.token, tt.body)
			if code != tt.want || !strings.Contains(body["error"].(string), tt.says) {
				t.Errorf("%s %s = %d %v, want %d saying %q", tt.method, tt.path, code, body, tt.want, tt.says)
			}
		})
	}

	// By the former id: stored under the event it became.
	code, body := do("PUT", "/api/v1/events/"+old+"/correction", "tok", `{"type":"statement","actors":["European Union"],"note":"a warning, not a package","by":"ana"}`)
	if code != 200 || body["event_id"] != joined || body["type"] != "statement" || body["at"] == "" {
		t.Fatalf("PUT by the former id = %d %v, want the correction of %s", code, body, joined)
	}
	if code, body = do("PUT", "/api/v1/events/"+joined+"/correction", "tok", `{"hidden":true,"note":"not an event","by":"ana"}`); code != 200 || body["hidden"] != true {
		t.Fatalf("PUT hidden = %d %v", code, body)
	}
	code, body = do("GET", "/api/v1/events/"+joined+"/correction", "tok", "")
	if code != 200 || body["correction"].(map[string]any)["hidden"] != true || len(body["history"].([]any)) != 2 {
		t.Fatalf("GET correction = %d %v, want hidden with a history of two", code, body)
	}
	code, body = do("GET", "/api/v1/corrections", "tok", "")
	if code != 200 || len(body["corrections"].([]any)) != 1 {
		t.Fatalf("GET corrections = %d %v, want one", code, body)
	}

	code, body = do("GET", "/api/v1/corrections/export", "tok", "")
	if code != 200 {
		t.Fatalf("export = %d %v", code, body)
	}
	raw, _ := json.Marshal(body["files"])
	var files []corrections.File
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Fatal(err)
	}
	if len(files) != 6 { // three reports, a text and a gold file each
		t.Fatalf("export gave %d files, want 6 (three reports)", len(files))
	}
	paths, err := corrections.Write(t.TempDir(), files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		a, err := gold.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Required) != 0 || len(a.ForbiddenDates) != 1 || a.ForbiddenDates[0] != "2024-06-24" {
			t.Errorf("%s: gold %+v, want the hidden event's date forbidden, nothing required", p, a)
		}
	}

	if code, _ = do("DELETE", "/api/v1/events/"+joined+"/correction", "tok", ""); code != 204 {
		t.Fatalf("DELETE = %d, want 204", code)
	}
	if code, _ = do("GET", "/api/v1/events/"+joined+"/correction", "tok", ""); code != 404 {
		t.Errorf("GET after DELETE = %d, want 404", code)
	}
	if code, body = do("GET", "/api/v1/corrections", "tok", ""); code != 200 || len(body["corrections"].([]any)) != 0 {
		t.Errorf("GET corrections after DELETE = %d %v, want none", code, body)
	}
}

// TestCorrectionsOff: without a corrections store the endpoints say so.
func TestCorrectionsOff(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/corrections", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /api/v1/corrections without a store = %d, want 503", resp.StatusCode)
	}
}
