package service

import (
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/index"
)

// TestNameWarnings: an alert rule's actor or place no gazetteer knows is
// reported with its file, line and key and the nearest known names; known
// names, in any case or spelling the gazetteer has, are not.
func TestNameWarnings(t *testing.T) {
	cfg, err := config.Parse("c.yaml", []byte(`alerts:
  - name: a
    actors: [russia, Rusia, UK]
    places: [Kiev, Kharkv]
    destinations:
      - kind: slack
        url: https://hooks.example/x
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := nameWarnings(cfg)
	if len(got) != 2 {
		t.Fatalf("warnings %q, want two (Rusia, Kharkv)", got)
	}
	for i, want := range []string{`alerts.0.actors.1: "Rusia" is an actor no gazetteer knows (nearest: Russia`, `alerts.0.places.1: "Kharkv" is a place no gazetteer knows (nearest: Kharkiv`} {
		if !strings.Contains(got[i], want) || !strings.HasPrefix(got[i], "c.yaml:") {
			t.Errorf("warning %q, want c.yaml:line: and %q", got[i], want)
		}
	}
}

// TestUnknownNames: the index's name check knows canonical names and
// aliases in any case and suggests the closest spellings.
func TestUnknownNames(t *testing.T) {
	for _, known := range []string{"Russia", "russia", "United Kingdom", "U.K."} {
		if _, ok := index.UnknownActor(known); !ok {
			t.Errorf("%q: unknown, want known", known)
		}
	}
	near, ok := index.UnknownActor("Frnace")
	if ok || !slices.Contains(near, "France") {
		t.Errorf("Frnace: %v %v, want unknown with France nearest", near, ok)
	}
	if near, ok := index.UnknownPlace("Xqzzyv"); ok || len(near) != 0 {
		t.Errorf("Xqzzyv: %v %v, want unknown with nothing near", near, ok)
	}
}
