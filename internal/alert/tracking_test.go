package alert

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

// sourceWrites is the number of writes (puts and deletes) ever made to
// SourcesBucket: the last sequence of its stream.
func sourceWrites(t *testing.T, b *bus.Bus) uint64 {
	t.Helper()
	ctx := context.Background()
	s, err := b.JS.Stream(ctx, "KV_"+SourcesBucket)
	if err != nil {
		t.Fatal(err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return si.State.LastSeq
}

// TestTrackingOnlyForMatchingRules: the sources of a set are recorded
// only when some rule matches it (min_sources aside). With no rules, or
// rules matching none of its events, processing writes nothing to
// SourcesBucket; a rule that matches records them and counts sources.
func TestTrackingOnlyForMatchingRules(t *testing.T) {
	t.Parallel()
	meeting := func(name string, min int, follow bool) config.Alert {
		r := rule(name, "", webhookDest("http://127.0.0.1:1/unused"))
		r.Types, r.MinSources, r.FollowUps = []string{"meeting"}, min, follow
		return r
	}
	sets := []event.Set{
		report("yonhap", "https://yonhap.example/rss", 0),
		report("reuters", "https://reuters.example/rss", 1),
		report("reuters", "https://reuters.example/rss", 1, func(e *event.Event) { e.Date = "2024-10-27" }),
		report("ap", "https://ap.example/rss", 2),
	}
	cases := []struct {
		name  string
		rules []config.Alert
	}{
		{"no rules", nil},
		{"rules matching nothing", []config.Alert{meeting("plain", 0, false), meeting("two", 2, true)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := bustest.New(t, "")
			startAlerter(t, b, c.rules, testOptions(&syncBuffer{}))
			for _, s := range sets {
				publish(t, b, s)
			}
			waitProcessed(t, b)
			if n := sourceWrites(t, b); n != 0 {
				t.Errorf("%d writes to %s, want 0", n, SourcesBucket)
			}
		})
	}

	t.Run("min_sources rule", func(t *testing.T) {
		b := bustest.New(t, "")
		two := newReceiver(t, nil)
		twoRule := rule("two sources", "shells", webhookDest(two.hookURL("two")))
		twoRule.MinSources = 2
		startAlerter(t, b, []config.Alert{twoRule, meeting("plain", 0, false)}, testOptions(&syncBuffer{}))
		publish(t, b, sets[0])
		settle(t, b)
		if n, w := two.count(), sourceWrites(t, b); n != 0 || w == 0 {
			t.Fatalf("after one source: %d alerts and %d writes to %s, want 0 alerts and some writes", n, w, SourcesBucket)
		}
		publish(t, b, sets[1])
		wait.For(t, 5*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
		if e := alerted(t, two)[0][0]; e.ID != index.ClusterID(sets[0].Events[0]) || e.SourceCount != 2 {
			t.Errorf("alert of %s with %d sources, want the merged event with 2", e.ID, e.SourceCount)
		}
	})
}

// TestPlainRuleCorrectionSendsNothing: a rule without min_sources or
// follow_ups still has its sets tracked, since a correction of an event it
// alerted is recognised from the article's earlier set; without that it
// would alert the corrected event as a new one.
func TestPlainRuleCorrectionSendsNothing(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	plain := newReceiver(t, nil)
	startAlerter(t, b, []config.Alert{rule("plain", "shells", webhookDest(plain.URL))}, testOptions(&syncBuffer{}))
	publish(t, b, report("reuters", "https://reuters.example/rss", 0))
	wait.For(t, 5*time.Second, func() error { return countErr("plain", plain.count(), 1) })
	publish(t, b, report("reuters", "https://reuters.example/rss", 0, func(e *event.Event) { e.Date = "2024-10-27" }))
	settle(t, b)
	if n := plain.count(); n != 1 {
		t.Errorf("after a corrected date: %d alerts, want 1", n)
	}
}

// TestTrackedArticleLeavesWhenUnmatched: an article tracked once has its
// later sets tracked even when no rule matches them, so a merged event
// its event leaves stops counting it.
func TestTrackedArticleLeavesWhenUnmatched(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	three := newReceiver(t, nil)
	threeRule := rule("three sources", "", webhookDest(three.URL))
	threeRule.Types, threeRule.MinSources = []string{"arms_transfer"}, 3
	startAlerter(t, b, []config.Alert{threeRule}, testOptions(&syncBuffer{}))

	first := report("yonhap", "https://yonhap.example/rss", 0)
	merged := index.ClusterID(first.Events[0])
	publish(t, b, first)
	publish(t, b, report("reuters", "https://reuters.example/rss", 1))
	settle(t, b) // EVENTS keeps one set per article: let this one be seen
	if got := feedsOf(t, b, merged); len(got) != 2 {
		t.Fatalf("sources of two reports: %q, want two feeds", got)
	}
	// Reuters now reads a meeting, which no rule matches.
	publish(t, b, report("reuters", "https://reuters.example/rss", 1, func(e *event.Event) { e.Type = "meeting" }))
	settle(t, b)
	if got := feedsOf(t, b, merged); !slices.Equal(got, []string{"feed\x00https://yonhap.example/rss"}) {
		t.Errorf("sources after reuters left: %q, want yonhap's only", got)
	}
	publish(t, b, report("ap", "https://ap.example/rss", 2))
	settle(t, b)
	if n, d := three.count(), deliveriesOf(t, b, "three sources"); n != 0 || d != 0 {
		t.Errorf("two sources: %d alerts (%d deliveries) at min_sources 3, want 0", n, d)
	}
}

// TestRuleAddedLaterCountsLaterSources: sources reported before any rule
// matched them are not counted by a rule added at runtime.
func TestRuleAddedLaterCountsLaterSources(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	a := startAlerter(t, b, nil, testOptions(&syncBuffer{}))
	publish(t, b, report("yonhap", "https://yonhap.example/rss", 0))
	waitProcessed(t, b)

	h, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"name":"api-two","query":"shells","min_sources":2,"destinations":[{"kind":"webhook","url":"` + rc.URL + `/hook","secret":"` + testSecret + `"}]}`
	if rec := serve(t, h, "POST", "/api/v1/alerts", body); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	waitRule(t, a, "api-two", true)
	publish(t, b, report("reuters", "https://reuters.example/rss", 1))
	settle(t, b)
	if n := rc.count(); n != 0 {
		t.Fatalf("one source counted since the rule exists: %d alerts, want 0", n)
	}
	publish(t, b, report("ap", "https://ap.example/rss", 2))
	wait.For(t, 5*time.Second, func() error { return countErr("api rule", rc.count(), 1) })
	if e := alerted(t, rc)[0][0]; e.SourceCount != 2 {
		t.Errorf("alert with %d sources, want 2 (reuters and ap)", e.SourceCount)
	}
}

// TestTrackedArticleLeavesWithNoRules: an article tracked while a rule
// existed stops counting for the merged event it leaves even when no rule
// is left at all, so a rule added again does not see stale sources.
func TestTrackedArticleLeavesWithNoRules(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	rc := newReceiver(t, nil)
	a := startAlerter(t, b, nil, testOptions(&syncBuffer{}))
	h, err := NewHandler(context.Background(), b.JS, nil, HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"name":"three","query":"shells","min_sources":3,"destinations":[{"kind":"webhook","url":"` + rc.URL + `/hook","secret":"` + testSecret + `"}]}`
	if rec := serve(t, h, "POST", "/api/v1/alerts", body); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	waitRule(t, a, "three", true)
	first := report("yonhap", "https://yonhap.example/rss", 0)
	merged := index.ClusterID(first.Events[0])
	publish(t, b, first)
	publish(t, b, report("reuters", "https://reuters.example/rss", 1))
	settle(t, b)
	if got := feedsOf(t, b, merged); len(got) != 2 {
		t.Fatalf("sources of two reports: %q, want two feeds", got)
	}

	if rec := serve(t, h, "DELETE", "/api/v1/alerts/three", ""); rec.Code != 204 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	waitRule(t, a, "three", false)
	// With no rule at all, Reuters now reads a meeting.
	publish(t, b, report("reuters", "https://reuters.example/rss", 1, func(e *event.Event) { e.Type = "meeting" }))
	settle(t, b)
	if got := feedsOf(t, b, merged); !slices.Equal(got, []string{"feed\x00https://yonhap.example/rss"}) {
		t.Errorf("sources after reuters left with no rules: %q, want yonhap's only", got)
	}
}
