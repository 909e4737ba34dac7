package extract

import (
	"slices"
	"testing"

	"github.com/dateline/dateline/internal/rules"
)

// TestConceptOrder guards the constants that index rules.CueConcepts and
// rules.WordConcepts.
func TestConceptOrder(t *testing.T) {
	if len(rules.CueConcepts) != numCues {
		t.Fatalf("len(rules.CueConcepts) = %d, want %d", len(rules.CueConcepts), numCues)
	}
	for name, want := range map[string]int{"citation": cueCitation, "speech": cueSpeech, "passive": cuePassive,
		"reported_plan": cueReportedPlan, "commemoration": cueCommemoration, "statistic": cueStatistic} {
		if got := slices.Index(rules.CueConcepts, name); got != want {
			t.Errorf("cue %q at %d, want %d", name, got, want)
		}
	}
	for name, want := range map[string]int{"yesterday": wYesterday, "until": wUntil, "same": wSame, "hour": wHour} {
		if got := slices.Index(rules.WordConcepts, name); got != want {
			t.Errorf("word %q at %d, want %d", name, got, want)
		}
	}
	if len(rules.WordConcepts) > 64 {
		t.Errorf("%d word concepts do not fit the uint64 mask", len(rules.WordConcepts))
	}
}

func TestInflect(t *testing.T) {
	tests := []struct {
		lemma string
		want  []string
	}{
		{"sign", []string{"sign", "signs", "signed", "signing"}},
		{"strike", []string{"strikes", "striking", "struck"}},
		{"ship", []string{"shipped", "shipping"}},
		{"deploy", []string{"deploys", "deployed", "deploying"}},
		{"casualty", []string{"casualties"}},
		{"die", []string{"died", "dying"}},
	}
	irregular := map[string][]string{"strike": {"struck"}}
	for _, tc := range tests {
		t.Run(tc.lemma, func(t *testing.T) {
			got := inflect(tc.lemma, irregular)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("inflect(%q) = %v, want %q among them", tc.lemma, got, w)
				}
			}
		})
	}
}
