package alert

import (
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/wait"
)

// TestMinSourcesFollowTypeAnchors counts the sources of a type the
// built-in rules lack, anchored on its place by the rules in use: two
// feeds reporting it in one town with other actors are one happening
// with two sources when the alerter is given those rules' clustering, as
// the index would merge them, and two happenings without it.
func TestMinSourcesFollowTypeAnchors(t *testing.T) {
	t.Parallel()
	abduction := func(art, feed string, actor string) event.Set {
		return report(art, feed, 0, func(e *event.Event) {
			e.Type, e.Actors = "abduction", []string{actor}
		})
	}
	placed := index.NewClustering(rules.Catalog{{ID: "abduction", Anchor: rules.AnchorPlace}}).ID
	tests := []struct {
		name      string
		clusterID func(event.Event) string
		want      int
	}{
		{"anchored on its place", placed, 1},
		{"built-in anchors", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bustest.New(t, "")
			two := newReceiver(t, nil)
			twoRule := rule("two sources", "", webhookDest(two.hookURL("two")))
			twoRule.MinSources = 2
			var logs syncBuffer
			opts := testOptions(&logs)
			opts.ClusterID = tc.clusterID
			runAlerter(t, b, []config.Alert{twoRule}, opts)
			publish(t, b, abduction("yonhap", "https://yonhap.example/rss", "Gunmen"))
			publish(t, b, abduction("reuters", "https://reuters.example/rss", "Bandits"))
			if tc.want > 0 {
				wait.For(t, 5*time.Second, func() error { return countErr("min_sources 2 rule", two.count(), tc.want) })
			}
			settle(t, b)
			if n := two.count(); n != tc.want {
				t.Errorf("%d alerts, want %d", n, tc.want)
			}
			if tc.want > 0 {
				if e := alerted(t, two)[0][0]; e.SourceCount != 2 {
					t.Errorf("alert reports %d sources, want 2", e.SourceCount)
				}
			}
		})
	}
}
