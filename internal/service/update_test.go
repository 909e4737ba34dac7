package service_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// updatableFeed serves an RSS feed of one item whose text can be changed
// between polls; the item keeps its GUID and link.
func updatableFeed(t *testing.T, text *atomic.Value) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Corrections desk</title><link>https://desk.example/</link><description>test</description>
<item><title>Missile strike on Odesa port</title><link>https://desk.example/odesa</link><guid isPermaLink="false">odesa-strike-1</guid>
<pubDate>Thu, 07 Mar 2024 09:00:00 GMT</pubDate><description>%s</description></item>
</channel></rss>`, text.Load())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestUpdatedArticleReplacesItsEvents: when a polled article comes back
// changed (same GUID, corrected text with another date), search shows the
// corrected event in place of the old one, not both.
func TestUpdatedArticleReplacesItsEvents(t *testing.T) {
	t.Parallel()
	var text atomic.Value
	text.Store("A Russian missile strike hit the port of Odesa on March 5, 2024, damaging grain terminals, Ukrainian officials said.")
	srv := updatableFeed(t, &text)
	cfg := testConfig(t, t.TempDir(), srv)
	cfg.Feeds = []config.Feed{{URL: srv.URL + "/rss", Name: "Corrections"}}
	svc := start(t, cfg)
	defer stop(t, svc)

	// strikes returns the dates of the article's strike events.
	strikes := func() []string {
		var dates []string
		for _, ev := range search(t, svc, "type=military_strike").Events {
			if ev.Article.URL == "https://desk.example/odesa" {
				dates = append(dates, ev.Date)
			}
		}
		return dates
	}
	wait.For(t, 60*time.Second, func() error {
		if d := strikes(); len(d) != 1 || d[0] != "2024-03-05" {
			return fmt.Errorf("strike dates %v, want [2024-03-05]", d)
		}
		return nil
	})

	text.Store("Correction: a Russian missile strike hit the port of Odesa on March 6, 2024, damaging grain terminals, Ukrainian officials said.")
	wait.For(t, 60*time.Second, func() error {
		if d := strikes(); len(d) != 1 || d[0] != "2024-03-06" {
			return fmt.Errorf("strike dates %v after the correction, want [2024-03-06] only", d)
		}
		return nil
	})
	time.Sleep(2500 * time.Millisecond) // more polls of the corrected feed
	if d := strikes(); len(d) != 1 || d[0] != "2024-03-06" {
		t.Errorf("strike dates %v after more polls, want [2024-03-06] only", d)
	}
	if r := search(t, svc, "q=Odesa"); r.Total != len(r.Events) || r.Total == 0 {
		t.Errorf("search Odesa: total %d, %d events", r.Total, len(r.Events))
	} else {
		for _, ev := range r.Events {
			if ev.Date == "2024-03-05" {
				t.Errorf("the replaced event is still found: %+v", ev)
			}
		}
	}
}
