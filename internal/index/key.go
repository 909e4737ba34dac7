package index

import (
	"fmt"

	"github.com/dateline/dateline/internal/event"
)

// ClusterID returns the id of the merged event the index gives e: events
// from any articles that report the same happening (the same cluster key:
// type, status, dates and anchor) share it, and it never changes as
// sources come and go. Consumers of EVENTS, such as the alerter, use it
// to group per-article events as the timeline does. It anchors each type
// as the rules built into the binary say (an index opened with other
// rules uses Clustering.ID of their types). It is a pure function, safe
// for concurrent use.
func ClusterID(e event.Event) string {
	c, err := builtinClustering()
	if err != nil {
		// The rules are embedded at build time: failing here is a bug
		// caught by the package tests.
		panic(fmt.Sprintf("index: %v", err))
	}
	return c.ID(e)
}
