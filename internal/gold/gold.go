// Package gold reads labelled articles (the form of testdata/seed/gold.json)
// and grades extracted events against them as the project's acceptance
// scorer does: an event matches a gold event when its type is one of the
// gold types, its date (and date_end, where the gold has one) starts with
// the gold's, it names at least one gold actor and every gold place
// (case-insensitively). Each required gold event is credited once;
// matches of neutral events count as good; an event on a forbidden date
// is forbidden.
package gold

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
)

// Article is a labelled article: its text file (beside the gold file), its
// publication time and its events.
type Article struct {
	Article        string   `json:"article"`
	Published      string   `json:"published"`
	Required       []Event  `json:"required"`
	Neutral        []Event  `json:"neutral"`
	ForbiddenDates []string `json:"forbidden_dates"`
}

// Event is one labelled event; Type lists the acceptable type ids and
// Actors the acceptable names.
type Event struct {
	ID       string   `json:"id"`
	Type     []string `json:"type"`
	Date     string   `json:"date"`
	DateEnd  *string  `json:"date_end"`
	Actors   []string `json:"actors"`
	Places   []string `json:"places"`
	Evidence string   `json:"evidence"`
}

// Read reads the gold file at path.
func Read(path string) (Article, error) {
	var a Article
	b, err := os.ReadFile(path)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("read gold %s: %w", path, err)
	}
	return a, nil
}

// Matches reports whether extracted event ev matches gold event g.
func Matches(ev event.Event, g Event) bool {
	if !slices.Contains(g.Type, ev.Type) || !strings.HasPrefix(ev.Date, g.Date) {
		return false
	}
	if g.DateEnd != nil && !strings.HasPrefix(ev.DateEnd, *g.DateEnd) {
		return false
	}
	if len(g.Actors) > 0 {
		have := folded(ev.Actors)
		if !slices.ContainsFunc(g.Actors, func(a string) bool { return have[fold(a)] }) {
			return false
		}
	}
	if len(g.Places) > 0 {
		have := map[string]bool{}
		for _, p := range ev.Places {
			have[fold(p.Name)] = true
		}
		for _, p := range g.Places {
			if !have[fold(p)] {
				return false
			}
		}
	}
	return true
}

// Kinds of verdict.
const (
	OK        = "ok"        // credited to a required gold event
	Neutral   = "neutral"   // matches a neutral gold event
	Extra     = "extra"     // matches none
	Forbidden = "forbidden" // dated on a forbidden date
)

// Verdict is how one extracted event was graded.
type Verdict struct {
	Event event.Event
	Kind  string // OK, Neutral, Extra or Forbidden
	Gold  string // the gold event's id for OK and Neutral
}

// Grade is the outcome of grading one article's events.
type Grade struct {
	Credited map[string]bool // the required gold ids credited
	Good     int             // events that are OK or Neutral
	Events   int             // events graded
	Verdicts []Verdict       // one per event, in order
	Missed   []Event         // required gold events no event matched
}

// Forbidden returns how many events carry a forbidden date.
func (g Grade) Forbidden() int {
	n := 0
	for _, v := range g.Verdicts {
		if v.Kind == Forbidden {
			n++
		}
	}
	return n
}

// Score grades evs against article a.
func Score(a Article, evs []event.Event) Grade {
	g := Grade{Credited: map[string]bool{}, Events: len(evs)}
	for _, ev := range evs {
		v := Verdict{Event: ev, Kind: Extra}
		if slices.Contains(a.ForbiddenDates, ev.Date) {
			v.Kind = Forbidden
		} else {
			for _, ge := range a.Required {
				if !g.Credited[ge.ID] && Matches(ev, ge) {
					g.Credited[ge.ID] = true
					v.Kind, v.Gold = OK, ge.ID
					break
				}
			}
			if v.Kind == Extra {
				for _, ge := range a.Neutral {
					if Matches(ev, ge) {
						v.Kind, v.Gold = Neutral, ge.ID
						break
					}
				}
			}
		}
		if v.Kind == OK || v.Kind == Neutral {
			g.Good++
		}
		g.Verdicts = append(g.Verdicts, v)
	}
	for _, ge := range a.Required {
		if !g.Credited[ge.ID] {
			g.Missed = append(g.Missed, ge)
		}
	}
	return g
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func folded(ss []string) map[string]bool {
	out := make(map[string]bool, len(ss))
	for _, s := range ss {
		out[fold(s)] = true
	}
	return out
}
