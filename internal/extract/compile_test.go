package extract

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
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
	for name, want := range map[string]int{"yesterday": wYesterday, "until": wUntil, "same": wSame, "hour": wHour, "night": wNight, "half": wHalf} {
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

// TestUserRulesWithoutRebuild copies the embedded rules to a directory,
// adds an event type there as a user would, and reads it with an
// Extractor built from that directory.
func TestUserRulesWithoutRebuild(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, pipelines.FS); err != nil {
		t.Fatal(err)
	}
	const extra = `event_types:
  - id: abduction
    cameo: "181"
    acled: Violence against civilians
    title: "Abduction[ in {places}]"
    triggers:
      - phrases: [kidnap~, abduct~, "took hostage"]
`
	if err := os.WriteFile(filepath.Join(dir, "local.yaml"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := rules.LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	x, err := New(rs)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	evs := x.Extract(Document{ArticleID: "u", Text: "Gunmen kidnapped 20 students in Kaduna on Monday.",
		Published: time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)})
	for _, ev := range evs {
		if ev.Type == "abduction" {
			if ev.CAMEO != "181" || ev.Date != "2024-10-28" || len(ev.Places) == 0 || ev.Places[0].Name != "Kaduna" {
				t.Errorf("abduction = %+v, want CAMEO 181 on 2024-10-28 in Kaduna", ev)
			}
			return
		}
	}
	t.Errorf("no abduction event in %s", summary(evs))
}
