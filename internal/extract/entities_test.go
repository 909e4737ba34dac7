package extract

import (
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

func TestEntities(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		actor      string // wanted among the first event's actors; "" for none
		notActor   string // must not be among its actors
		place      string // wanted among its places
	}{
		{name: "demonym", text: "North Korean troops crossed the border on June 3, 2024, and launched missiles at Kharkiv.",
			actor: "North Korea", place: "Kharkiv"},
		{name: "metonym", text: "Pyongyang signed a treaty with Moscow on June 19, 2024.", actor: "North Korea"},
		{name: "alias acronym", text: "The UN announced a ceasefire on June 19, 2024.", actor: "United Nations"},
		{name: "lower-case us is not the US", text: "The rebels told us they signed a truce on June 19, 2024.", notActor: "United States"},
		{name: "person", text: "Putin signed the treaty on June 19, 2024.", actor: "Russia"},
		{name: "ambiguous unsupported", text: "Protesters rallied in Georgia on June 19, 2024.", notActor: "Georgia"},
		{name: "ambiguous supported", text: "Georgian police said protesters rallied in Tbilisi and across Georgia on June 19, 2024.",
			actor: "Georgia", place: "Tbilisi"},
		{name: "clear name of a country with an ambiguous short name", text: "Protesters rallied in Democratic Republic of the Congo on June 19, 2024.",
			place: "Democratic Republic of the Congo"},
		{name: "clear name after the", text: "Protesters rallied in the Democratic Republic of the Congo on June 19, 2024.",
			actor: "Democratic Republic of the Congo"},
		{name: "clear acronym of a country with an ambiguous short name", text: "Rebels attacked army positions in eastern DRC on June 19, 2024.",
			actor: "Democratic Republic of the Congo"},
		{name: "ambiguous short name unsupported", text: "Rebels attacked army positions in Congo on June 19, 2024.", notActor: "Democratic Republic of the Congo"},
		{name: "clear alias of a place with an ambiguous name, kept as the text gives it in full", text: "Protesters rallied in Washington, D.C., on June 19, 2024.", place: "Washington, D.C."},
		{name: "a place's written qualifier is not its name", text: "A Myanmar aircraft bombed a village in Rakhine state on June 19, 2024.", place: "Rakhine"},
		{name: "a seat of government after at is a place", text: "The Prime Minister met President Biden at the White House on June 19, 2024.", place: "White House"},
		{name: "a place is named as the text names it", text: "Houthi forces attacked two ships in the Bab al-Mandeb Strait on June 19, 2024.", place: "Bab al-Mandeb Strait"},
		{name: "an older spelling is kept too", text: "Russian missiles struck Kiev on June 19, 2024.", place: "Kiev"},
		{name: "current official name", text: "Protesters rallied in Türkiye on June 19, 2024.", place: "Turkey"},
		{name: "a possessor after in the is an actor", text: "Counting in the Solomon Islands' general election began on June 19, 2024.", actor: "Solomon Islands"},
		{name: "a cited source is no actor", text: "North Korea sent troops to Russia on June 19, 2024 (Yonhap, June 20, 2024).",
			actor: "North Korea", notActor: "Yonhap"},
		{name: "longest match", text: "South Korea and North Korea held talks on June 19, 2024.", actor: "South Korea", notActor: "Korea"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "e", Text: tc.text, Published: pub})
			if len(evs) == 0 {
				t.Fatalf("Extract(%q) = no events", tc.text)
			}
			ev := evs[0]
			if tc.actor != "" && !slices.Contains(ev.Actors, tc.actor) {
				t.Errorf("actors = %v, want %q among them", ev.Actors, tc.actor)
			}
			if tc.notActor != "" && slices.Contains(ev.Actors, tc.notActor) {
				t.Errorf("actors = %v, want no %q", ev.Actors, tc.notActor)
			}
			if tc.place != "" && !slices.Contains(placeNames(ev), tc.place) {
				t.Errorf("places = %v, want %q among them", placeNames(ev), tc.place)
			}
			for _, p := range ev.Places {
				if p.Lat == 0 && p.Lon == 0 && gazetteerPlace(x, p.Name) {
					t.Errorf("gazetteer place %q at 0,0", p.Name)
				}
			}
		})
	}
}

func TestCitationsAndDatelines(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	text := "KYIV, October 28 (Wire) - Ukraine said talks with Russia were stalled.\n" +
		"Russia struck Kharkiv with missiles on January 2, 2024.\n" +
		"[1] Smith, J. \"Russia strikes Kharkiv again\" (article, June 19, 2024). Retrieved October 28, 2024.\n" +
		"Copyright 2024 Wire Services. All rights reserved.\n"
	evs := x.Extract(Document{ArticleID: "c", Text: text, Published: pub})
	for _, ev := range evs {
		switch ev.Date {
		case "2024-10-28", "2024-06-19", "2024":
			t.Errorf("event %s dated %s by a dateline, citation or copyright line", ev.Type, ev.Date)
		}
	}
	if len(evs) != 1 || evs[0].Date != "2024-01-02" {
		t.Errorf("events = %d, want only the January 2 strike", len(evs))
	}
}

// TestEveryGazetteerNameFound reads every clear (not ambiguous) name of
// every country and place of the embedded gazetteers in a plain sentence
// and requires the extractor to find that country or place.
func TestEveryGazetteerNameFound(t *testing.T) {
	x := testExtractor(t)
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)
	found := func(name, place, country string) bool {
		evs := x.Extract(Document{ArticleID: "g", Text: "Protesters rallied in " + name + " on June 19, 2024.", Published: pub})
		for _, ev := range evs {
			for _, p := range ev.Places {
				if p.Name == place || p.Country == country {
					return true
				}
			}
			if slices.Contains(ev.Actors, country) {
				return true
			}
		}
		return false
	}
	for _, c := range rs.Countries {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if !c.NameAmbiguous(n) && !found(n, "", c.Name) {
				t.Errorf("country %s: name %q not found", c.Name, n)
			}
		}
	}
	for _, p := range rs.Places {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if !p.NameAmbiguous(n) && !found(n, p.Name, p.Country) {
				t.Errorf("place %s (%s): name %q not found", p.Name, p.Country, n)
			}
		}
	}
}

// TestDocumentDatesAreNotEvents: a document named by its date ("my
// previous report of 22 September 2009", "the letter dated 5 May") is a
// reference, not an event on that day; the events beside it still count.
func TestDocumentDatesAreNotEvents(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2009, 12, 28, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, bad, want string }{
		{"The present report reviews the elections and the security situation since my previous report of 22 September 2009 (A/64/364-S/2009/475). Insurgents attacked polling stations in Kandahar on 20 August 2009.", "2009-09-22", "2009-08-20"},
		{"The letter dated 5 May 2009 concerns the peace talks between the parties. Troops shelled Grozny on 2 May 2009.", "2009-05-05", "2009-05-02"},
	} {
		evs := x.Extract(Document{ArticleID: "r", Text: tc.text, Published: pub})
		found := false
		for _, ev := range evs {
			if ev.Date == tc.bad {
				t.Errorf("%q: event %s dated %s by a document's date", tc.text, ev.Type, ev.Date)
			}
			found = found || ev.Date == tc.want
		}
		if !found {
			t.Errorf("%q: no event on %s; got %d events", tc.text, tc.want, len(evs))
		}
	}
}
