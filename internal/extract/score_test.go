package extract

import (
	"encoding/json"
	"os"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// gold is a labelled article in the form of testdata/seed/gold.json.
type gold struct {
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

func readGold(path string) (gold, error) {
	var g gold
	b, err := os.ReadFile(path)
	if err != nil {
		return g, err
	}
	err = json.Unmarshal(b, &g)
	return g, err
}

// verdict is how one extracted event was scored.
type verdict struct {
	ev   event.Event
	kind string // "ok", "neutral", "extra", "forbidden"
	gold string
}

// score is the outcome of scoring one article, exactly as
// TestSeedArticle (cmd/dateline) computes it.
type score struct {
	credited map[string]bool
	good     int
	events   int
	verdicts []verdict
	missed   []goldEvent
	req      []goldEvent
}

func lowerSet(items []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range items {
		out[strings.ToLower(strings.TrimSpace(s))] = true
	}
	return out
}

// matches mirrors score-events: type among the gold types, date and
// date_end prefixed by the gold's, one gold actor named, every gold place.
func matches(ev event.Event, g goldEvent) bool {
	if !slices.Contains(g.Type, ev.Type) || !strings.HasPrefix(ev.Date, g.Date) {
		return false
	}
	if g.DateEnd != nil && !strings.HasPrefix(ev.DateEnd, *g.DateEnd) {
		return false
	}
	if len(g.Actors) > 0 {
		have := lowerSet(ev.Actors)
		hit := false
		for a := range lowerSet(g.Actors) {
			hit = hit || have[a]
		}
		if !hit {
			return false
		}
	}
	if len(g.Places) > 0 {
		var names []string
		for _, p := range ev.Places {
			names = append(names, p.Name)
		}
		have := lowerSet(names)
		for p := range lowerSet(g.Places) {
			if !have[p] {
				return false
			}
		}
	}
	return true
}

func scoreEvents(g gold, evs []event.Event) score {
	s := score{credited: map[string]bool{}, events: len(evs), req: g.Required}
	for _, ev := range evs {
		v := verdict{ev: ev, kind: "extra"}
		if slices.Contains(g.ForbiddenDates, ev.Date) {
			v.kind = "forbidden"
		} else {
			for _, ge := range g.Required {
				if !s.credited[ge.ID] && matches(ev, ge) {
					s.credited[ge.ID] = true
					v.kind, v.gold = "ok", ge.ID
					s.good++
					break
				}
			}
			if v.kind == "extra" {
				for _, ge := range g.Neutral {
					if matches(ev, ge) {
						v.kind, v.gold = "neutral", ge.ID
						s.good++
						break
					}
				}
			}
		}
		s.verdicts = append(s.verdicts, v)
	}
	for _, ge := range g.Required {
		if !s.credited[ge.ID] {
			s.missed = append(s.missed, ge)
		}
	}
	return s
}
