package index

import (
	"fmt"

	"github.com/dateline/dateline/internal/event"
)

// ClusterID returns the id of e's report group: the reports of any
// articles that give the same type, status, dates and anchor (place or
// actors) share it and always share a merged event. The merged event's id
// is the ClusterID of its earliest published report; the ClusterIDs of its
// other reports are its FormerIDs, by which Get also finds it. So
// ClusterID(e) always leads to the event holding e, but reports of one
// happening told in different words (other actors named, another
// precision) have different ClusterIDs: to group reports exactly as the
// timeline does, ask the index (Index.Merged, Index.Get). It anchors
// each type as the rules built into the binary say (an index opened with
// other rules uses Clustering.ID of their types). It is a pure function,
// safe for concurrent use.
func ClusterID(e event.Event) string {
	c, err := builtinClustering()
	if err != nil {
		// The rules are embedded at build time: failing here is a bug
		// caught by the package tests.
		panic(fmt.Sprintf("index: %v", err))
	}
	return c.ID(e)
}
