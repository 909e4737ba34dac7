package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

// report is the arms transfer of sampleEvent as read from article art of
// feed, published day days after the first report.
func report(art, feed string, day int, opts ...func(*event.Event)) event.Set {
	e := sampleEvent(art, "", func(e *event.Event) {
		e.Article.Feed, e.Article.URL = feed, "https://"+art+".example/shells"
		e.Article.Published = time.Date(2024, 10, 30+day, 9, 0, 0, 0, time.UTC)
		e.Mentions = 1
	})
	for _, o := range opts {
		o(&e)
	}
	e.ID = event.ID(art, e.Type, e.Date, e.DateEnd, e.Actors)
	return setOf(e)
}

// runAlerter runs an alerter until the returned stop is called (or the
// test ends); stop waits for Run to return.
func runAlerter(t *testing.T, b *bus.Bus, rules []config.Alert, opts Options) (stop func()) {
	t.Helper()
	a, err := New(b.JS, rules, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return runStoppable(t, a)
}

// alerted decodes the events of each webhook request rc got.
func alerted(t *testing.T, rc *receiver) [][]webhookItem {
	t.Helper()
	var out [][]webhookItem
	for _, r := range rc.requests() {
		var p webhookPayload
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatalf("decode webhook body: %v\n%s", err, r.Body)
		}
		out = append(out, p.Data.Events)
	}
	return out
}

// deliveriesOf counts the delivery records of a rule: written before its
// event set is acknowledged, they are every alert the rule will send.
func deliveriesOf(t *testing.T, b *bus.Bus, name string) int {
	t.Helper()
	ctx := context.Background()
	kv, err := b.JS.KeyValue(ctx, DeliveriesBucket)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys(ctx, kv, "*."+ruleID(name)+".>")
	if err != nil {
		t.Fatal(err)
	}
	return len(ks)
}

// settle waits until every set is acknowledged and every delivery they
// caused is finished, then lets a wrong one reach its receiver.
func settle(t *testing.T, b *bus.Bus) {
	t.Helper()
	waitProcessed(t, b)
	ctx := context.Background()
	kv, err := b.JS.KeyValue(ctx, QueueBucket)
	if err != nil {
		t.Fatal(err)
	}
	wait.For(t, 5*time.Second, func() error {
		ks, err := keys(ctx, kv, "pending.>")
		if err != nil || len(ks) > 0 {
			return fmt.Errorf("%d deliveries pending (%v)", len(ks), err)
		}
		return nil
	})
	time.Sleep(100 * time.Millisecond)
}

func TestMinSourcesAcrossArticles(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	two, each := newReceiver(t, nil), newReceiver(t, nil)
	twoRule := rule("two sources", "shells", webhookDest(two.hookURL("two")))
	twoRule.Types, twoRule.Actors, twoRule.MinSources = []string{"arms_transfer"}, []string{"North Korea"}, 2
	eachRule := rule("every report", "shells", webhookDest(each.hookURL("each"))) // min_sources 0
	rules := []config.Alert{twoRule, eachRule}
	var logs syncBuffer
	stop := runAlerter(t, b, rules, testOptions(&logs))

	a := report("yonhap", "https://yonhap.example/rss", 0)
	merged := index.ClusterID(a.Events[0])
	publish(t, b, a)
	settle(t, b)
	if n, d := two.count(), deliveriesOf(t, b, "two sources"); n != 0 || d != 0 {
		t.Fatalf("after the first source: the min_sources 2 rule sent %d alerts (%d deliveries), want 0", n, d)
	}
	if n := each.count(); n != 1 {
		t.Fatalf("after the first source: the min_sources 0 rule sent %d alerts, want 1", n)
	}

	second := report("reuters", "https://reuters.example/rss", 1)
	publish(t, b, second)
	wait.For(t, 5*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
	got := alerted(t, two)[0]
	if len(got) != 1 {
		t.Fatalf("alert lists %d events, want 1", len(got))
	}
	if e := got[0]; e.ID != merged || e.SourceCount != 2 || len(e.Sources) != 2 {
		t.Errorf("alert reports event %s with %d sources (%d listed); want merged %s with 2", e.ID, e.SourceCount, len(e.Sources), merged)
	}
	text := string(two.requests()[0].Body)
	for _, want := range []string{"Sources: 2", "https://yonhap.example/shells", "https://reuters.example/shells", "/api/v1/events/" + merged} {
		if !strings.Contains(text, want) {
			t.Errorf("alert lacks %q: %s", want, text)
		}
	}

	t.Run("third source", func(t *testing.T) {
		publish(t, b, report("ap", "https://ap.example/rss", 2))
		settle(t, b)
		if n, d := two.count(), deliveriesOf(t, b, "two sources"); n != 1 || d != 1 {
			t.Errorf("after a third source: %d alerts (%d deliveries), want still 1", n, d)
		}
		// Without follow_ups, more sources of an alerted event send nothing.
		if n := each.count(); n != 1 {
			t.Errorf("after a third source: the min_sources 0 rule sent %d alerts, want 1", n)
		}
	})

	t.Run("redelivery and restart", func(t *testing.T) {
		publish(t, b, second) // the same set again
		settle(t, b)
		stop()
		runAlerter(t, b, rules, testOptions(&logs))
		publish(t, b, second)
		publish(t, b, a)
		settle(t, b)
		if n, d := two.count(), deliveriesOf(t, b, "two sources"); n != 1 || d != 1 {
			t.Errorf("after redeliveries and a restart: %d alerts (%d deliveries), want still 1", n, d)
		}
	})
}

func TestMinSourcesSameFeed(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	two, three := newReceiver(t, nil), newReceiver(t, nil)
	twoRule := rule("two sources", "", webhookDest(two.hookURL("two")))
	twoRule.MinSources = 2
	threeRule := rule("three sources", "", webhookDest(three.hookURL("three")))
	threeRule.MinSources = 3
	var logs syncBuffer
	runAlerter(t, b, []config.Alert{twoRule, threeRule}, testOptions(&logs))

	const feed = "https://yonhap.example/rss"
	publish(t, b, report("yonhap-1", feed, 0))
	publish(t, b, report("yonhap-2", feed, 1))
	settle(t, b)
	if n, d := two.count(), deliveriesOf(t, b, "two sources"); n != 0 || d != 0 {
		t.Fatalf("two articles of one feed: %d alerts (%d deliveries) at min_sources 2, want 0", n, d)
	}

	// Another feed makes two sources, not three.
	publish(t, b, report("reuters", "https://reuters.example/rss", 2))
	wait.For(t, 5*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
	settle(t, b)
	if n, d := three.count(), deliveriesOf(t, b, "three sources"); n != 0 || d != 0 {
		t.Errorf("two feeds, three articles: %d alerts (%d deliveries) at min_sources 3, want 0", n, d)
	}
	if e := alerted(t, two)[0][0]; e.SourceCount != 2 || len(e.Sources) != 3 {
		t.Errorf("alert reports %d sources over %d articles, want 2 over 3", e.SourceCount, len(e.Sources))
	}
}

func TestMinSourcesArticleMovesAway(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	three := newReceiver(t, nil)
	threeRule := rule("three sources", "", webhookDest(three.hookURL("three")))
	threeRule.MinSources = 3
	var logs syncBuffer
	runAlerter(t, b, []config.Alert{threeRule}, testOptions(&logs))

	first := report("yonhap", "https://yonhap.example/rss", 0)
	merged := index.ClusterID(first.Events[0])
	publish(t, b, first)
	publish(t, b, report("reuters", "https://reuters.example/rss", 1))
	settle(t, b)

	// Reuters corrects its date: its event moves to another merged event.
	moved := report("reuters", "https://reuters.example/rss", 1, func(e *event.Event) { e.Date = "2024-10-28" })
	publish(t, b, moved)
	settle(t, b)
	if got := feedsOf(t, b, merged); !slices.Equal(got, []string{"feed\x00https://yonhap.example/rss"}) {
		t.Errorf("sources of the first event after the move: %q, want yonhap's only", got)
	}
	if got := feedsOf(t, b, index.ClusterID(moved.Events[0])); len(got) != 1 {
		t.Errorf("sources of the moved event: %q, want reuters'", got)
	}

	// A third feed makes two sources, not three: no alert.
	publish(t, b, report("ap", "https://ap.example/rss", 2))
	settle(t, b)
	if n, d := three.count(), deliveriesOf(t, b, "three sources"); n != 0 || d != 0 {
		t.Errorf("after the move and a new source: %d alerts (%d deliveries) at min_sources 3, want 0", n, d)
	}
}

// feedsOf reads the distinct sources the alerter knows for a merged id.
func feedsOf(t *testing.T, b *bus.Bus, merged string) []string {
	t.Helper()
	ctx := context.Background()
	kv, err := b.JS.KeyValue(ctx, SourcesBucket)
	if err != nil {
		t.Fatal(err)
	}
	e, err := kv.Get(ctx, mergedKey(merged))
	if err != nil {
		t.Fatalf("get sources of %s: %v", merged, err)
	}
	var s sourceSet
	if err := json.Unmarshal(e.Value(), &s); err != nil {
		t.Fatal(err)
	}
	return s.feeds()
}

func TestEnoughSources(t *testing.T) {
	t.Parallel()
	cases := []struct {
		min, mentions, sources int
		want                   bool
	}{
		{0, 1, 1, true},
		{1, 1, -1, true},
		{2, 5, 1, false}, // one article's mentions are not sources
		{2, 1, 2, true},
		{2, 2, -1, true}, // unknown sources: mentions, as before
		{3, 9, 2, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("min %d mentions %d sources %d", c.min, c.mentions, c.sources), func(t *testing.T) {
			r := &compiled{Rule: Rule{MinSources: c.min}}
			if got := r.enoughSources(event.Event{Mentions: c.mentions}, c.sources); got != c.want {
				t.Errorf("enoughSources = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCorrectionsSurviveRedelivery: the corrections of a set are found
// once, before its members move, and a redelivery of the set (the same
// stream sequence) gets the same ones; an older set is stale.
func TestCorrectionsSurviveRedelivery(t *testing.T) {
	t.Parallel()
	b := bustest.New(t, "")
	a, err := New(b.JS, nil, testOptions(&syncBuffer{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := a.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	first := report("reuters", "https://reuters.example/rss", 0)
	corrected := report("reuters", "https://reuters.example/rss", 0, func(e *event.Event) { e.Date = "2024-10-27" })
	from, to := index.ClusterID(first.Events[0]), index.ClusterID(corrected.Events[0])
	if _, err := a.track(ctx, first, 1); err != nil {
		t.Fatal(err)
	}
	for _, attempt := range []string{"first delivery", "redelivery"} {
		tr, err := a.track(ctx, corrected, 2)
		if err != nil {
			t.Fatal(err)
		}
		if tr.stale || tr.moved[to] != from || len(tr.moved) != 1 {
			t.Errorf("%s: moved %v (stale %v), want %s from %s", attempt, tr.moved, tr.stale, to, from)
		}
	}
	// Another event of the article, of another type, corrects nothing.
	other := report("reuters", "https://reuters.example/rss", 0, func(e *event.Event) { e.Date = "2024-10-26"; e.Type = "meeting" })
	if tr, err := a.track(ctx, other, 3); err != nil || len(tr.moved) != 0 {
		t.Errorf("another type: moved %v (%v), want none", tr.moved, err)
	}
	if tr, err := a.track(ctx, first, 1); err != nil || !tr.stale {
		t.Errorf("an older set: stale %v (%v), want true", tr.stale, err)
	}
}
