package alert

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/wait"
)

// sanctionReport is one feed's report of the EU sanctions decision of
// issue 13, published on 24 June 2024 plus day days.
func sanctionReport(art string, day int, actors []string, places []event.Place) event.Set {
	ref := event.ArticleRef{ID: art, URL: "https://" + art + ".example/sanctions", Title: art, Feed: "https://" + art + ".example/rss",
		Published: time.Date(2024, 6, 24+day, 12, 0, 0, 0, time.UTC)}
	e := event.Event{
		ID: event.ID(art, "sanction", "2024-06-24", "", actors), Type: "sanction", CAMEO: "163",
		Title: "EU sanctions Iran and Russia", Sentence: "The EU imposed sanctions on Iran and Russia, " + art + " reported.",
		Date: "2024-06-24", Precision: event.Day, DateText: "24 June 2024", Status: event.Occurred,
		Actors: actors, Places: places, Article: ref, Confidence: 0.8, Mentions: 1,
	}
	return event.Set{Article: ref, Events: []event.Event{e}}
}

// sanctionReports are the two compatible reports: {European Union, Iran,
// Russia, Ukraine} in Brussels, and {European Union, Iran, Russia}
// without a place, a day later. Their exact keys differ; the index
// merges them.
func sanctionReports(t *testing.T) (eeas, voa event.Set) {
	t.Helper()
	eeas = sanctionReport("eeas", 0, []string{"European Union", "Iran", "Russia", "Ukraine"},
		[]event.Place{{Name: "Brussels", Country: "Belgium", Lat: 50.85, Lon: 4.35}})
	voa = sanctionReport("voa", 1, []string{"European Union", "Iran", "Russia"}, nil)
	if index.ClusterID(eeas.Events[0]) == index.ClusterID(voa.Events[0]) {
		t.Fatal("the reports share an exact key: the test would not tell the index's identity from it")
	}
	return eeas, voa
}

// indexIdentity opens a real index in a temporary directory and returns
// it with the Identity the service gives the alerter.
func indexIdentity(t *testing.T) (*index.Index, func(context.Context, event.Event) (string, []string, bool, error)) {
	t.Helper()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix, func(ctx context.Context, e event.Event) (string, []string, bool, error) {
		m, found, err := ix.Get(ctx, e.ID)
		if err != nil || !found {
			return "", nil, false, err
		}
		return m.ID, m.FormerIDs, true, nil
	}
}

// kinds returns the webhook type of each request rc got.
func kinds(t *testing.T, rc *receiver) []string {
	t.Helper()
	var out []string
	for _, r := range rc.requests() {
		var p webhookPayload
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatalf("decode webhook body: %v", err)
		}
		out = append(out, p.Type)
	}
	return out
}

// sanctionRules: one rule alerting each sanction with follow-ups, one
// waiting for two sources.
func sanctionRules(each, two *receiver) []config.Alert {
	eachRule := rule("every sanction", "", webhookDest(each.hookURL("each")))
	eachRule.Types, eachRule.FollowUps = []string{"sanction"}, true
	twoRule := rule("two sources", "", webhookDest(two.hookURL("two")))
	twoRule.Types, twoRule.MinSources = []string{"sanction"}, 2
	return []config.Alert{eachRule, twoRule}
}

// TestAlertsFollowTheIndexIdentity: two compatible reports of one
// happening, with different exact keys, sent as two articles, make one
// alert and then a follow-up (not two alerts), and a min_sources 2 rule
// fires when the second arrives, about the index's merged event. The
// second article reaches the alerter before the index applied it: the
// alerter waits for the index.
func TestAlertsFollowTheIndexIdentity(t *testing.T) {
	t.Parallel()
	b, ix, each, two := identityAlerter(t, 0)
	ctx := context.Background()
	eeas, voa := sanctionReports(t)

	if err := ix.Apply(ctx, []event.Set{eeas}, 1); err != nil {
		t.Fatal(err)
	}
	publish(t, b, eeas)
	settle(t, b)
	if n := each.count(); n != 1 {
		t.Fatalf("after the first report: %d alerts, want 1", n)
	}
	if n := two.count(); n != 0 {
		t.Fatalf("after the first report: the min_sources 2 rule sent %d alerts, want 0", n)
	}

	publish(t, b, voa) // before the indexer applies it
	time.Sleep(150 * time.Millisecond)
	if err := ix.Apply(ctx, []event.Set{voa}, 2); err != nil {
		t.Fatal(err)
	}
	merged, found, err := ix.Get(ctx, voa.Events[0].ID)
	if err != nil || !found || merged.SourceCount != 2 {
		t.Fatalf("index: Get(voa) = %v sources %d, %v; want the merged event with 2", found, merged.SourceCount, err)
	}
	wait.For(t, 10*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
	settle(t, b)
	if got := kinds(t, each); len(got) != 2 || got[0] != "dateline.alert."+kindEvent || got[1] != "dateline.alert."+kindUpdate {
		t.Errorf("the rule with follow-ups sent %q, want an alert then a follow-up", got)
	}
	for name, rc := range map[string]*receiver{"follow-up": each, "min_sources 2": two} {
		got := alerted(t, rc)
		last := got[len(got)-1]
		if len(last) != 1 || last[0].ID != merged.ID || last[0].SourceCount != 2 {
			t.Errorf("%s alert: %+v, want the index's event %s with 2 sources", name, last, merged.ID)
		}
	}
	if n, d := two.count(), deliveriesOf(t, b, "two sources"); n != 1 || d != 1 {
		t.Errorf("min_sources 2 rule: %d alerts (%d deliveries), want 1", n, d)
	}
}

// TestAlertFollowsAnAbsorbedID: the later-published report arrives first
// and is alerted under its own id; the earlier one then joins it, and the
// index names the happening by the earlier report's group, the first id
// among its FormerIDs. The alerter counts the sources recorded under the
// former id and sends a follow-up, not a second alert.
func TestAlertFollowsAnAbsorbedID(t *testing.T) {
	t.Parallel()
	b, ix, each, two := identityAlerter(t, 0)
	ctx := context.Background()
	eeas, voa := sanctionReports(t)

	if err := ix.Apply(ctx, []event.Set{voa}, 1); err != nil {
		t.Fatal(err)
	}
	publish(t, b, voa)
	settle(t, b)
	if n := each.count(); n != 1 {
		t.Fatalf("after the first report: %d alerts, want 1", n)
	}
	first := alerted(t, each)[0][0].ID

	if err := ix.Apply(ctx, []event.Set{eeas}, 2); err != nil {
		t.Fatal(err)
	}
	merged, _, err := ix.Get(ctx, voa.Events[0].ID)
	if err != nil || merged.ID == first {
		t.Fatalf("index: the merged event is %s (%v); the test wants it renamed from %s", merged.ID, err, first)
	}
	publish(t, b, eeas)
	wait.For(t, 10*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
	settle(t, b)
	if got := kinds(t, each); len(got) != 2 || got[1] != "dateline.alert."+kindUpdate {
		t.Errorf("the rule with follow-ups sent %q, want an alert then a follow-up", got)
	}
	if got := alerted(t, two)[0]; len(got) != 1 || got[0].ID != merged.ID || got[0].SourceCount != 2 {
		t.Errorf("min_sources 2 alert: %+v, want %s with 2 sources", got, merged.ID)
	}
}

// TestAlertBeforeTheIndexFallsBack: a report the index does not hold
// within IdentityWait is alerted under its exact key (the id of its report
// group); once the index has merged it with a compatible report, that
// key is among the merged event's FormerIDs, and the second report's
// alert is a follow-up.
func TestAlertBeforeTheIndexFallsBack(t *testing.T) {
	t.Parallel()
	b, ix, each, two := identityAlerter(t, 50*time.Millisecond)
	ctx := context.Background()
	eeas, voa := sanctionReports(t)

	publish(t, b, voa) // the index never gets it in time
	settle(t, b)
	if got := alerted(t, each); len(got) != 1 || got[0][0].ID != index.ClusterID(voa.Events[0]) {
		t.Fatalf("after the first report: %+v, want one alert under its exact key", got)
	}
	if err := ix.Apply(ctx, []event.Set{voa, eeas}, 1); err != nil {
		t.Fatal(err)
	}
	publish(t, b, eeas)
	wait.For(t, 10*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), 1) })
	settle(t, b)
	if got := kinds(t, each); len(got) != 2 || got[1] != "dateline.alert."+kindUpdate {
		t.Errorf("the rule with follow-ups sent %q, want an alert then a follow-up", got)
	}
}

// identityAlerter starts an alerter with the sanction rules (each: every
// alert with follow-ups; two: min_sources 2) whose identity is a real
// index's, waiting patience for the index (0: the default).
func identityAlerter(t *testing.T, patience time.Duration) (*bus.Bus, *index.Index, *receiver, *receiver) {
	t.Helper()
	b := bustest.New(t, "")
	ix, identity := indexIdentity(t)
	each, two := newReceiver(t, nil), newReceiver(t, nil)
	opts := testOptions(&syncBuffer{})
	opts.Identity, opts.IdentityWait = identity, patience
	runAlerter(t, b, sanctionRules(each, two), opts)
	return b, ix, each, two
}
