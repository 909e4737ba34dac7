package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/poller"
)

// memFeeds is an api.Feeds over a map: one config feed that failed, and
// the feeds added at run time, pending.
type memFeeds struct {
	config feedlist.Feed
	mu     sync.Mutex // guards added
	added  map[string]feedlist.Feed
}

var _ api.Feeds = (*memFeeds)(nil)

func (m *memFeeds) Status(context.Context) ([]poller.FeedStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []poller.FeedStatus{poller.StatusOf(m.config, poller.State{Status: poller.StatusError, LastError: "dial tcp: lookup news.invalid: no such host"})}
	for _, f := range m.added {
		out = append(out, poller.StatusOf(f, poller.State{}))
	}
	return out, nil
}

func (m *memFeeds) List(context.Context) ([]feedlist.Feed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []feedlist.Feed{m.config}
	for _, f := range m.added {
		out = append(out, f)
	}
	return out, nil
}

func (m *memFeeds) Add(_ context.Context, f feedlist.Feed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.added[feedlist.ID(f.URL)] = f
	return nil
}

func (m *memFeeds) Remove(_ context.Context, id string) (bool, error) {
	if id == feedlist.ID(m.config.URL) {
		return true, api.ErrConfigFeed
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.added[id]
	delete(m.added, id)
	return ok, nil
}

type feedsBody struct {
	Feeds []struct {
		ID        string `json:"id"`
		URL       string `json:"url"`
		Status    string `json:"status"`
		LastError string `json:"last_error"`
	} `json:"feeds"`
	Summary map[string]int `json:"summary"`
}

func listFeeds(t *testing.T, base string) feedsBody {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/feeds")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/feeds: status %d", resp.StatusCode)
	}
	var b feedsBody
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatalf("GET /api/v1/feeds: %v", err)
	}
	return b
}

func adminDo(t *testing.T, method, u, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestFeedsListIDs checks that GET /api/v1/feeds gives every feed the id
// that DELETE /api/v1/feeds/{id} takes (the id the POST answered), and
// counts the feeds by status.
func TestFeedsListIDs(t *testing.T) {
	const cfgURL, addURL = "https://news.invalid/rss", "https://example.org/world.xml"
	srv := httptest.NewServer(api.New(api.Options{
		Feeds:      &memFeeds{config: feedlist.Feed{URL: cfgURL, Name: "Config"}, added: map[string]feedlist.Feed{}},
		AdminToken: "tok",
	}))
	t.Cleanup(srv.Close)

	status, posted := adminDo(t, http.MethodPost, srv.URL+"/api/v1/feeds", `{"url":"`+addURL+`","name":"World"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: status %d, body %v", status, posted)
	}
	b := listFeeds(t, srv.URL)
	ids := map[string]string{}
	for _, f := range b.Feeds {
		ids[f.URL] = f.ID
	}
	if got := ids[addURL]; got == "" || got != posted["id"] {
		t.Errorf("id of the added feed: got %q, want the POST's %v", got, posted["id"])
	}
	if got, want := ids[cfgURL], feedlist.ID(cfgURL); got != want {
		t.Errorf("id of the config feed: got %q, want %q", got, want)
	}
	wantSum := map[string]int{"total": 2, "ok": 0, "error": 1, "pending": 1, "disabled": 0}
	for k, want := range wantSum {
		if got := b.Summary[k]; got != want {
			t.Errorf("summary[%q]: got %d, want %d (%v)", k, got, want, b.Summary)
		}
	}

	if status, body := adminDo(t, http.MethodDelete, srv.URL+"/api/v1/feeds/"+ids[cfgURL], ""); status != http.StatusConflict {
		t.Errorf("DELETE config feed by its listed id: status %d, want 409 (%v)", status, body)
	}
	if status, body := adminDo(t, http.MethodDelete, srv.URL+"/api/v1/feeds/"+ids[addURL], ""); status != http.StatusNoContent {
		t.Fatalf("DELETE added feed by its listed id: status %d, want 204 (%v)", status, body)
	}
	for _, f := range listFeeds(t, srv.URL).Feeds {
		if f.URL == addURL {
			t.Errorf("%s still listed after DELETE", addURL)
		}
	}
}
