package service_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/wait"
)

func do(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
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
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFeedManagementOverHTTP(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "t0ken"
	cfg.Feeds = cfg.Feeds[:1] // world.rss from the config
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	added := feeds.URL + "/ceasefire.atom"
	body := `{"url":"` + added + `","name":"Added"}`

	tests := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"add without token", "POST", "/api/v1/feeds", "", body, http.StatusUnauthorized},
		{"add with a wrong token", "POST", "/api/v1/feeds", "t0ken-not", body, http.StatusUnauthorized},
		{"add a bad url", "POST", "/api/v1/feeds", "t0ken", `{"url":"file:///etc/passwd"}`, http.StatusBadRequest},
		{"add an unknown field", "POST", "/api/v1/feeds", "t0ken", `{"url":"` + added + `","colour":"red"}`, http.StatusBadRequest},
		{"add", "POST", "/api/v1/feeds", "t0ken", body, http.StatusCreated},
		{"delete a config feed", "DELETE", "/api/v1/feeds/" + feedlist.ID(cfg.Feeds[0].URL), "t0ken", "", http.StatusConflict},
		{"delete without token", "DELETE", "/api/v1/feeds/" + feedlist.ID(added), "", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, b := do(t, tt.method, base+tt.path, tt.token, tt.body); got != tt.want {
				t.Errorf("%s %s = %d %s, want %d", tt.method, tt.path, got, b, tt.want)
			}
		})
	}
	// The added feed is polled: its ceasefire becomes searchable.
	wait.For(t, 30*time.Second, func() error {
		for _, ev := range search(t, svc, "type=ceasefire").Events {
			if ev.Date == "2024-11-27" {
				return nil
			}
		}
		return io.EOF
	})
	if code, b := do(t, "GET", base+"/api/v1/feeds.opml", "", ""); code != 200 || !strings.Contains(b, added) || !strings.Contains(b, cfg.Feeds[0].URL) {
		t.Errorf("feeds.opml = %d %s", code, b)
	}
	if code, b := do(t, "DELETE", base+"/api/v1/feeds/"+feedlist.ID(added), "t0ken", ""); code != http.StatusNoContent {
		t.Errorf("delete = %d %s", code, b)
	}
	if code, _ := do(t, "DELETE", base+"/api/v1/feeds/"+feedlist.ID(added), "t0ken", ""); code != http.StatusNotFound {
		t.Errorf("second delete = %d, want 404", code)
	}
	wait.For(t, 10*time.Second, func() error {
		_, b := do(t, "GET", base+"/api/v1/feeds", "", "")
		if strings.Contains(b, added) {
			return io.EOF
		}
		return nil
	})
}

func TestAdminRefusedWithoutConfiguredToken(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.Feeds = nil
	svc := start(t, cfg)
	defer stop(t, svc)
	code, b := do(t, "POST", "http://"+svc.Addr().String()+"/api/v1/feeds", "", `{"url":"https://x.example/rss"}`)
	if code != http.StatusUnauthorized || !strings.Contains(b, "admin_token") {
		t.Errorf("POST with no admin_token configured = %d %s, want 401 naming admin_token", code, b)
	}
}

func TestMetricsAndReadiness(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })
	if code, b := do(t, "GET", base+"/readyz", "", ""); code != 200 {
		t.Errorf("readyz = %d %s", code, b)
	}
	code, b := do(t, "GET", base+"/metrics", "", "")
	if code != 200 {
		t.Fatalf("metrics = %d", code)
	}
	for _, want := range []string{
		`dateline_stream_messages{stream="ARTICLES"}`,
		`dateline_consumer_pending{consumer="extractor",stream="ARTICLES"} 0`,
		`dateline_index_events`,
		`dateline_feeds{status="ok"} 3`,
		`dateline_http_request_duration_seconds_count{code="200",route="GET /api/v1/events"}`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestSavedSearches(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })

	body := `{"name":"treaties","query":"q=treaty&type=treaty_signing&limit=5"}`
	if code, b := do(t, "POST", base+"/api/v1/searches", "", body); code != http.StatusUnauthorized {
		t.Errorf("save without token = %d %s", code, b)
	}
	if code, b := do(t, "POST", base+"/api/v1/searches", "tok", `{"name":"Bad Name","query":"q=x"}`); code != http.StatusBadRequest || !strings.Contains(b, `"param":"name"`) {
		t.Errorf("bad name = %d %s", code, b)
	}
	if code, b := do(t, "POST", base+"/api/v1/searches", "tok", `{"name":"x","query":"from=someday"}`); code != http.StatusBadRequest || !strings.Contains(b, `"param":"from"`) {
		t.Errorf("bad query = %d %s", code, b)
	}
	if code, b := do(t, "POST", base+"/api/v1/searches", "tok", body); code != http.StatusCreated {
		t.Fatalf("save = %d %s", code, b)
	}
	code, b := do(t, "GET", base+"/api/v1/searches", "", "")
	if code != 200 || !strings.Contains(b, `"treaties"`) || strings.Contains(b, "limit=5") {
		t.Errorf("list = %d %s (limit is not saved)", code, b)
	}
	code, b = do(t, "GET", base+"/api/v1/searches/treaties/feed.atom", "", "")
	if code != 200 || !strings.Contains(b, "<feed") || !strings.Contains(b, "2024-06-19") || strings.Contains(b, "2024-01-02") {
		t.Errorf("atom = %d, want the treaty and not the strike:\n%s", code, b)
	}
	if code, _ := do(t, "GET", base+"/api/v1/searches/nope/feed.atom", "", ""); code != 404 {
		t.Errorf("unknown search feed = %d", code)
	}
	if code, _ := do(t, "DELETE", base+"/api/v1/searches/treaties", "tok", ""); code != http.StatusNoContent {
		t.Errorf("delete = %d", code)
	}
	if code, _ := do(t, "GET", base+"/api/v1/searches/treaties", "", ""); code != 404 {
		t.Errorf("get after delete = %d", code)
	}
}

// TestLiveStreamCarriesMergedEvents: a client on /api/v1/stream receives
// the events of newly polled feeds, as merged timeline events that GET
// /api/v1/events/{id} also finds.
func TestLiveStreamCarriesMergedEvents(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	world := cfg.Feeds[0]
	cfg.Feeds = nil
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/stream?type=treaty_signing", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	r.ReadString('\n') // ": connected"
	if code, b := do(t, "POST", base+"/api/v1/feeds", "tok", `{"url":"`+world.URL+`"}`); code != 201 {
		t.Fatalf("add feed = %d %s", code, b)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before the treaty: %v", err)
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var ev event.Event
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type != "treaty_signing" || ev.Date != "2024-06-19" {
			t.Fatalf("stream sent %s %s", ev.Type, ev.Date)
		}
		if code, _ := do(t, "GET", base+"/api/v1/events/"+ev.ID, "", ""); code != 200 {
			t.Errorf("the streamed event's id %s is not an indexed event (%d)", ev.ID, code)
		}
		return
	}
}

func TestDeadLettersAPI(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.AdminToken = "tok"
	cfg.Feeds = nil
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	tests := []struct {
		name, method, path, token string
		want                      int
		body                      string
	}{
		{"list without token", "GET", "/api/v1/deadletters", "", 401, ""},
		{"list", "GET", "/api/v1/deadletters", "tok", 200, `"deadletters":[]`},
		{"bad limit", "GET", "/api/v1/deadletters?limit=x", "tok", 400, `"param":"limit"`},
		{"replay unknown", "POST", "/api/v1/deadletters/42/replay", "tok", 404, `"param":"seq"`},
		{"replay bad seq", "POST", "/api/v1/deadletters/x/replay", "tok", 400, `"param":"seq"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, b := do(t, tt.method, base+tt.path, tt.token, "")
			if code != tt.want || !strings.Contains(b, tt.body) {
				t.Errorf("%s %s = %d %s, want %d with %s", tt.method, tt.path, code, b, tt.want, tt.body)
			}
		})
	}
}
