package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
)

// seedGold is the repository's acceptance fixture (testdata/seed).
const seedGold = "../../testdata/seed/gold.json"

// seedScore is the outcome of scoring one article's events.
type seedScore struct {
	lines                []string // a verdict per event, then the missed gold events
	credited, required   int
	good, events, banned int
}

// TestSeedArticle scores "dateline extract" on the seed article (or on
// the gold file in $DATELINE_GOLD) as testdata/seed/README.md says: every
// required event found, precision at least 0.8, no forbidden date.
func TestSeedArticle(t *testing.T) {
	t.Parallel()
	path := seedGold
	if p := os.Getenv("DATELINE_GOLD"); p != "" {
		path = p
	}
	g, err := gold.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	article := filepath.Join(filepath.Dir(path), g.Article)
	code, out, errs := runCLI(t, "", "extract", "--published", g.Published, article)
	if code != 0 {
		t.Fatalf("extract %s: exit %d: %s", article, code, errs)
	}
	var got struct{ Events []event.Event }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("extract %s: output is not JSON: %v", article, err)
	}
	s := scoreSeed(g, got.Events)
	for _, l := range s.lines {
		t.Log(l)
	}
	recall, precision := 1.0, 0.0
	if s.required > 0 {
		recall = float64(s.credited) / float64(s.required)
	}
	if s.events > 0 {
		precision = float64(s.good) / float64(s.events)
	}
	t.Logf("recall %d/%d = %.2f, precision %d/%d = %.2f, forbidden %d", s.credited, s.required, recall, s.good, s.events, precision, s.banned)
	if recall < 1 || precision < 0.8 || s.banned > 0 {
		t.Errorf("%s: recall %.2f (want 1.00), precision %.2f (want at least 0.80), forbidden dates %d (want 0)", path, recall, precision, s.banned)
	}
}

// scoreSeed grades events against g (package gold) and writes a line per
// event, then one per missed gold event, as the acceptance scorer prints
// them.
func scoreSeed(g gold.Article, events []event.Event) seedScore {
	gr := gold.Score(g, events)
	s := seedScore{required: len(g.Required), events: gr.Events, good: gr.Good, banned: gr.Forbidden(), credited: len(gr.Credited)}
	for _, v := range gr.Verdicts {
		verdict := v.Kind
		switch v.Kind {
		case gold.OK, gold.Neutral:
			verdict += " " + v.Gold
		case gold.Forbidden:
			verdict = "FORBIDDEN"
		}
		span := v.Event.Date
		if v.Event.DateEnd != "" {
			span += ".." + v.Event.DateEnd
		}
		names := make([]string, 0, len(v.Event.Places))
		for _, p := range v.Event.Places {
			names = append(names, p.Name)
		}
		s.lines = append(s.lines, fmt.Sprintf("%-22s %s %s %v %v", verdict, v.Event.Type, span, v.Event.Actors, names))
	}
	for _, ge := range gr.Missed {
		s.lines = append(s.lines, fmt.Sprintf("MISSED %-15s %v %s  <- %s", ge.ID, ge.Type, ge.Date, ge.Evidence))
	}
	return s
}

// TestScoreSeed checks the scorer on made-up events: credit once, neutral,
// extra, forbidden, coarser dates and missing places.
func TestScoreSeed(t *testing.T) {
	t.Parallel()
	end := "2024-09"
	g := gold.Article{
		Required: []gold.Event{
			{ID: "treaty", Type: []string{"treaty_signing"}, Date: "2024-06-19", Actors: []string{"North Korea"}},
			{ID: "shells", Type: []string{"arms_transfer"}, Date: "2023-09", DateEnd: &end},
			{ID: "kharkiv", Type: []string{"military_strike"}, Date: "2024-01-02", Places: []string{"Kharkiv"}},
		},
		Neutral:        []gold.Event{{ID: "kim", Type: []string{"statement"}, Date: "2024-06-20"}},
		ForbiddenDates: []string{"2024-10-28"},
	}
	events := []event.Event{
		{Type: "treaty_signing", Date: "2024-06-19", Actors: []string{"north korea ", "Russia"}},
		{Type: "treaty_signing", Date: "2024-06-19", Actors: []string{"North Korea"}},        // credited already: extra
		{Type: "arms_transfer", Date: "2023-09-03", DateEnd: "2024-09-30"},                   // finer dates: ok
		{Type: "military_strike", Date: "2024-01", Places: []event.Place{{Name: "Kharkiv"}}}, // coarser: extra
		{Type: "statement", Date: "2024-06-20"},                                              // neutral
		{Type: "statement", Date: "2024-10-28"},                                              // forbidden
	}
	s := scoreSeed(g, events)
	if s.credited != 2 || s.good != 3 || s.events != 6 || s.banned != 1 {
		t.Errorf("credited %d, good %d, events %d, forbidden %d; want 2, 3, 6, 1\n%s", s.credited, s.good, s.events, s.banned, strings.Join(s.lines, "\n"))
	}
	if last := s.lines[len(s.lines)-1]; !strings.HasPrefix(last, "MISSED kharkiv") {
		t.Errorf("last line %q, want kharkiv missed", last)
	}
}
