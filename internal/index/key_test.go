package index

import "testing"

// TestClusterIDIsTheMergedID checks that ClusterID gives each member the
// id the index stores their merged event under.
func TestClusterIDIsTheMergedID(t *testing.T) {
	ix, _ := openTest(t)
	sets := treatyReports()
	apply(t, ix, sets, 1)
	res := find(t, ix, Query{Limit: 10})
	if len(res.Events) != 1 {
		t.Fatalf("index holds %d events, want 1 merged event", len(res.Events))
	}
	want := res.Events[0].ID
	for _, s := range sets {
		for _, e := range s.Events {
			if got := ClusterID(e); got != want {
				t.Errorf("ClusterID(event of %s) = %s, want the merged id %s", e.Article.ID, got, want)
			}
		}
	}
}
