package extract

import (
	"slices"
	"testing"
)

func TestStateSubjectStrike(t *testing.T) {
	runMech(t, []mechCase{
		{name: "country attacked a capital", pub: mechPub,
			text: "Russia attacked Kyiv overnight on March 3, 2024, officials said.",
			want: []string{"military_strike 2024-03-03"}},
		{name: "country struck a capital's suburbs", pub: mechPub,
			text: "Israel struck Beirut's southern suburbs on March 2, 2024.",
			want: []string{"military_strike 2024-03-02"}},
		{name: "country hit a site in a city", pub: mechPub,
			text: "Ukraine hit a refinery in Ryazan on March 1, 2024.",
			want: []string{"military_strike 2024-03-01"}},
		{name: "politician attacked a policy", pub: mechPub,
			text: "The opposition leader attacked the government's budget plan on March 1, 2024.",
			not:  []string{"military_strike 2024-03-01"}},
		{name: "critics in a capital attacked a plan", pub: mechPub,
			text: "Critics in Kyiv attacked the reform plan on March 1, 2024.",
			not:  []string{"military_strike 2024-03-01"}},
		{name: "a country's opposition attacked a price rise", pub: mechPub,
			text: "Egypt's opposition parties attacked the fuel price rise in Cairo on March 1, 2024.",
			not:  []string{"military_strike 2024-03-01"}},
		{name: "country attacked with no place after it", pub: mechPub,
			text: "Hungary attacked the proposal on March 1, 2024.",
			not:  []string{"military_strike 2024-03-01"}},
	})
}

func TestStateSubjectActorsAndPlace(t *testing.T) {
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "s", Text: "Israel struck Beirut's southern suburbs on March 2, 2024.", Published: mechPub})
	for _, ev := range evs {
		if ev.Type == "military_strike" {
			if !slices.Contains(ev.Actors, "Israel") || !containsPlace(ev, "Beirut") && !containsPlace(ev, "Dahiyeh") {
				t.Errorf("strike actors %v places %v, want Israel and Beirut (or its southern suburbs, Dahiyeh)", ev.Actors, placeNames(ev))
			}
			return
		}
	}
	t.Errorf("no strike in %s", summary(evs))
}

func TestStateMediaIsAttribution(t *testing.T) {
	runMech(t, []mechCase{
		{name: "state media reported", pub: mechPub,
			text: "North Korea test-fired cruise missiles on March 1, 2024, state media reported.",
			want: []string{"weapons_test 2024-03-01"}, not: []string{"statement 2024-03-01"}},
		{name: "according to state media", pub: mechPub,
			text: "According to state media, the drills ended on March 2, 2024.",
			not:  []string{"statement 2024-03-02"}},
		{name: "state media published a text", pub: mechPub,
			text: "On March 1, 2024, state media published the treaty's text.",
			want: []string{"statement 2024-03-01"}},
		{name: "a spokesman said, per state media", pub: mechPub,
			text: "A foreign ministry spokesman said on March 1, 2024 that it would retaliate, according to state media.",
			want: []string{"statement 2024-03-01"}},
	})
}
