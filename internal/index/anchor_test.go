package index

import (
	"maps"
	"slices"
	"testing"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// TestClusterAnchorFromTypes opens indexes with the facts of a type the
// built-in rules do not have, anchored on its place or on its actors, and
// checks that reports merge as its anchor says.
func TestClusterAnchorFromTypes(t *testing.T) {
	report := func(art, city string, actors ...string) event.Set {
		e := ev("abduction-"+art, "abduction", "2024-05-25", "Abduction in "+city,
			article(art), feed(art), place(city, 1, 1), func(e *event.Event) { e.Actors = actors })
		return event.Set{Article: e.Article, Events: []event.Event{e}}
	}
	sameCity := []event.Set{report("r1", "Kaduna", "Bandits"), report("r2", "Kaduna", "Gunmen")}
	sameActors := []event.Set{report("r1", "Kaduna", "Bandits"), report("r2", "Zaria", "Bandits")}
	tests := []struct {
		name   string
		anchor rules.Anchor
		sets   []event.Set
		want   int
	}{
		{"place: one city, other actors", rules.AnchorPlace, sameCity, 1},
		{"place: two cities, same actors", rules.AnchorPlace, sameActors, 2},
		{"actors: one city, other actors", rules.AnchorActors, sameCity, 2},
		{"actors: two cities, same actors", rules.AnchorActors, sameActors, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			types := rules.Catalog{{ID: "abduction", Label: "Abduction", CAMEO: "181", Anchor: tc.anchor}}
			ix, err := Open(t.TempDir()+"/index", Options{Types: types})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = ix.Close() })
			apply(t, ix, tc.sets, 1)
			if got := count(t, ix); got != uint64(tc.want) {
				t.Errorf("got %d events, want %d", got, tc.want)
			}
		})
	}
}

// TestBuiltinAnchors checks that the built-in rules anchor on their place
// exactly the types the index anchored so before the anchors moved to
// pipelines/, so merged events and their ids stay as they were.
func TestBuiltinAnchors(t *testing.T) {
	rs, err := rules.LoadFiles(pipelines.FS, "events.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(NewClustering(rs.Catalog()).byPlace))
	want := []string{"aid", "casualties", "military_strike", "protest", "troop_deployment", "weapons_test"}
	if !slices.Equal(got, want) {
		t.Errorf("types anchored on their place = %v, want %v", got, want)
	}
	if (Clustering{}).byPlace["military_strike"] {
		t.Error("the zero Clustering anchors a type on its place")
	}
}
