package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/index"
)

// newServer serves the API over a real Bleve index holding one treaty and
// one strike, with the real extractor.
func newServer(t *testing.T) (*httptest.Server, *api.Broker) {
	t.Helper()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ref := event.ArticleRef{ID: "a1", URL: "https://news.example/a1", Title: "World roundup", Feed: "Test", Published: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)}
	set := event.Set{Article: ref, Events: []event.Event{
		{ID: "treaty1", Type: "treaty_signing", Title: "North Korea and Russia sign a treaty", Sentence: "They signed a treaty.", Date: "2024-06-19", Precision: event.Day, Status: event.Occurred, Actors: []string{"North Korea", "Russia"}, Article: ref, Confidence: 0.9, Mentions: 1},
		{ID: "strike1", Type: "military_strike", Title: "Missile strike on Kharkiv", Sentence: "A missile struck Kharkiv.", Date: "2024-01-02", Precision: event.Day, Status: event.Occurred, Places: []event.Place{{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}}, Article: ref, Confidence: 0.8, Mentions: 1},
	}}
	if err := ix.Apply(context.Background(), []event.Set{set}, 1); err != nil {
		t.Fatal(err)
	}
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	broker := api.NewBroker()
	srv := httptest.NewUnstartedServer(api.New(api.Options{Searcher: ix, Extractor: ex, Stream: broker, AdminToken: "tok"}))
	srv.Config = api.HTTPServer(srv.Config.Handler)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, broker
}

func get(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v", u, err)
	}
	return resp.StatusCode, body
}

func TestSearchAndGet(t *testing.T) {
	srv, _ := newServer(t)
	code, body := get(t, srv.URL+"/api/v1/events?q=treaty")
	if code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("search = %d %v", code, body)
	}
	if _, ok := body["facets"].(map[string]any)["type"]; !ok {
		t.Errorf("no type facet in %v", body["facets"])
	}
	code, body = get(t, srv.URL+"/api/v1/events/treaty1")
	if code != 200 || body["date"] != "2024-06-19" || body["precision"] != "day" {
		t.Errorf("get = %d %v", code, body)
	}
	for _, tt := range []struct {
		query string
		want  float64
	}{{"min_sources=1", 2}, {"min_sources=2", 0}} {
		if code, body := get(t, srv.URL+"/api/v1/events?"+tt.query); code != 200 || body["total"] != tt.want {
			t.Errorf("GET ?%s = %d total %v, want %v", tt.query, code, body["total"], tt.want)
		}
	}
	if code, _ := get(t, srv.URL+"/api/v1/events/nope"); code != 404 {
		t.Errorf("get unknown = %d, want 404", code)
	}
	code, body = get(t, srv.URL+"/api/v1/timeline?interval=year")
	if code != 200 {
		t.Errorf("timeline = %d %v", code, body)
	}
}

func TestBadParameters(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct{ query, param string }{
		{"from=yesterday", "from"},
		{"to=2024-13", "to"},
		{"limit=lots", "limit"},
		{"limit=-1", "limit"},
		{"sort=sideways", "sort"},
		{"status=maybe", "status"},
		{"near=1,2", "near"},
		{"near=91,0,10", "near"},
		{"q=" + url.QueryEscape("*a*"), "q"},
		{"q=" + url.QueryEscape("/.*/"), "q"},
		{"q=" + strings.Repeat("a", 2000), "q"},
		{"cursor=%00garbage", "cursor"},
		{"min_sources=two", "min_sources"},
		{"min_sources=0", "min_sources"},
	}
	for _, tt := range tests {
		t.Run(tt.query[:min(len(tt.query), 30)], func(t *testing.T) {
			code, body := get(t, srv.URL+"/api/v1/events?"+tt.query)
			if code != http.StatusBadRequest || body["param"] != tt.param {
				t.Errorf("GET ?%s = %d %v, want 400 naming %q", tt.query, code, body, tt.param)
			}
		})
	}
	if code, body := get(t, srv.URL+"/api/v1/timeline?interval=fortnight"); code != 400 || body["param"] != "interval" {
		t.Errorf("bad interval = %d %v", code, body)
	}
	if code, _ := get(t, srv.URL+"/no/such/page"); code != 404 {
		t.Errorf("unknown path = %d, want 404", code)
	}
}

func TestExtractEndpoint(t *testing.T) {
	srv, _ := newServer(t)
	text := "North Korea and Russia signed a strategic partnership treaty in Pyongyang on June 19, 2024."
	body, _ := json.Marshal(map[string]string{"text": text, "published": "2024-06-20"})
	resp, err := http.Post(srv.URL+"/api/v1/extract", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Events []event.Event }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("extract = %d, %v", resp.StatusCode, err)
	}
	// The same as extracting the document directly, as the CLI does.
	ex, _ := extract.Default()
	doc, _ := extract.NewDocument(text, "", "", "2024-06-20", time.Now())
	want := ex.Extract(doc)
	a, _ := json.Marshal(got.Events)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Errorf("API events differ from direct extraction:\n%s\n%s", a, b)
	}
	if len(want) == 0 || want[0].Date != "2024-06-19" {
		t.Errorf("events = %s, want the treaty of 2024-06-19", b)
	}
}

// TestExtractPublisherDay checks that "today" in a release stamped late in
// the evening west of Greenwich is the publisher's day, while the event's
// article reference gives the time in UTC.
func TestExtractPublisherDay(t *testing.T) {
	srv, _ := newServer(t)
	text := "Earlier today, Iran launched an unprecedented air attack against military facilities in Israel."
	body, _ := json.Marshal(map[string]string{"text": text, "published": "2024-04-13T22:45:05-04:00"})
	resp, err := http.Post(srv.URL+"/api/v1/extract", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Events []event.Event }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("extract = %d, %v", resp.StatusCode, err)
	}
	if len(got.Events) != 1 || got.Events[0].Date != "2024-04-13" {
		t.Fatalf("events = %+v, want one on 2024-04-13", got.Events)
	}
	if p := got.Events[0].Article.Published; p.Location() != time.UTC || !p.Equal(time.Date(2024, 4, 14, 2, 45, 5, 0, time.UTC)) {
		t.Errorf("article published %v, want 2024-04-14T02:45:05Z", p)
	}
}

func TestExtractBodyLimits(t *testing.T) {
	srv, _ := newServer(t)
	big := `{"text":"` + strings.Repeat("a", 1<<20+10) + `"}`
	tests := []struct {
		name, body string
		want       int
	}{
		{"over 1 MiB", big, http.StatusRequestEntityTooLarge},
		{"not JSON", "text=hello", http.StatusBadRequest},
		{"unknown field", `{"txt":"x"}`, http.StatusBadRequest},
		{"bad published", `{"text":"x","published":"soon"}`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/api/v1/extract", "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e map[string]string
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e["error"] == "" {
				t.Errorf("error body not JSON with an error: %v %v", e, err)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d (%v)", resp.StatusCode, tt.want, e)
			}
		})
	}
}

func TestStreamDeliversMatchingEvents(t *testing.T) {
	srv, broker := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/stream?type=sanction", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, ": connected") {
		t.Fatalf("first line %q", line)
	}
	go func() {
		for ctx.Err() == nil {
			broker.Publish([]event.Set{{Events: []event.Event{
				{ID: "s0", Type: "statement", Title: "not wanted"},
				{ID: "s1", Type: "sanction", Title: "EU sanctions"},
			}}})
			time.Sleep(50 * time.Millisecond)
		}
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended: %v", err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var ev event.Event
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Type != "sanction" {
				t.Fatalf("stream sent %s, filtered on sanction", ev.Type)
			}
			return
		}
	}
}

// TestSlowClientsDoNotStall opens many connections that send half a
// request header and never finish; /healthz must keep answering.
func TestSlowClientsDoNotStall(t *testing.T) {
	srv, _ := newServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 1000 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		fmt.Fprint(c, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		conns = append(conns, c)
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for range 5 {
		resp, err := client.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatalf("healthz while 1,000 slow clients wait: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("healthz = %d", resp.StatusCode)
		}
	}
}

func TestStreamResumesWithLastEventID(t *testing.T) {
	srv, broker := newServer(t)
	read := func(lastID string) (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/stream", nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		r.ReadString('\n') // ": connected"
		if lastID == "" {
			broker.Publish([]event.Set{{Events: []event.Event{{ID: "first", Type: "aid"}}}})
		}
		var id string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended: %v", err)
			}
			if v, ok := strings.CutPrefix(line, "id: "); ok {
				id = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				var ev event.Event
				json.Unmarshal([]byte(v), &ev)
				return id, ev.ID
			}
		}
	}
	id, got := read("")
	if got != "first" {
		t.Fatalf("first event %q", got)
	}
	// Events published while the client is away are replayed on reconnect.
	broker.Publish([]event.Set{{Events: []event.Event{{ID: "missed", Type: "aid"}}}})
	if _, got := read(id); got != "missed" {
		t.Errorf("after reconnect got %q, want the missed event", got)
	}
}

func TestRateLimitPerClient(t *testing.T) {
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix, RateLimit: 5}))
	defer srv.Close()
	limited := 0
	for range 30 {
		resp, err := http.Get(srv.URL + "/api/v1/events")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if limited == 0 {
		t.Error("30 quick requests at a limit of 5/s (burst 10): none refused")
	}
	// Health checks are never limited.
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz under the limit: %v %v", resp, err)
	}
}
