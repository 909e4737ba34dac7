package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// mechCase is a short text and what the extractor must, and must not,
// read from it. want and not list "type date" pairs ("military_strike
// 2024-03-03"); a bare date in not forbids any event on that date.
type mechCase struct {
	name, text string
	pub        time.Time
	want, not  []string
}

// runMech extracts every case and checks its wants and forbids.
func runMech(t *testing.T, cases []mechCase) {
	t.Helper()
	x := testExtractor(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "m", Text: tc.text, Published: tc.pub})
			for _, w := range tc.want {
				if !hasEvent(evs, w) {
					t.Errorf("Extract(%q): no %q in %s", tc.text, w, summary(evs))
				}
			}
			for _, w := range tc.not {
				if hasEvent(evs, w) {
					t.Errorf("Extract(%q): unwanted %q in %s", tc.text, w, summary(evs))
				}
			}
		})
	}
}

// hasEvent reports whether evs holds an event matching "type date", or
// any event on a date given alone.
func hasEvent(evs []event.Event, spec string) bool {
	typ, date, ok := strings.Cut(spec, " ")
	if !ok {
		typ, date = "", spec
	}
	for _, ev := range evs {
		if (typ == "" || ev.Type == typ) && ev.Date == date {
			return true
		}
	}
	return false
}

func summary(evs []event.Event) string {
	var b strings.Builder
	b.WriteString("[")
	for i, ev := range evs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ev.Type + " " + ev.Date)
		if ev.DateEnd != "" {
			b.WriteString(".." + ev.DateEnd)
		}
	}
	return b.String() + "]"
}

var mechPub = time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)

func TestDatelines(t *testing.T) {
	runMech(t, []mechCase{
		{name: "caps city, date and agency", pub: mechPub,
			text: "KYIV, March 4 (Test Wire) - Russian forces struck Odesa with drones on March 3, 2024, damaging port facilities, Ukrainian officials said.",
			want: []string{"military_strike 2024-03-03"}, not: []string{"2024-03-04"}},
		{name: "caps city and agency, em dash", pub: mechPub,
			text: "LAGOS (Coastline Agency) — Gunmen attacked a military base in Borno state on Saturday, killing nine soldiers.",
			want: []string{"military_strike 2024-03-02"}},
		{name: "title-case city with full date", pub: mechPub,
			text: "Manila, 3 March 2024 — The Philippines and Vietnam signed a maritime cooperation agreement on Friday.",
			want: []string{"treaty_signing 2024-03-01"}, not: []string{"2024-03-03"}},
		{name: "city, country, abbreviated month", pub: mechPub,
			text: "ADDIS ABABA, Ethiopia, Mar. 4 (Horn Desk) - Protesters marched through the capital on Sunday.",
			want: []string{"protest 2024-03-03"}, not: []string{"2024-03-04"}},
		{name: "dateline words do not veto the trigger", pub: mechPub,
			text: "SEOUL, March 4 (Test Press) - North Korea fired two ballistic missiles into the sea on Monday.",
			want: []string{"weapons_test 2024-03-04"}},
		{name: "dateline date anchors without publication",
			text: "KYIV, March 4, 2024 (Test Wire) - Russian forces shelled Kharkiv yesterday.",
			want: []string{"military_strike 2024-03-03"}, not: []string{"2024-03-04"}},
		{name: "dateline gives partial dates their year",
			text: "GENEVA, March 4, 2024 (Test Wire) - Iran and the IAEA held talks on March 1.",
			want: []string{"negotiation 2024-03-01"}},
		{name: "plain sentence with dash is not a dateline", pub: mechPub,
			text: "Russia - which denies targeting civilians - struck Kharkiv with missiles on Saturday.",
			want: []string{"military_strike 2024-03-02"}},
	})
}

func TestDatelinePlaceLentToLead(t *testing.T) {
	x := testExtractor(t)
	text := "NAIROBI (Test Wire) — Protesters stormed parliament on Saturday, police said.\n\nLater, troops were sent to Mombasa on Wednesday."
	evs := x.Extract(Document{ArticleID: "p", Text: text, Published: mechPub})
	for _, ev := range evs {
		if ev.Type == "protest" && !containsPlace(ev, "Nairobi") {
			t.Errorf("protest places = %v, want the dateline's Nairobi", placeNames(ev))
		}
		if ev.Type == "troop_deployment" && containsPlace(ev, "Nairobi") {
			t.Errorf("a later paragraph borrowed the dateline place: %v", placeNames(ev))
		}
	}
	if !hasEvent(evs, "protest 2024-03-02") {
		t.Errorf("no protest in %s", summary(evs))
	}
}

func containsPlace(ev event.Event, name string) bool {
	for _, p := range ev.Places {
		if p.Name == name {
			return true
		}
	}
	return false
}

func TestDayparts(t *testing.T) {
	runMech(t, []mechCase{
		{name: "overnight is the report's day", pub: mechPub,
			text: "Israeli jets carried out airstrikes on Beirut overnight, state media reported.",
			want: []string{"military_strike 2024-03-04"}},
		{name: "overnight beside a named day defers to it", pub: mechPub,
			text: "Russian drones struck Kharkiv overnight into Sunday, officials said.",
			want: []string{"military_strike 2024-03-03"}, not: []string{"military_strike 2024-03-04"}},
		{name: "an overnight vigil names no night", pub: mechPub,
			text: "Gunmen attacked a church during an overnight vigil, officials said on Sunday.",
			not:  []string{"2024-03-04"}},
		{name: "this morning", pub: mechPub,
			text: "Hezbollah fired rockets at Israeli troops this morning.",
			want: []string{"military_strike 2024-03-04"}},
		{name: "last night", pub: mechPub,
			text: "Rebel forces shelled the airport last night.",
			want: []string{"military_strike 2024-03-03"}},
	})
}

func TestNumericDateOrder(t *testing.T) {
	runMech(t, []mechCase{
		{name: "an unambiguous day-first date settles the document",
			pub:  time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC),
			text: "The UK sanctioned Russian banks on 22/02/2022. The G7 oil price cap entered into force on 05/12/2022.",
			want: []string{"sanction 2022-12-05"}, not: []string{"2022-05-12"}},
		{name: "an unambiguous month-first date settles the document",
			pub:  time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC),
			text: "The U.S. imposed sanctions on Iranian banks on 02/22/2022. It imposed an oil price cap on 05/12/2022.",
			want: []string{"sanction 2022-05-12"}},
		{name: "dotted dates put the day first",
			pub:  time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC),
			text: "India carried out a missile test of the Agni-5 on 11.03.2024, officials said.",
			want: []string{"weapons_test 2024-03-11"}},
	})
}

func TestNonEventYears(t *testing.T) {
	runMech(t, []mechCase{
		{name: "financial year", pub: mechPub,
			text: "By the end of financial year 2023/24 the Treasury had frozen assets worth £25 billion under sanctions.",
			not:  []string{"2023", "2024"}},
		{name: "fiscal year", pub: mechPub,
			text: "Arms exports to Poland reached a record in fiscal year 2023, the ministry said.",
			not:  []string{"2023"}},
	})
}

func TestAnniversaryDay(t *testing.T) {
	runMech(t, []mechCase{
		{name: "the day an anniversary is marked does not date the event",
			pub:  time.Date(2025, 2, 19, 0, 0, 0, 0, time.UTC),
			text: "The measures come ahead of the third anniversary of Russia's full-scale invasion of Ukraine on 24 February.",
			not:  []string{"2024-02-24", "2025-02-24"}},
		{name: "an explicit year after the anniversary is the event's",
			pub:  time.Date(2025, 2, 19, 0, 0, 0, 0, time.UTC),
			text: "Officials marked the anniversary of the invasion of Ukraine on 24 February 2022.",
			want: []string{"military_strike 2022-02-24"}},
	})
}

func TestCoordinatedDates(t *testing.T) {
	runMech(t, []mechCase{
		{name: "each verb keeps its own date", pub: mechPub,
			text: "The islands switched recognition to China in September 2019 and signed a security pact with Beijing in April 2022.",
			want: []string{"treaty_signing 2022-04"}, not: []string{"treaty_signing 2019-09"}},
	})
}

func TestDatedNouns(t *testing.T) {
	runMech(t, []mechCase{
		{name: "possessive day on a nominalised signing", pub: time.Date(2025, 6, 28, 0, 0, 0, 0, time.UTC),
			text: "Friday's signing of a peace agreement between Congo and Rwanda was hailed as a breakthrough.",
			want: []string{"treaty_signing 2025-06-27"}},
		{name: "year modifying an agreement", pub: mechPub,
			text: "The move follows a 2012 agreement with Japan on the Marines.",
			want: []string{"treaty_signing 2012"}},
		{name: "possessive day on a strike", pub: mechPub,
			text: "Saturday's strike on the port destroyed two warehouses.",
			want: []string{"military_strike 2024-03-02"}},
		{name: "a date before a preposition does not modify the noun", pub: mechPub,
			text: "Farmers staged protests across France in November against the deal.",
			not:  []string{"treaty_signing 2023-11"}},
		{name: "an undated noun is no event", pub: mechPub,
			text: "The agreement remains popular, a poll found on Monday.",
			not:  []string{"treaty_signing 2024-03-04"}},
	})
}

func TestBoundsAndDeadlines(t *testing.T) {
	runMech(t, []mechCase{
		{name: "until bounds an event", pub: mechPub,
			text: "The talks are scheduled to run until Friday.",
			not:  []string{"negotiation 2024-03-08", "negotiation 2024-03-01"}},
		{name: "by sets a deadline", pub: mechPub,
			text: "The declaration commits the parties to begin talks on a peace deal by Aug. 8.",
			not:  []string{"2023-08-08", "2024-08-08"}},
		{name: "a future cue later in the clause dates ahead", pub: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
			text: "The three-day summit, running from 26 to 28 October, is expected to be attended by Trump.",
			want: []string{"meeting 2025-10-26"}},
		{name: "is due in", pub: mechPub,
			text: "France's foreign minister is due in Beirut on Sunday for talks with Lebanese officials.",
			want: []string{"meeting 2024-03-10"}, not: []string{"2024-03-03"}},
	})
}

func TestMeetingsAndWithdrawals(t *testing.T) {
	runMech(t, []mechCase{
		{name: "public figures meeting", pub: mechPub,
			text: "Putin met Kim in Pyongyang on March 1.",
			want: []string{"meeting 2024-03-01"}},
		{name: "talks with a leader are a meeting", pub: mechPub,
			text: "Fico visited Moscow on Sunday for talks with Vladimir Putin.",
			want: []string{"meeting 2024-03-03"}},
		{name: "opening talks is a negotiation", pub: mechPub,
			text: "Sharif's party said on Friday it had opened talks with the PPP on forming a government.",
			not:  []string{"meeting 2024-03-01"}},
		{name: "troop withdrawal", pub: mechPub,
			text: "The United States withdrew its last troops from Niger in August 2023.",
			want: []string{"troop_deployment 2023-08"}},
		{name: "withdrawal from a treaty is not a troop movement", pub: mechPub,
			text: "Washington withdrew from the nuclear deal in May 2018.",
			not:  []string{"troop_deployment 2018-05"}},
	})
}

// TestEventIDStable pins event.ID's digest: ids are stored in the index
// and must not change between releases for the same extraction.
func TestEventIDStable(t *testing.T) {
	tests := []struct {
		article, typ, date, end string
		actors                  []string
		want                    string
	}{
		{"a1", "treaty_signing", "2024-06-19", "", []string{"Russia", "North Korea"}, "1dfb22076c011c540c30773f"},
		{"bench", "military_strike", "2024-01", "2024-03", []string{"Türkiye", "ÉTAT", "al-Qaeda", "Al-Shabaab", "UN", "U.N."}, "03471f21d859ded4b658c21e"},
		{"", "", "", "", nil, "8855508aade16ec573d21e6a"},
	}
	for _, tc := range tests {
		if got := event.ID(tc.article, tc.typ, tc.date, tc.end, tc.actors); got != tc.want {
			t.Errorf("event.ID(%q, %q, %q, %q, %q) = %s, want %s", tc.article, tc.typ, tc.date, tc.end, tc.actors, got, tc.want)
		}
	}
	if got := testing.AllocsPerRun(100, func() { event.ID("a1", "aid", "2024", "", []string{"Russia", "Ukraine"}) }); got > 1 {
		t.Errorf("event.ID allocates %v times, want at most 1", got)
	}
}

func TestMoreDatelineForms(t *testing.T) {
	runMech(t, []mechCase{
		{name: "date alone before the dash", pub: mechPub,
			text: "Saturday, March 2, 2024 — Opposition parties submitted a motion on Saturday to impeach the president.",
			want: []string{"statement 2024-03-02"}},
		{name: "place, dash, date, dash", pub: mechPub,
			text: "BOGOTÁ — March 1, 2024 — A bilateral ceasefire between the government and the rebels came into force at midnight on Thursday.",
			want: []string{"ceasefire 2024-02-29"}, not: []string{"ceasefire 2024-03-01"}},
		{name: "two cities and a double hyphen", pub: mechPub,
			text: "YEREVAN/BAKU, March 4 (Test Wire) -- Armenia and Azerbaijan completed negotiations on a peace text, the ministries said on Sunday.",
			not:  []string{"negotiation 2024-03-04"}},
	})
}

func TestDaysOfTheMonthAndWeek(t *testing.T) {
	runMech(t, []mechCase{
		{name: "on the 14th takes the month in context", pub: time.Date(2025, 4, 17, 0, 0, 0, 0, time.UTC),
			text: "Airstrikes hit Sagaing on April 2. On the 14th, troops shelled a school in Magway region.",
			want: []string{"military_strike 2025-04-14"}},
		{name: "an ordinal before a noun is no date", pub: time.Date(2025, 4, 17, 0, 0, 0, 0, time.UTC),
			text: "The EU adopted its 14th package of sanctions on the 14th round of talks.",
			not:  []string{"2025-04-14"}},
		{name: "earlier this week stops at publication", pub: time.Date(2025, 4, 17, 0, 0, 0, 0, time.UTC),
			text: "Earlier this week, a bombing on a festival crowd killed 12 people, residents said.",
			want: []string{"military_strike 2025-04-14"}, not: []string{"2025-04-14..2025-04-20"}},
	})
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "w", Text: "Earlier this week, a bombing on a festival crowd killed 12 people, residents said.", Published: time.Date(2025, 4, 17, 0, 0, 0, 0, time.UTC)})
	for _, ev := range evs {
		if ev.DateEnd > "2025-04-17" {
			t.Errorf("%s ends %s, after publication", ev.Type, ev.DateEnd)
		}
	}
}

func TestEventsThatLastedDays(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2025, 9, 1, 18, 0, 0, 0, time.UTC)
	tests := []struct{ name, text, date, end string }{
		{"two-day summit ended", "The two-day summit of the SCO ended on Monday in Tianjin.", "2025-08-31", "2025-09-01"},
		{"concluded three days of drills", "China's navy concluded three days of military drills around Taiwan on Monday.", "2025-08-30", "2025-09-01"},
		{"no ending verb", "Leaders opened a two-day summit in Tianjin on Monday.", "2025-09-01", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "d", Text: tc.text, Published: pub})
			for _, ev := range evs {
				if ev.Date == tc.date && ev.DateEnd == tc.end {
					return
				}
			}
			t.Errorf("Extract(%q) = %s, want an event %s..%s", tc.text, summary(evs), tc.date, tc.end)
		})
	}
}

func TestReferencePoints(t *testing.T) {
	runMech(t, []mechCase{
		{name: "a week after the invasion", pub: mechPub,
			text: "Moldova, which applied for membership a week after Russia's full-scale invasion of Ukraine, was granted candidate status in June 2022.",
			not:  []string{"military_strike 2022-06"}},
		{name: "after a clause is no reference point", pub: mechPub,
			text: "Tensions soared after Venezuela held a referendum on December 3.",
			want: []string{"election 2023-12-03"}},
		{name: "present perfect takes no date of another clause", pub: mechPub,
			text: "The war, which escalated when a coalition intervened in March 2015, has killed hundreds of thousands of people.",
			not:  []string{"casualties 2015-03"}},
		{name: "came days after", pub: mechPub,
			text: "The strikes came two days after the Security Council passed a resolution on Wednesday demanding a halt to the attacks.",
			not:  []string{"military_strike 2024-02-28"}},
		{name: "followed", pub: mechPub,
			text: "The exercises followed the president's designation of China as a hostile force on 13 February.",
			not:  []string{"weapons_test 2024-02-13"}},
		{name: "a possessive date modifies its own noun", pub: mechPub,
			text: "The junta declared a truce after last month's earthquake.",
			not:  []string{"statement 2024-02"}},
		{name: "hours after opens a new frame", pub: mechPub,
			text: "Parties submitted a motion on Saturday to impeach the president, hours after martial law sent troops into the streets.",
			not:  []string{"troop_deployment 2024-03-02"}},
		{name: "the remark of a plan is not an event", pub: mechPub,
			text: "He cited Macron's remark that sending troops to Ukraine could not be ruled out on Friday.",
			not:  []string{"troop_deployment 2024-03-01"}},
	})
}

func TestDiscourseAndReports(t *testing.T) {
	runMech(t, []mechCase{
		{name: "trucks continue an aid story", pub: mechPub,
			text: "The World Food Programme said aid convoys had been blocked for weeks. The 17 trucks crossed from Chad on Saturday.",
			want: []string{"aid 2024-03-02"}},
		{name: "trucks alone are no aid", pub: mechPub,
			text: "The 17 trucks crossed from Chad on Saturday.",
			not:  []string{"aid 2024-03-02"}},
		{name: "an armed group stands for the force", pub: mechPub,
			text: "The RSF attacked the camp's southern market on Saturday.",
			want: []string{"military_strike 2024-03-02"}},
		{name: "a report of an event is that event", pub: mechPub,
			text: "The U.S. military said on Saturday it had shot down four drones fired from Yemen.",
			want: []string{"military_strike 2024-03-02"}, not: []string{"statement 2024-03-02"}},
		{name: "a day opening the sentence frames the statement too", pub: mechPub,
			text: "On Saturday, the U.S. military said it had shot down four drones fired from Yemen.",
			want: []string{"military_strike 2024-03-02", "statement 2024-03-02"}},
		{name: "a statement is not dated by the plan it announces", pub: mechPub,
			text: "Moscow has announced a new round of exercises for this September.",
			not:  []string{"statement 2024-09"}},
		{name: "a noun followed by a hypothetical", pub: mechPub,
			text: "North Korea tested a missile in January. A test in the coming weeks would be its first nuclear test since 2017.",
			not:  []string{"weapons_test 2024-03-04..2024-03-10", "weapons_test 2017"}},
		{name: "deadlines do not date", pub: mechPub,
			text: "The parties will begin talks by March 8, with a final agreement to be signed no later than March 18.",
			not:  []string{"2024-03-18", "2024-03-08"}},
	})
}

func TestNonEventWords(t *testing.T) {
	runMech(t, []mechCase{
		{name: "a death statistic", pub: mechPub,
			text: "Overdose deaths fell by about 27% in 2023, according to data released on February 14, 2024.",
			not:  []string{"2024-02-14", "2023"}},
		{name: "trade fell to", pub: mechPub,
			text: "The bloc's trade with Iran fell to about €4.5 billion in 2023.",
			not:  []string{"2023"}},
		{name: "struck by a cyclone", pub: mechPub,
			text: "Vanuatu was struck by two cyclones within a week in March 2023.",
			not:  []string{"military_strike 2023-03"}},
		{name: "seizing power is a coup, a strike here", pub: mechPub,
			text: "Myanmar has been in turmoil since the army seized power in February 2021.",
			want: []string{"military_strike 2021-02"}},
		{name: "a coup plotted is not staged", pub: mechPub,
			text: "On Thursday, he accused the opposition of plotting a coup.",
			not:  []string{"military_strike"}},
		{name: "court rulings are statements", pub: mechPub,
			text: "An arbitral tribunal ruled in the Philippines' favour in July 2016.",
			want: []string{"statement 2016-07"}},
		{name: "forming an alliance", pub: mechPub,
			text: "Burkina Faso, Mali and Niger formed the Alliance of Sahel States in September 2023.",
			want: []string{"treaty_signing 2023-09"}},
	})
}

func TestDatelinePlaceNotLentOverOwnPlace(t *testing.T) {
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "k", Published: mechPub,
		Text: "KYIV, March 4 (Test Wire) - Russian forces struck Odesa with drones on March 3, 2024, officials said."})
	for _, ev := range evs {
		if containsPlace(ev, "Kyiv") {
			t.Errorf("%s places = %v: the dateline city lent to an event placed elsewhere", ev.Type, placeNames(ev))
		}
	}
}

func TestLiveBlogDayHeadings(t *testing.T) {
	pub := time.Date(2024, 10, 3, 13, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "relative dates count from the heading above them", pub: pub,
			text: "LIVE: escalation - latest updates\n\nWednesday 2 October 2024\n\n23:10 BST\nIsraeli jets struck Beirut overnight, state media reports.\n\nThursday 3 October 2024\n\n08:05 BST\nHezbollah fired rockets at Israeli troops this morning.",
			want: []string{"military_strike 2024-10-02", "military_strike 2024-10-03"}},
		{name: "a heading after publication is ignored", pub: pub,
			text: "Monday 7 October 2024\n\nRebels shelled the airport yesterday.",
			want: []string{"military_strike 2024-10-02"}},
	})
}

func TestSubordinateNamesComeSecond(t *testing.T) {
	x := testExtractor(t)
	text := "Counting continued in the Solomon Islands on Friday. Voters went to the polls on Wednesday, 17 April, in the first election since the Pacific nation switched its recognition from Taiwan to China."
	evs := x.Extract(Document{ArticleID: "s", Text: text, Published: time.Date(2024, 4, 19, 12, 0, 0, 0, time.UTC)})
	for _, ev := range evs {
		if ev.Type == "election" && ev.Date == "2024-04-17" {
			if len(ev.Actors) == 0 || ev.Actors[0] != "Solomon Islands" {
				t.Errorf("election actors = %v, want Solomon Islands first", ev.Actors)
			}
			return
		}
	}
	t.Errorf("no election on 2024-04-17 in %s", summary(evs))
}

func TestWeekdayAgreesWithDate(t *testing.T) {
	runMech(t, []mechCase{
		{name: "the weekday picks last year", pub: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
			text: "Russia and North Korea signed a treaty on Wednesday, June 19.",
			want: []string{"treaty_signing 2024-06-19"}, not: []string{"2025-06-19"}},
		{name: "the weekday agrees with this year", pub: time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC),
			text: "Russia and North Korea signed a treaty on Wednesday, June 19.",
			want: []string{"treaty_signing 2024-06-19"}},
	})
}

// TestAmbiguousNumericDatesMarked checks that a numeric date whose order
// neither the feed's locale nor the document settles ("05/06/2024") is read
// month first and marked by a lower confidence, and that a locale settles
// it.
func TestAmbiguousNumericDatesMarked(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)
	read := func(date, locale string) event.Event {
		t.Helper()
		evs := x.Extract(Document{ArticleID: "n", Text: "Russia and North Korea signed a treaty on " + date + ".", Published: pub, Locale: locale})
		if len(evs) != 1 {
			t.Fatalf("%s (%q): %s, want one event", date, locale, summary(evs))
		}
		return evs[0]
	}
	clear := read("19/06/2024", "")
	ambiguous := read("05/06/2024", "")
	if ambiguous.Date != "2024-05-06" || ambiguous.Confidence >= clear.Confidence {
		t.Errorf("05/06/2024 without locale = %s at confidence %v, want 2024-05-06 below %v", ambiguous.Date, ambiguous.Confidence, clear.Confidence)
	}
	for locale, want := range map[string]string{"en-US": "2024-05-06", "en-GB": "2024-06-05"} {
		if ev := read("05/06/2024", locale); ev.Date != want || ev.Confidence != clear.Confidence {
			t.Errorf("05/06/2024 in %s = %s at confidence %v, want %s at %v", locale, ev.Date, ev.Confidence, want, clear.Confidence)
		}
	}
	for _, date := range []string{"19/06/2024", "06/19/2024"} {
		for _, locale := range []string{"", "en-US", "en-GB"} {
			if ev := read(date, locale); ev.Date != "2024-06-19" {
				t.Errorf("%s in %q = %s, want 2024-06-19", date, locale, ev.Date)
			}
		}
	}
}

// TestBackgroundKeepsItsDate checks that a past event retold in a new
// article keeps its own date and is never dated by the publication.
func TestBackgroundKeepsItsDate(t *testing.T) {
	pub := time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "background in a later sentence", pub: pub,
			text: "Russian missiles hit Kyiv on Monday, killing four people. The attack came months after Russia launched a ground offensive in the Kharkiv region in May 2024.",
			want: []string{"military_strike 2024-10-28", "military_strike 2024-05"}, not: []string{"2024-10-29"}},
		{name: "undated background is dropped, not dated by publication", pub: pub,
			text: "Russia and North Korea signed a mutual defence treaty, which analysts say changed the war.",
			not:  []string{"2024-10-29", "2024-10"}},
	})
}
