package pipelines_test

import (
	"testing"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// TestRulesAreDocumented checks that every event type shipped here says
// how CAMEO's codebook applies to it and carries examples, that every
// trigger group has an id, and that every negative phrase says why it
// vetoes its type: what "dateline --explain" and "dateline rules test"
// show to people who edit the rules.
func TestRulesAreDocumented(t *testing.T) {
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range rs.Types {
		if len(ty.Decisions) == 0 {
			t.Errorf("%s (%s:%d): no decisions", ty.ID, ty.Source.File, ty.Source.Line)
		}
		if len(ty.Examples) < 2 {
			t.Errorf("%s (%s:%d): %d examples, want at least 2", ty.ID, ty.Source.File, ty.Source.Line, len(ty.Examples))
		}
		for i, g := range ty.Triggers {
			if g.ID == "" {
				t.Errorf("%s (%s:%d): triggers[%d] %v has no id", ty.ID, ty.Source.File, ty.Source.Line, i, g.Phrases)
			}
		}
		for i, n := range ty.Negative {
			if n.Reason == "" {
				t.Errorf("%s (%s:%d): negative[%d] %v has no reason", ty.ID, ty.Source.File, ty.Source.Line, i, n.Phrases)
			}
		}
	}
}

// TestTypesHaveTheirFacts checks that every event type shipped here gives
// every fact the page, the exports and the index read (label, anchor,
// colour), so none falls back to a default.
func TestTypesHaveTheirFacts(t *testing.T) {
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range rs.Types {
		if ty.Label == "" || ty.Anchor == "" || ty.Color == "" {
			t.Errorf("%s (%s:%d): label %q, anchor %q, color %q; want all three", ty.ID, ty.Source.File, ty.Source.Line, ty.Label, ty.Anchor, ty.Color)
		}
	}
}
