package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

// seedGold is the repository's acceptance fixture (testdata/seed).
const seedGold = "../../testdata/seed/gold.json"

// goldFile is a labelled article: testdata/seed/gold.json describes the form.
type goldFile struct {
	Article        string      `json:"article"`
	Published      string      `json:"published"`
	Required       []goldEvent `json:"required"`
	Neutral        []goldEvent `json:"neutral"`
	ForbiddenDates []string    `json:"forbidden_dates"`
}

// goldEvent is one labelled event; Type lists the acceptable type ids.
type goldEvent struct {
	ID       string   `json:"id"`
	Type     []string `json:"type"`
	Date     string   `json:"date"`
	DateEnd  *string  `json:"date_end"`
	Actors   []string `json:"actors"`
	Places   []string `json:"places"`
	Evidence string   `json:"evidence"`
}

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
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g goldFile
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
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

// scoreSeed credits each required gold event once, counts neutral matches
// as good and flags events on forbidden dates.
func scoreSeed(g goldFile, events []event.Event) seedScore {
	s := seedScore{required: len(g.Required), events: len(events)}
	credited := map[string]bool{}
	for _, ev := range events {
		verdict := "extra"
		switch {
		case slices.Contains(g.ForbiddenDates, ev.Date):
			verdict = "FORBIDDEN"
			s.banned++
		default:
			for _, ge := range g.Required {
				if !credited[ge.ID] && goldMatches(ev, ge) {
					credited[ge.ID] = true
					verdict = "ok " + ge.ID
					break
				}
			}
			if verdict == "extra" {
				for _, ge := range g.Neutral {
					if goldMatches(ev, ge) {
						verdict = "neutral " + ge.ID
						break
					}
				}
			}
		}
		if verdict != "extra" && verdict != "FORBIDDEN" {
			s.good++
		}
		span := ev.Date
		if ev.DateEnd != "" {
			span += ".." + ev.DateEnd
		}
		s.lines = append(s.lines, fmt.Sprintf("%-22s %s %s %v %v", verdict, ev.Type, span, ev.Actors, placeNames(ev.Places)))
	}
	for _, ge := range g.Required {
		if !credited[ge.ID] {
			s.lines = append(s.lines, fmt.Sprintf("MISSED %-15s %v %s  <- %s", ge.ID, ge.Type, ge.Date, ge.Evidence))
		}
	}
	s.credited = len(credited)
	return s
}

// goldMatches: the type among the gold types, the date (and date_end,
// where the gold has one) starting with the gold's, one gold actor named
// and every gold place, case-insensitively.
func goldMatches(ev event.Event, g goldEvent) bool {
	if !slices.Contains(g.Type, ev.Type) || !strings.HasPrefix(ev.Date, g.Date) {
		return false
	}
	if g.DateEnd != nil && !strings.HasPrefix(ev.DateEnd, *g.DateEnd) {
		return false
	}
	actors := folded(ev.Actors)
	if len(g.Actors) > 0 && !slices.ContainsFunc(folded(g.Actors), func(a string) bool { return slices.Contains(actors, a) }) {
		return false
	}
	places := folded(placeNames(ev.Places))
	for _, p := range folded(g.Places) {
		if !slices.Contains(places, p) {
			return false
		}
	}
	return true
}

func placeNames(ps []event.Place) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func folded(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	return out
}

// TestScoreSeed checks the scorer on made-up events: credit once, neutral,
// extra, forbidden, coarser dates and missing places.
func TestScoreSeed(t *testing.T) {
	t.Parallel()
	end := "2024-09"
	g := goldFile{
		Required: []goldEvent{
			{ID: "treaty", Type: []string{"treaty_signing"}, Date: "2024-06-19", Actors: []string{"North Korea"}},
			{ID: "shells", Type: []string{"arms_transfer"}, Date: "2023-09", DateEnd: &end},
			{ID: "kharkiv", Type: []string{"military_strike"}, Date: "2024-01-02", Places: []string{"Kharkiv"}},
		},
		Neutral:        []goldEvent{{ID: "kim", Type: []string{"statement"}, Date: "2024-06-20"}},
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
