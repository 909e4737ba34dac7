package service_test

import (
	"net/http"
	"testing"
)

// TestFeedsPolledCountsAddedFeeds: the number of feeds a service reports
// polling at start (the "dateline started" log line's feeds) counts the
// feeds added through the API as well as the config's.
func TestFeedsPolledCountsAddedFeeds(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	dir := t.TempDir()
	cfg := testConfig(t, dir, feeds)
	cfg.AdminToken = "t0ken"
	cfg.Feeds = cfg.Feeds[:1]
	svc := start(t, cfg)
	if got := svc.FeedsPolled(); got != 1 {
		t.Errorf("first start: FeedsPolled = %d, want the config's 1", got)
	}
	body := `{"url":"` + feeds.URL + `/ceasefire.atom","name":"Added"}`
	if code, b := do(t, "POST", "http://"+svc.Addr().String()+"/api/v1/feeds", "t0ken", body); code != http.StatusCreated {
		t.Fatalf("add a feed = %d %s", code, b)
	}
	stop(t, svc)

	svc = start(t, cfg)
	defer stop(t, svc)
	if got := svc.FeedsPolled(); got != 2 {
		t.Errorf("restart after adding a feed: FeedsPolled = %d, want 2 (the config's and the added one)", got)
	}
}
