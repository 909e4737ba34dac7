package service

import (
	"context"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// TestAlerterIdentityWiring: the alerter asks the index which merged event
// holds a report only in a process that runs the indexer; elsewhere it
// keeps the exact key (a nil Identity).
func TestAlerterIdentityWiring(t *testing.T) {
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if (&Service{roles: map[string]bool{"alerter": true}}).identity() != nil {
		t.Error("an alerter without an index has an Identity")
	}
	if (&Service{ix: ix, roles: map[string]bool{"alerter": true, "api": true}}).identity() != nil {
		t.Error("an alerter beside the API but not the indexer has an Identity")
	}
	id := (&Service{ix: ix, roles: map[string]bool{"alerter": true, "indexer": true}}).identity()
	if id == nil {
		t.Fatal("an alerter beside the indexer has no Identity")
	}
	ref := event.ArticleRef{ID: "a1", Feed: "f", Published: time.Date(2024, 6, 24, 12, 0, 0, 0, time.UTC)}
	e := event.Event{ID: "ev1", Type: "sanction", CAMEO: "163", Date: "2024-06-24", Precision: event.Day,
		Status: event.Occurred, Actors: []string{"European Union", "Iran"}, Article: ref}
	ctx := context.Background()
	if _, _, found, err := id(ctx, e); found || err != nil {
		t.Fatalf("before Apply: found %v, %v; want not found", found, err)
	}
	if err := ix.Apply(ctx, []event.Set{{Article: ref, Events: []event.Event{e}}}, 1); err != nil {
		t.Fatal(err)
	}
	got, _, found, err := id(ctx, e)
	if !found || err != nil || got != index.ClusterID(e) {
		t.Errorf("after Apply: %q found %v, %v; want the merged id %s", got, found, err, index.ClusterID(e))
	}
}
