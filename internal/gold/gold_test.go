package gold

import (
	"testing"

	"github.com/dateline/dateline/internal/event"
)

func TestMatches(t *testing.T) {
	end := "2024-09"
	g := Event{ID: "x", Type: []string{"treaty_signing", "statement"}, Date: "2024-06", Actors: []string{"North Korea", "DPRK"}, Places: []string{"Pyongyang"}}
	span := Event{ID: "s", Type: []string{"arms_transfer"}, Date: "2023-09", DateEnd: &end}
	pyongyang := []event.Place{{Name: " pyongyang"}}
	for _, tc := range []struct {
		name string
		ev   event.Event
		g    Event
		want bool
	}{
		{"finer date, one actor, every place, any case", event.Event{Type: "statement", Date: "2024-06-19", Actors: []string{"dprk "}, Places: pyongyang}, g, true},
		{"type not among the gold's", event.Event{Type: "meeting", Date: "2024-06-19", Actors: []string{"DPRK"}, Places: pyongyang}, g, false},
		{"coarser date", event.Event{Type: "statement", Date: "2024", Actors: []string{"DPRK"}, Places: pyongyang}, g, false},
		{"no gold actor", event.Event{Type: "statement", Date: "2024-06-19", Actors: []string{"Russia"}, Places: pyongyang}, g, false},
		{"a gold place missing", event.Event{Type: "statement", Date: "2024-06-19", Actors: []string{"DPRK"}}, g, false},
		{"span inside the gold's", event.Event{Type: "arms_transfer", Date: "2023-09-03", DateEnd: "2024-09-30"}, span, true},
		{"span without its end", event.Event{Type: "arms_transfer", Date: "2023-09-03"}, span, false},
	} {
		if got := Matches(tc.ev, tc.g); got != tc.want {
			t.Errorf("%s: Matches = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestScore(t *testing.T) {
	a := Article{
		Required:       []Event{{ID: "r", Type: []string{"statement"}, Date: "2024-06-20"}},
		Neutral:        []Event{{ID: "n", Type: []string{"meeting"}, Date: "2024-06-20"}},
		ForbiddenDates: []string{"2024-10-28"},
	}
	g := Score(a, []event.Event{
		{Type: "statement", Date: "2024-06-20"}, // ok
		{Type: "statement", Date: "2024-06-20"}, // credited already: extra
		{Type: "meeting", Date: "2024-06-20"},   // neutral
		{Type: "meeting", Date: "2024-10-28"},   // forbidden
	})
	kinds := []string{}
	for _, v := range g.Verdicts {
		kinds = append(kinds, v.Kind)
	}
	if len(g.Credited) != 1 || g.Good != 2 || g.Events != 4 || g.Forbidden() != 1 || len(g.Missed) != 0 ||
		kinds[0] != OK || kinds[1] != Extra || kinds[2] != Neutral || kinds[3] != Forbidden {
		t.Errorf("grade %+v, kinds %v", g, kinds)
	}
}
