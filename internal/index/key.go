package index

import "github.com/dateline/dateline/internal/event"

// ClusterID returns the id of the merged event the index gives e: events
// from any articles that report the same happening (the same cluster key:
// type, status, dates and anchor) share it, and it never changes as
// sources come and go. Consumers of EVENTS, such as the alerter, use it
// to group per-article events as the timeline does. It is a pure
// function, safe for concurrent use.
func ClusterID(e event.Event) string {
	return clusterID(clusterKey(e))
}
