package extract

// Mechanisms the real-text corpus called for, each as a table of short
// texts: date lists, campaigns, launches, reference dates, actors and
// openings.

import (
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

func TestDateLists(t *testing.T) {
	pub := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a list of days is one event a day", pub: pub,
			text: "U.S. forces carried out strikes on March 3, March 9, April 1 and April 20, 2025, against Houthi targets in Yemen.",
			want: []string{"military_strike 2025-03-03", "military_strike 2025-03-09", "military_strike 2025-04-01", "military_strike 2025-04-20"}},
		{name: "the list's year crosses a new year", pub: pub,
			text: "Houthi forces attacked ships in the Red Sea on December 28 and January 3, 2025.",
			want: []string{"military_strike 2024-12-28", "military_strike 2025-01-03"}, not: []string{"2025-12-28"}},
		{name: "two days joined by and are two events", pub: pub,
			text: "The ministers met in Brussels on 6 and 7 May.",
			want: []string{"meeting 2025-05-06", "meeting 2025-05-07"}},
		{name: "repeated prepositions", pub: pub,
			text: "I directed United States forces to conduct discrete strikes on November 11, 2024, and on November 26, 2024, against facilities in Syria.",
			want: []string{"military_strike 2024-11-11", "military_strike 2024-11-26"}},
		{name: "a conjunct with its own object and date", pub: pub,
			text: "The Secretary spoke with the Foreign Minister of Japan on June 4 and with the Foreign Minister of Australia on June 5.",
			want: []string{"meeting 2025-06-04", "meeting 2025-06-05"}},
		{name: "a date said twice is not a list", pub: pub,
			text: "Three weeks ago, on May 17, Chinese coast guard vessels rammed Philippine navy boats at Second Thomas Shoal.",
			not:  []string{"2025-05-20"}},
		{name: "a date counted from another is not in the list", pub: pub,
			text: "The first package was imposed on Feb. 23, 2022, the day before Russian troops poured across Ukraine's border.",
			want: []string{"sanction 2022-02-23"}, not: []string{"sanction 2022-02-22"}},
		{name: "another verb between the dates", pub: pub,
			text: "The talks began in Geneva on Monday and ended without agreement on Wednesday.",
			not:  []string{"negotiation 2025-06-04"}},
	})
}

func TestCampaignsAndLaunches(t *testing.T) {
	pub := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a siege since a month starts then, with no end", pub: pub,
			text: "Since March 2011, government forces have besieged the town of Madaya.",
			want: []string{"military_strike 2011-03"}},
		{name: "operations since a day", pub: pub,
			text: "Since October 7, 2001, United States Armed Forces have conducted counterterrorism combat operations against al-Qaida.",
			want: []string{"military_strike 2001-10-07"}},
		{name: "a presence since a year is a deployment", pub: pub,
			text: "The United States contingent of the Multinational Force and Observers has been present in Egypt since 1981.",
			want: []string{"troop_deployment 1981"}},
		{name: "a recalled gerund is dated after its object", pub: pub,
			text: "Since signing the Enhanced Defense Cooperation Agreement (EDCA) in 2014, the United States has invested $82 million.",
			want: []string{"treaty_signing 2014"}},
		{name: "a launch named by its days is one a day", pub: pub,
			text: "The order cites its intercontinental ballistic missile launches of July 3 and July 28, 2017.",
			want: []string{"weapons_test 2017-07-03", "weapons_test 2017-07-28"}},
		{name: "the author's document named by its date is no event", pub: pub,
			text: "Through my memorandum of January 20, 2021, the departure of refugees was deferred and the agreement kept.",
			not:  []string{"2021-01-20"}},
		{name: "a running toll is no event", pub: pub,
			text: "The war has killed more than 10,000 people since October 2023.",
			not:  []string{"2023-10"}},
		{name: "a ballistic missile launched at nothing is a test", pub: pub,
			text: "The Secretary-General condemns the launch of a ballistic missile by the Democratic People's Republic of Korea on 30 January.",
			want: []string{"weapons_test 2025-01-30"}, not: []string{"military_strike 2025-01-30"}},
		{name: "a missile fired at a city is a strike", pub: pub,
			text: "Russia fired a ballistic missile at Kharkiv on Tuesday.",
			want: []string{"military_strike 2025-06-10"}, not: []string{"weapons_test 2025-06-10"}},
		{name: "a football siege is no strike", pub: pub,
			text: "\"We laid siege to their goal for an hour,\" said the manager, who took charge in October 2022.",
			not:  []string{"military_strike 2022-10"}},
		{name: "a statement needs a speaker, named or described", pub: pub,
			text: "Kerry said Sunday that the talks had stalled.",
			want: []string{"statement 2025-06-08"}, not: []string{"negotiation 2025-06-08"}},
	})
}

func TestReferenceDates(t *testing.T) {
	runMech(t, []mechCase{
		{name: "a record's baseline year dates nothing before it", pub: time.Date(2022, 8, 4, 0, 0, 0, 0, time.UTC),
			text: "The Senate ratified the protocols on Wednesday, the fastest Senate process for a NATO protocol since 1981.",
			want: []string{"treaty_signing 2022-08-03"}, not: []string{"1981"}},
		{name: "a record's baseline year dates no trigger, even one undated", pub: time.Date(2022, 8, 4, 0, 0, 0, 0, time.UTC),
			text: "I thank the Senate for quickly advancing the ratification process, the fastest Senate process for a NATO protocol since 1981.",
			not:  []string{"1981"}},
		{name: "a quotation's tonight is the day it was written, not the report's", pub: time.Date(2019, 10, 8, 0, 0, 0, 0, time.UTC),
			text: "Graham wrote on Twitter: \"The WH statement tonight on Syria after Trump spoke with Erdogan is a disaster.\"",
			not:  []string{"2019-10-08"}},
		{name: "the report's own tonight still counts", pub: time.Date(2019, 10, 8, 0, 0, 0, 0, time.UTC),
			text: "Trump spoke with Erdogan tonight, the White House said.",
			want: []string{"meeting 2019-10-08"}},
		{name: "a month of its sentence gives a day of that month its year", pub: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			text: "October 2023: Iran-backed Hamas terrorists killed 46 Americans in the October 7th massacre.",
			want: []string{"military_strike 2023-10-07"}, not: []string{"military_strike 2025-10-07"}},
		{name: "since a date, when something happened then", pub: time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC),
			text: "It was the North's first cruise missile test since January 25, when it fired a new strategic cruise missile off its east coast.",
			want: []string{"weapons_test 2025-01-25"}},
		{name: "a title with a year names a document", pub: time.Date(2024, 8, 10, 0, 0, 0, 0, time.UTC),
			text: "Both countries remain parties to the 1951 Convention and the 2015 Paris Agreement, officials said on Friday.",
			not:  []string{"1951", "2015"}},
		{name: "a common noun with a year is the event of that year", pub: time.Date(2024, 8, 10, 0, 0, 0, 0, time.UTC),
			text: "The move follows a 2012 agreement with Japan on the Marines.",
			want: []string{"treaty_signing 2012"}},
		{name: "a treaty named by its year is no signing then", pub: time.Date(2022, 8, 10, 0, 0, 0, 0, time.UTC),
			text: "The Senate consented to ratification of the Protocols to the North Atlantic Treaty of 1949 on the accession of Finland.",
			not:  []string{"1949"}},
		{name: "an executive order named by its date is signed then", pub: time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC),
			text: "The national emergency declared in Executive Order 13660 of March 6, 2014, continues.",
			want: []string{"sanction 2014-03-06"}},
		{name: "a statement's own day anchors its today", pub: time.Date(2006, 8, 15, 0, 0, 0, 0, time.UTC),
			text: "The following statement by the Secretary-General was made in New York on 12 August:\n\nI have today been in touch with the Prime Ministers of Israel and Lebanon.",
			want: []string{"meeting 2006-08-12"}, not: []string{"2006-08-15"}},
		{name: "a headline takes no document date", pub: time.Date(2006, 8, 15, 0, 0, 0, 0, time.UTC),
			text: "15 August 2006\n\nSecretary-General Urges Parties to Consolidate Cessation of Hostilities in Lebanon\n\nThe fighting has stopped.",
			not:  []string{"statement 2006-08-15"}},
		{name: "a present perfect with just is the report's day", pub: time.Date(2024, 4, 13, 0, 0, 0, 0, time.UTC),
			text: "I've just spoken with Prime Minister Netanyahu to reaffirm our commitment.",
			want: []string{"meeting 2024-04-13"}},
		{name: "today marks N years since the day of the event", pub: time.Date(2026, 8, 26, 0, 0, 0, 0, time.UTC),
			text: "Today marks five years since the terrorist attack at Abbey Gate that killed 13 service members.",
			want: []string{"military_strike 2021-08-26"}, not: []string{"2026-08-26"}},
		{name: "years ago in an anniversary statement is that very day", pub: time.Date(2024, 8, 26, 0, 0, 0, 0, time.UTC),
			text: "Statement on the Anniversary of the Attack\n\nThree years ago, a suicide bomber launched an attack at Abbey Gate.",
			want: []string{"military_strike 2021-08-26"}},
		{name: "years ago elsewhere is that year", pub: time.Date(2024, 8, 26, 0, 0, 0, 0, time.UTC),
			text: "Three years ago, a suicide bomber launched an attack at Abbey Gate.",
			want: []string{"military_strike 2021"}, not: []string{"military_strike 2021-08-26"}},
		{name: "the following year counts from the story's year", pub: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			text: "As the UN envoy for Kosovo from 2005 to 2007, he proposed supervised independence. Kosovo declared independence the following year.",
			want: []string{"statement 2008"}, not: []string{"statement 2024", "statement 2025"}},
		{name: "a title in sentence case takes no document date", pub: time.Date(2019, 10, 10, 0, 0, 0, 0, time.UTC),
			text: "UK urges US to waive immunity for diplomat's wife involved in fatal collision\n\nThursday, October 10, 2019\n\nOn Monday, Prime Minister Boris Johnson asked the United States to waive the immunity.",
			not:  []string{"statement 2019-10-10"}},
		{name: "hours ago is the report's day; 2d is the second", pub: time.Date(1991, 1, 16, 0, 0, 0, 0, time.UTC),
			text: "Just two hours ago, Allied Air forces began an attack on military targets in Iraq and Kuwait. This conflict started August 2d, when the dictator of Iraq invaded a small and helpless neighbor.",
			want: []string{"military_strike 1991-01-16", "military_strike 1990-08-02"}},
		{name: "the attack a statement condemns, with its own day, is an event", pub: time.Date(2022, 12, 14, 0, 0, 0, 0, time.UTC),
			text: "The Secretary-General strongly condemns the attack on 12 December on a Hotel in Kabul, resulting in multiple casualties.\n\nNew York, 13 December 2022",
			want: []string{"military_strike 2022-12-12", "statement 2022-12-13"}, not: []string{"statement 2022-12-12"}},
		{name: "just before a noun dates nothing", pub: time.Date(2024, 4, 13, 0, 0, 0, 0, time.UTC),
			text: "Just days after the vote, the President met the premier. He had just left the meeting.",
			not:  []string{"2024-04-13"}},
	})
}

func TestActorsAndOpenings(t *testing.T) {
	pub := time.Date(2025, 6, 11, 0, 0, 0, 0, time.UTC)
	x := testExtractor(t)
	cases := []struct {
		name, text, typ, date string
		actor, notActor       string
	}{
		{"an acronym defined once names the body after", "The National Transportation Safety Board (NTSB) opened an inquiry. The NTSB said on Saturday the wreck was intact.",
			"statement", "2025-06-07", "National Transportation Safety Board", ""},
		{"an acronym names the longest name its letters spell", "We, the participating states of the Multilateral Sanctions Monitoring Team (MSMT), have released a report today. The MSMT said on Saturday it would meet again.",
			"statement", "2025-06-07", "Multilateral Sanctions Monitoring Team", "Monitoring Team"},
		{"a name keeps its suffix", "Edward J. DeBartolo Jr., a former team owner, said on Tuesday he was grateful.",
			"statement", "2025-06-10", "Edward J. DeBartolo Jr.", "Edward J. DeBartolo"},
		{"a defined acronym of a known body keeps its name", "The International Atomic Energy Agency (IAEA) visited the plant. On Tuesday, the IAEA said it found traces of uranium.",
			"statement", "2025-06-10", "International Atomic Energy Agency", ""},
		{"a capital that qualifies talks is where, not who", "Delegates met at the Madrid peace talks on Monday.",
			"negotiation", "2025-06-09", "", "Spain"},
		{"a capital as subject is its government", "Moscow first imposed sanctions on the company on Monday.",
			"sanction", "2025-06-09", "Russia", ""},
		{"a title and a name give the person and the country", "French President Emmanuel Macron met Chinese President Xi Jinping in Paris on Monday.",
			"meeting", "2025-06-09", "Emmanuel Macron", ""},
		{"a surname alone before a reporting verb is a person", "Kerry said Sunday that the talks had stalled.",
			"statement", "2025-06-08", "Kerry", ""},
		{"a name whose last word comes back alone is a person", "Trump granted Angela Ronae Stanton a full pardon. Stanton was convicted of fraud in 2007.",
			"statement", "2007", "Angela Ronae Stanton", ""},
		{"a name after a short opening is a person; extended to a date is the decision's end, not its day",
			"On Thursday, Sergei Sobyanin, the mayor of Moscow, extended the city lockdown to May 1.",
			"statement", "2025-06-05", "Sergei Sobyanin", ""},
		{"an executive order under a national emergency is the United States'",
			"The national emergency with respect to Somalia declared in Executive Order 13536 of April 12, 2010, is to continue in effect.",
			"sanction", "2010-04-12", "United States", ""},
		{"an ethnic people is not its state", "Serbian police attacked ethnic Albanian villages in Kosovo on Friday, killing at least 20 people.",
			"casualties", "2025-06-06", "Serbia", "Albania"},
		{"a capitalised modifier of forces is no person", "On Monday, Allied Air forces began an attack on military targets in Iraq.",
			"military_strike", "2025-06-09", "", "Allied Air"},
		{"he opening a sentence is the person named before", "Opposition leader Alexei Navalny returned to Moscow. He was sentenced on Tuesday to three years.",
			"statement", "2025-06-10", "Alexei Navalny", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var found bool
			for _, ev := range x.Extract(Document{ArticleID: "a", Text: tc.text, Published: pub}) {
				if ev.Type != tc.typ || ev.Date != tc.date {
					continue
				}
				found = true
				if tc.actor != "" && !slices.Contains(ev.Actors, tc.actor) {
					t.Errorf("actors %v, want %q among them", ev.Actors, tc.actor)
				}
				if tc.notActor != "" && slices.Contains(ev.Actors, tc.notActor) {
					t.Errorf("actors %v, want no %q", ev.Actors, tc.notActor)
				}
			}
			if !found {
				t.Errorf("no %s on %s in %q", tc.typ, tc.date, tc.text)
			}
		})
	}
	runMech(t, []mechCase{
		{name: "one sentence, a meeting and a statement", pub: pub,
			text: "After talks with the Emir in Doha, Putin said on Tuesday that Russia was ready for peace.",
			want: []string{"meeting 2025-06-10", "statement 2025-06-10"}},
		{name: "a treaty's entry into force", pub: pub,
			text: "The treaty entered into force on 1 March 2024.",
			want: []string{"treaty_signing 2024-03-01"}},
	})
}

// TestDatelineHere checks wire copy that places events "here", the
// dateline's city, and a person whose given name is also a place.
func TestDatelineHere(t *testing.T) {
	x := testExtractor(t)
	text := "BEIJING, February 27 (Xinhua) -- Chinese Premier Li Peng met with visiting Thai Foreign Minister Surin Pitsuwan here this afternoon.\n\n" +
		"Surin arrived here Wednesday for a three-day official visit to China."
	evs := x.Extract(Document{ArticleID: "x", Text: text, Published: time.Date(1998, 2, 27, 0, 0, 0, 0, time.UTC)})
	want := map[string]bool{"1998-02-27": false, "1998-02-25": false}
	for _, ev := range evs {
		if _, ok := want[ev.Date]; !ok || ev.Type != "meeting" {
			continue
		}
		want[ev.Date] = true
		if !slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "Beijing" }) {
			t.Errorf("meeting %s places %v, want Beijing (here)", ev.Date, ev.Places)
		}
		if slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "Surin" }) {
			t.Errorf("meeting %s places %v: Surin is the minister, not the province", ev.Date, ev.Places)
		}
		if ev.Date == "1998-02-27" && !slices.Contains(ev.Actors, "Surin Pitsuwan") {
			t.Errorf("meeting actors %v, want Surin Pitsuwan", ev.Actors)
		}
	}
	for d, ok := range want {
		if !ok {
			t.Errorf("no meeting on %s in %s", d, summary(evs))
		}
	}
}

// TestChronologyLines checks a chronology whose lines open with their
// dates: a year and a dash, a full date and a dash (an entry, not a
// dateline), a year alone heading the entries below it.
func TestChronologyLines(t *testing.T) {
	runMech(t, []mechCase{
		{name: "entries are events, not datelines", pub: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC),
			text: "Timeline: Key events in the Korean Peninsula\n\n" +
				"1950 - North Korea invades the South, starting the Korean War.\n" +
				"July 27, 1953 - An armistice is signed at Panmunjom, ending the fighting.\n" +
				"Nov. 23, 2010 -- North Korean artillery shells Yeonpyeong Island, killing four South Koreans.\n" +
				"2018\n" +
				"April 27: Moon Jae-in and Kim Jong Un meet at Panmunjom.\n" +
				"June 12: Kim meets U.S. President Donald Trump in Singapore.\n",
			want: []string{"military_strike 1950", "ceasefire 1953-07-27", "2010-11-23", "meeting 2018-04-27", "meeting 2018-06-12"},
			not:  []string{"2024-04-27", "2024-06-12", "2018"}},
		{name: "the year a list says it covers", pub: time.Date(2019, 7, 20, 0, 0, 0, 0, time.UTC),
			text: "The following lists events in 2017 in Georgia.\n\nEvents\n\n4 April – Europol and Georgia sign an agreement on cooperation in fighting terrorism.\n\n" +
				"Births\n\n1 March – Laila Taib – Wife to a former Chief Minister (died 2009)\n\nDeaths\n\n22 June – A sectarian leader is killed in an accident.\n",
			want: []string{"treaty_signing 2017-04-04"}, not: []string{"2019-04-04", "2017-03-01", "2017-06-22", "2009"}},
		{name: "a dateline that opens with its date stays a dateline", pub: time.Date(2024, 12, 5, 0, 0, 0, 0, time.UTC),
			text: "Wednesday, December 4, 2024 — The foreign ministers met in Brussels on Tuesday.\n\nThey agreed to meet again.",
			want: []string{"meeting 2024-12-03"}, not: []string{"2024-12-04"}},
	})
}

// TestAnaphoraLendsPlaces checks that an undated "the attacks" a few
// sentences on lends its places and actors to the attack it tells more of.
func TestAnaphoraLendsPlaces(t *testing.T) {
	x := testExtractor(t)
	text := "Yesterday, oil facilities in Saudi Arabia were hit by multiple drone strikes in a pre-dawn raid. " +
		"The attacks triggered major fires. Exports were continuing, officials said.\n\n" +
		"According to the Saudi Press Agency, the attacks occurred at 4:00 A.M. and struck the largest processing plant at Abqaiq."
	evs := x.Extract(Document{ArticleID: "x", Text: text, Published: time.Date(2019, 9, 15, 0, 0, 0, 0, time.UTC)})
	for _, ev := range evs {
		if ev.Type == "military_strike" && ev.Date == "2019-09-14" {
			if !slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "Abqaiq" }) {
				t.Errorf("strike places %v, want Abqaiq from the later sentence", ev.Places)
			}
			return
		}
	}
	t.Errorf("no military_strike on 2019-09-14 in %s", summary(evs))
}

// TestLogOfDays checks a letter that logs incidents under day headings:
// each heading dates the undated incidents below it, and a list of
// villages is every place of its incident.
func TestLogOfDays(t *testing.T) {
	x := testExtractor(t)
	text := "Letter dated 5 July 1996 from the Permanent Representative\n\n" +
		"I have the honour to notify you of the incidents that took place in June 1996.\n\n" +
		"6 June 1996\n\nAt 1910 hours the outskirts of Ayn Bu Siwar, Jba', Kafr Fila and Wadi Kafra came under artillery fire from Israeli positions.\n\n" +
		"7 June 1996\n\nAt 0530 hours the outskirts of Arabsalim and Mlita came under Israeli artillery fire.\n"
	evs := x.Extract(Document{ArticleID: "x", Text: text, Published: time.Date(1996, 7, 5, 0, 0, 0, 0, time.UTC)})
	want := map[string][]string{
		"1996-06-06": {"Ayn Bu Siwar", "Jba'", "Kafr Fila", "Wadi Kafra"},
		"1996-06-07": {"Arabsalim", "Mlita"},
	}
	for _, ev := range evs {
		places, ok := want[ev.Date]
		if !ok || ev.Type != "military_strike" {
			continue
		}
		for _, p := range places {
			if !slices.ContainsFunc(ev.Places, func(q event.Place) bool { return q.Name == p }) {
				t.Errorf("strike on %s: places %v, want %s among them", ev.Date, ev.Places, p)
			}
		}
		delete(want, ev.Date)
	}
	for d := range want {
		t.Errorf("no military_strike on %s in %s", d, summary(evs))
	}
}

// TestAuthorIsFirstPerson checks that "I" and "we" are the author the
// title names: a Markdown front matter's title, or a title line of the
// text.
func TestAuthorIsFirstPerson(t *testing.T) {
	x := testExtractor(t)
	cases := []struct {
		name, text, typ, date, actor string
		pub                          time.Time
	}{
		{"a front matter title names the President",
			"---\ntitle: \"Statement from President Joe\\_Biden on Iran\\u2019s Attack\\\n  \\ Against Israel\"\ndate: '2024-04-13'\n---\n\nI've just spoken with Prime Minister Netanyahu to reaffirm our commitment.\n",
			"meeting", "2024-04-13", "Joe Biden", time.Date(2024, 4, 13, 0, 0, 0, 0, time.UTC)},
		{"a letter's heading names its sender",
			"Letter dated 5 July 1996 from the Permanent Representative of Lebanon to the United Nations addressed to the Secretary-General\n\nOn 2 June 1996 we condemned the Israeli shelling of Tyre in a letter to the Security Council. Israel shelled Nabatiyah again on 3 June 1996, and Israel said it would go on.\n",
			"statement", "1996-06-02", "Lebanon", time.Date(1996, 7, 5, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: tc.pub})
			for _, ev := range evs {
				if ev.Type == tc.typ && ev.Date == tc.date {
					if !slices.Contains(ev.Actors, tc.actor) {
						t.Errorf("actors %v, want the author %q", ev.Actors, tc.actor)
					}
					return
				}
			}
			t.Errorf("no %s on %s in %s", tc.typ, tc.date, summary(evs))
		})
	}
}

// TestShipNamesAreNotPlaces checks that a city in a ship's or a paper's
// name is neither a place nor, through its country, an actor.
func TestShipNamesAreNotPlaces(t *testing.T) {
	x := testExtractor(t)
	for _, text := range []string{
		"On Friday, the oil tanker Marlin Luanda was attacked by Houthi missiles in the Gulf of Aden.",
		"On Friday, the USS Indianapolis was targeted by missiles launched by Houthi forces in the Gulf of Aden.",
	} {
		evs := x.Extract(Document{ArticleID: "s", Text: text, Published: time.Date(2024, 1, 27, 0, 0, 0, 0, time.UTC)})
		found := false
		for _, ev := range evs {
			if ev.Type != "military_strike" || ev.Date != "2024-01-26" {
				continue
			}
			found = true
			for _, p := range ev.Places {
				if p.Name == "Luanda" || p.Name == "Indianapolis" {
					t.Errorf("%q: place %s is a ship's name", text, p.Name)
				}
			}
			if slices.Contains(ev.Actors, "Angola") {
				t.Errorf("%q: actors %v: Angola named only by a ship", text, ev.Actors)
			}
		}
		if !found {
			t.Errorf("no strike on 2024-01-26 in %s", summary(evs))
		}
	}
}

// TestEntryTitles checks chronology entries that only name their event:
// the entry's date dates the event noun, and the name of a battle or the
// place before "attack" is its place.
func TestEntryTitles(t *testing.T) {
	x := testExtractor(t)
	text := "The following lists events in 1941 in Malaya.\n\n" +
		"11–13 December – WW2: Battle of Jitra\n" +
		"July 21 – Halamish stabbing attack\n" +
		"6-8 January – WW2: Battle of Slim River\n" +
		"August 2 – 1941 Yavne attack\n" +
		"23 January – WW2: Parit Sulong Massacre\n"
	evs := x.Extract(Document{ArticleID: "e", Text: text, Published: time.Date(2019, 7, 20, 0, 0, 0, 0, time.UTC)})
	want := map[string]string{"1941-12-11": "Jitra", "1941-07-21": "Halamish", "1941-01-06": "Slim River", "1941-08-02": "Yavne",
		"1941-01-23": "Parit Sulong"}
	for _, ev := range evs {
		if slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "WW2" }) {
			t.Errorf("event on %s: places %v: a tag is no place", ev.Date, ev.Places)
		}
		place, ok := want[ev.Date]
		if !ok || ev.Type != "military_strike" {
			continue
		}
		if !slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == place }) {
			t.Errorf("strike on %s: places %v, want %s", ev.Date, ev.Places, place)
		}
		delete(want, ev.Date)
	}
	for d := range want {
		t.Errorf("no military_strike on %s in %s", d, summary(evs))
	}
}

// TestSpellingsAreOnePlace checks that two spellings of one gazetteer
// place in one event are one place.
func TestSpellingsAreOnePlace(t *testing.T) {
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "k", Published: time.Date(2022, 10, 11, 0, 0, 0, 0, time.UTC),
		Text: "Russian missiles struck Kiev on Monday. Russian missiles also struck the centre of Kyiv on Monday, killing four."})
	for _, ev := range evs {
		if ev.Type == "military_strike" && ev.Date == "2022-10-10" {
			if n := len(ev.Places); n != 1 {
				t.Errorf("places %v, want one place for Kiev and Kyiv", ev.Places)
			}
			return
		}
	}
	t.Errorf("no strike on 2022-10-10 in %s", summary(evs))
}

// TestDigestOfOneDay: a page of one day's events under a day heading
// (Wikipedia's "Current events") tells them in the present and undated;
// they happen on the heading's day. Section headings and past-tense
// background stay undated.
func TestDigestOfOneDay(t *testing.T) {
	pub := time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC)
	head := "January 15, 2026 (2026-01-15) (Thursday)\n\nArmed conflicts and attacks\n\n"
	runMech(t, []mechCase{
		{name: "present-tense items take the heading's day", pub: pub,
			text: head + "The United States Coast Guard boards and seizes a tanker in the Caribbean Sea. (The Guardian)\n\n" +
				"Japan and the Philippines sign a defense pact. (AP)\n\nPolitics and elections\n\n" +
				"Ugandans go to the polls to elect their president and 529 members of parliament. (AP)\n",
			want: []string{"military_strike 2026-01-15", "treaty_signing 2026-01-15", "election 2026-01-15"}},
		{name: "a section heading is no event", pub: pub,
			text: head + "Politics and elections\n\nThe weather stays cold. (AP)\n",
			not:  []string{"election 2026-01-15"}},
		{name: "past-tense background is not that day's", pub: pub,
			text: head + "Russia annexed Crimea and invaded Ukraine.\n",
			not:  []string{"military_strike 2026-01-15"}},
		{name: "without a day heading, present-tense items stay undated", pub: pub,
			text: "Armed conflicts and attacks\n\nThe United States Coast Guard boards and seizes a tanker in the Caribbean Sea. (The Guardian)\n",
			not:  []string{"military_strike 2026-01-15", "military_strike 2026-01-16"}},
	})
}

// TestListOpenedByADay: a line that ends with a colon and names one day
// ("Below are the details of these attacks for Wednesday, 17 June
// 1987:") dates the undated items listed below it; a statement's "today"
// or an open "since" does not.
func TestListOpenedByADay(t *testing.T) {
	pub := time.Date(1987, 6, 19, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "items below a dated opening line", pub: pub,
			text: "Israel has not ceased its attacks on southern Lebanon.\n\nBelow are some of the details of these attacks for Wednesday, 17 June 1987:\n\n" +
				"1. In the afternoon, Israeli Air Force planes conducted a raid against the eastern outskirts of Sidon.\n\n" +
				"2. Israeli Army artillery shelled a number of villages near Nabatieh.\n",
			want: []string{"military_strike 1987-06-17"}},
		{name: "a statement issued today dates no list", pub: pub,
			text: "The following statement was issued today:\n\nIsraeli Army artillery shelled a number of villages near Nabatieh.\n",
			not:  []string{"military_strike 1987-06-19"}},
	})
}

// TestRegionsAsWritten: a place followed by a capitalised region word is
// the region as the text names it ("Katsina State", "Kharkiv Oblast"); a
// lower-case one is not part of the name.
func TestRegionsAsWritten(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"Gunmen ambushed a police patrol in Katsina State, Nigeria, on Tuesday, killing three officers.", "Katsina State"},
		{"A Russian drone struck a passenger train in Kharkiv Oblast on Tuesday.", "Kharkiv Oblast"},
		{"A Russian drone struck a passenger train in Kharkiv on Tuesday.", "Kharkiv"},
	} {
		evs := x.Extract(Document{ArticleID: "r", Text: tc.text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool { return containsPlace(ev, tc.want) }) {
			t.Errorf("%q: no place named %q in %s", tc.text, tc.want, summary(evs))
		}
	}
}

// TestSurnameAfterFullName: a title and a surname after the full name
// ("Senator Klobuchar" after "Senator Amy Klobuchar of Minnesota") are the
// same person, and a sentence that ends with a full stop is told, not a
// headline, however many capitals it has.
func TestSurnameAfterFullName(t *testing.T) {
	runMech(t, []mechCase{{name: "the full name stands for the surname", pub: time.Date(2020, 3, 3, 0, 0, 0, 0, time.UTC),
		text: "News.\n\nSenator Amy Klobuchar of Minnesota won 7 delegates on Saturday.\n\nSenator Klobuchar said she was ending her presidential bid on Monday.\n",
		want: []string{"statement 2020-03-02"}}})
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "k", Published: time.Date(2020, 3, 3, 0, 0, 0, 0, time.UTC),
		Text: "News.\n\nSenator Amy Klobuchar of Minnesota won 7 delegates on Saturday.\n\nSenator Klobuchar said she was ending her presidential bid on Monday.\n"})
	for _, ev := range evs {
		if ev.Type == "statement" && !slices.Contains(ev.Actors, "Amy Klobuchar") {
			t.Errorf("statement actors %v, want Amy Klobuchar", ev.Actors)
		}
	}
}

// TestGroupsNamedBeforeFighters: a capitalised name right before
// "terrorists", "militants" or "rebels" is a group, an actor, though no
// gazetteer lists it; a known country or a single word is not read so.
func TestGroupsNamedBeforeFighters(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"October 2003: Iran-backed Popular Resistance Committees terrorists killed three U.S. diplomatic personnel in a bombing in Gaza.", "Popular Resistance Committees", ""},
		{"January 2002: An Iran-backed al-Aqsa Martyrs’ Brigade terrorist shot dead an American in the West Bank.", "al-Aqsa Martyrs’ Brigade", ""},
		{"On Monday, Iranian militants attacked a base near Erbil.", "", "Iranian"},
	} {
		evs := x.Extract(Document{ArticleID: "g", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestDestinationsArePlaces: a country after "visit to", "withdrew from"
// or "invasion of" is where the event happens, a place.
func TestDestinationsArePlaces(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2009, 12, 28, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"On 6 November, I briefed the Council members on my visit to Afghanistan on 2 November.", "Afghanistan"},
		{"The last Soviet troops withdrew from Afghanistan on 15 February 1989.", "Afghanistan"},
	} {
		evs := x.Extract(Document{ArticleID: "d", Text: tc.text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool { return containsPlace(ev, tc.want) }) {
			t.Errorf("%q: no place %q in %s", tc.text, tc.want, summary(evs))
		}
	}
}

// TestBodiesNamedByTheirHead: a capitalised name ending in a word for a
// body ("Police", "Task Force", "Mission") is an actor though no gazetteer
// lists it; a generic name ("the Supreme Court") only with the country the
// text gives it, and a sentence's article is no word of the name.
func TestBodiesNamedByTheirHead(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 11, 10, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"Thames Valley Police announced on Sunday morning they were treating it as a terrorist incident.", "Thames Valley Police", ""},
		{"On Friday, the Combined Joint Task Force Operation Inherent Resolve released a statement saying the attack produced no casualties.", "Combined Joint Task Force Operation Inherent Resolve", ""},
		{"Implementing Trilateral Coast Guard Exercises: The Philippine Coast Guard hosted port visits in Manila in June 2023.", "", "Implementing Trilateral Coast Guard Exercises"},
		{"Yesterday the Multinational Security Support Mission arrived in Haiti with 400 police officers.", "Multinational Security Support Mission", ""},
		{"On 2 March, the Supreme Court of Georgia ruled that the channel belonged to its former co-owner.", "Supreme Court of Georgia", ""},
		{"The Supreme Court said on Friday that the law was void.", "", "Supreme Court"},
		{"The Standing Committee of China's National People's Congress meets in Beijing from Monday to Friday.", "", "Standing Committee of China"},
	} {
		evs := x.Extract(Document{ArticleID: "b", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestLightVerbDatesItsNoun: an event noun that is the object of a verb
// saying only that it happened ("conducted a rocket launch", "began a
// military offensive") is dated as that verb is.
func TestLightVerbDatesItsNoun(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 10, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"North Korea conducted a rocket launch last month.", "weapons_test 2019-09"},
		{"On Wednesday, Turkey began a military offensive into north-eastern Syria.", "military_strike 2019-10-09"},
	} {
		evs := x.Extract(Document{ArticleID: "l", Text: tc.text, Published: pub})
		if !hasEvent(evs, tc.want) {
			t.Errorf("%q: no %q in %s", tc.text, tc.want, summary(evs))
		}
	}
}

// TestTwoSpeakersOfOneDay: two statements of one day by different people
// or bodies are two events, though the article's main country is an actor
// of both; a later mention that refers back ("The final communiqué")
// stays one.
func TestTwoSpeakersOfOneDay(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 10, 8, 0, 0, 0, 0, time.UTC)
	text := "On Monday, Prime Minister Boris Johnson said the United Kingdom would press the United States.\n\n" +
		"Thames Valley Police announced on Monday that they were treating it as a terrorist incident.\n"
	evs := x.Extract(Document{ArticleID: "s", Text: text, Published: pub})
	n := 0
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2019-10-07" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("statements of 2019-10-07: %d, want 2, in %s", n, summary(evs))
	}
}

// TestPlacesOffCoastsAndInLists: "off Qulaylah" is where a boat was fired
// on; a hyphenated name keeps its particles ("Ein-el-Hilweh"); a list of
// places goes on after a gazetteer city ("the city of Sidon and the
// Ein-el-Hilweh camp"); what is visited or entered is a place.
func TestPlacesOffCoastsAndInLists(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(1996, 6, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"On 2 June, an Israeli gunboat intercepted a number of fishermen off Qulaylah, Tyre, and opened fire on them.", "Qulaylah"},
		{"On Monday, Israeli Air Force planes conducted a raid against the eastern outskirts of the city of Sidon and the Ein-el-Hilweh camp.", "Ein-el-Hilweh"},
		{"May 22 – Donald Trump the President of the United States visits the Western Wall.", "Western Wall"},
		{"On Monday, the Syrian Army entered Tell Tamer and Ain Issa.", "Ain Issa"},
		{"U.S. troops left Iraq in 2011, then at the Iraqi government's request returned three years later.", "Iraq"},
	} {
		evs := x.Extract(Document{ArticleID: "o", Text: tc.text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool { return containsPlace(ev, tc.want) }) {
			t.Errorf("%q: no place %q in %s", tc.text, tc.want, summary(evs))
		}
	}
}

// TestWhatWouldBeIsSpokenOf: an event noun followed by a modal ("talks
// would resume", "the sanctions would stay") is what a speaker expects,
// not an event of the day they spoke; the statement stands.
func TestWhatWouldBeIsSpokenOf(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"Kerry said Sunday that talks would resume.", "statement 2024-06-09", "negotiation 2024-06-09"},
		{"Britain's foreign secretary said on Thursday the sanctions would stay.", "statement 2024-06-13", "sanction 2024-06-13"},
	} {
		evs := x.Extract(Document{ArticleID: "m", Text: tc.text, Published: pub})
		has := func(s string) bool {
			return slices.ContainsFunc(evs, func(ev event.Event) bool { return ev.Type+" "+ev.Date == s })
		}
		if !has(tc.want) || has(tc.not) {
			t.Errorf("%q: got %s, want %q and no %q", tc.text, summary(evs), tc.want, tc.not)
		}
	}
}

// TestNamedSubjectDoesNotReferBack: "The Kremlin said" names its speaker;
// the article's lead actor is not added to it as to "The summit, held
// ...".
func TestNamedSubjectDoesNotReferBack(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC)
	text := "The Chinese defence minister warned on Tuesday that Beijing would respond.\n\nThe Kremlin said on Wednesday that Russia was ready.\n"
	evs := x.Extract(Document{ArticleID: "k", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Date == "2024-06-12" && slices.Contains(ev.Actors, "China") {
			t.Errorf("the Kremlin's statement has China as an actor: %s", summary(evs))
		}
	}
}

// TestNamedDoersAreNotThePreviousSubject: "Rebel forces captured Huambo"
// names who acted; the subject of the sentence before (Croatia's foreign
// minister) is not made theirs.
func TestNamedDoersAreNotThePreviousSubject(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(1995, 3, 16, 0, 0, 0, 0, time.UTC)
	text := "Angola's army fought UNITA in Angola on Monday, Angola's defence ministry said.\n\n" +
		"The Foreign Minister of Croatia, Mate Granic, visited Bonn on 12-13 March for talks with German officials.\n\n" +
		"Rebel forces captured the provincial capital of Huambo on January 9.\n"
	evs := x.Extract(Document{ArticleID: "n", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Date == "1995-01-09" && slices.Contains(ev.Actors, "Croatia") {
			t.Errorf("the capture of Huambo is Croatia's: %s", summary(evs))
		}
	}
}

// TestSinceWithAHedge: "since at least March 2011" opens a campaign as
// "since March 2011" does.
func TestSinceWithAHedge(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"Since at least March 2011, government forces have besieged the town.",
		"Since as early as March 2011, government forces have besieged the town.",
	} {
		evs := x.Extract(Document{ArticleID: "h", Text: text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool {
			return ev.Type == "military_strike" && ev.Date == "2011-03" && ev.DateEnd == ""
		}) {
			t.Errorf("%q: %s, want an open military_strike from 2011-03", text, summary(evs))
		}
	}
}

// TestAnotherSpeakerIsNotAdopted: an undated "Mark Rutte said" after "The
// foreign ministry said in a statement on Monday" is another speaker's
// statement, not more of the ministry's; a passive reaction in a dated
// story ("was condemned by members of the EU") is not dated by the story.
func TestAnotherSpeakerIsNotAdopted(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 16, 0, 0, 0, 0, time.UTC)
	text := "The foreign ministry said in a statement on Monday that the ambassador had been recalled.\n\n" +
		"Speaking to reporters in Brussels on Wednesday, NATO Secretary-General Mark Rutte said allies would send more air defence.\n"
	evs := x.Extract(Document{ArticleID: "r", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2024-06-10" && slices.Contains(ev.Actors, "Mark Rutte") {
			t.Errorf("the ministry's statement took Rutte: %s", summary(evs))
		}
	}
	text = "Kurds announce deal\n\nTuesday, October 15, 2019\n\nOn Wednesday, Turkey began a military offensive into Syria.\n\nThe operation was condemned by members of the European Union.\n"
	evs = x.Extract(Document{ArticleID: "p", Text: text, Published: time.Date(2019, 10, 15, 0, 0, 0, 0, time.UTC)})
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2019-10-15" {
			t.Errorf("a passive reaction took the story's date: %s", summary(evs))
		}
	}
}

// TestStatementIntroDatesItsReactions: in a press statement introduced by
// "The following ... statement was issued today ...:", "The members of
// the Security Council condemned ... the attack ... on 23 June" is said
// the day of the statement, not the day of the attack.
func TestStatementIntroDatesItsReactions(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 26, 0, 0, 0, 0, time.UTC)
	text := "The following Security Council press statement was issued today by Council President Joonkook Hwang (Republic of Korea):\n\n" +
		"The members of the Security Council condemned in the strongest terms the heinous and cowardly terrorist attack in Dagestan, the Russian Federation, on 23 June.\n"
	evs := x.Extract(Document{ArticleID: "i", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2024-06-23" {
			t.Errorf("the Council's condemnation is dated by the attack: %s", summary(evs))
		}
	}
	if !hasEvent(evs, "statement 2024-06-26") {
		t.Errorf("no statement of 2024-06-26 in %s", summary(evs))
	}
}

// TestWithNamesWhoNotWhere: a city right after "with" ("met with
// Austin", "talks with Moscow") is who met, not where.
func TestWithNamesWhoNotWhere(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 26, 0, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "w", Text: "On Monday he met with Blinken, met with Austin, and held talks with Moscow.", Published: pub})
	for _, ev := range evs {
		for _, p := range []string{"Austin", "Moscow"} {
			if containsPlace(ev, p) {
				t.Errorf("%s is a place of %s", p, summary(evs))
			}
		}
	}
}

// checkActor reports an error unless some event of evs, read from text,
// names actor want (when given) and none names actor not (when given).
func checkActor(t *testing.T, text string, evs []event.Event, want, not string) {
	t.Helper()
	if len(evs) == 0 {
		t.Errorf("%q: no event", text)
		return
	}
	got := map[string]bool{}
	for _, ev := range evs {
		for _, a := range ev.Actors {
			got[a] = true
		}
	}
	if want != "" && !got[want] {
		t.Errorf("%q: actors %v, want %q", text, got, want)
	}
	if not != "" && got[not] {
		t.Errorf("%q: actors %v, want no %q", text, got, not)
	}
}

// TestArmedMenAsWritten: when a clause names its doers only with a
// common noun for armed men or a crowd ("Gunmen", "militia"), they are an
// actor as written.
func TestArmedMenAsWritten(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"Gunmen killed a Catholic priest in Algiers on 8 May.", "gunmen", ""},
		{"The militia attacked the town in the early hours of Sunday.", "militia", ""},
		{"On Sunday, thousands of protesters marched in Tbilisi.", "protesters", ""},
	} {
		evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestPossessiveDateOverAdjectives: a possessive date dates its noun
// across the adjectives between them ("today's large-scale missile
// attacks"), and a second reading of those words is that event, not more
// participants for the sentence before.
func TestPossessiveDateOverAdjectives(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2022, 10, 10, 12, 0, 0, 0, time.UTC)
	text := "The Secretary-General condemned yesterday's heinous attack in Taba, Egypt.\n\n" +
		"Mr. Guterres condemned today's large-scale missile attacks by the armed forces of the Russian Federation on cities across Ukraine.\n"
	evs := x.Extract(Document{ArticleID: "p", Text: text, Published: pub})
	var taba, ukraine *event.Event
	for i, ev := range evs {
		switch {
		case ev.Type == "military_strike" && ev.Date == "2022-10-09":
			taba = &evs[i]
		case ev.Type == "military_strike" && ev.Date == "2022-10-10":
			ukraine = &evs[i]
		}
	}
	if taba == nil || ukraine == nil {
		t.Fatalf("want strikes of 2022-10-09 (Taba) and 2022-10-10 (Ukraine), got %s", summary(evs))
	}
	if slices.Contains(taba.Actors, "Russia") || slices.ContainsFunc(taba.Places, func(p event.Place) bool { return p.Name == "Ukraine" }) {
		t.Errorf("the Taba attack took the next sentence's participants: %s", summary(evs))
	}
	if !slices.Contains(ukraine.Actors, "Russia") {
		t.Errorf("today's attacks: actors %v, want Russia", ukraine.Actors)
	}
}

// TestCompassPartOfACountry: a country after a compass adjective is where
// it happened ("struck southern Turkey", "in north-eastern Italy"), as it
// is after "in".
func TestCompassPartOfACountry(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2023, 2, 8, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, place string }{
		{"An earthquake of magnitude 7.8 struck southern Turkey on 6 February, killing more than 50,000 people.", "Turkey"},
		{"Floods killed 12 people in north-eastern Italy on Monday.", "Italy"},
		{"Air strikes hit targets in central Syria on Monday.", "Syria"},
	} {
		evs := x.Extract(Document{ArticleID: "c", Text: tc.text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool {
			return slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == tc.place })
		}) {
			t.Errorf("%q: no event in %s, got %s", tc.text, tc.place, summary(evs))
		}
	}
}

// TestPoliceAsWritten: "police said" names the police, as written, beside
// the country, as "gunmen" and "protesters" are named.
func TestPoliceAsWritten(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 10, 8, 12, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"Police also announced on Sunday morning they were treating it as a terrorist incident.",
		"Despite the assurances, she and her husband left the country, police revealed on Saturday.",
	} {
		evs := x.Extract(Document{ArticleID: "p", Text: text, Published: pub})
		if !slices.ContainsFunc(evs, func(ev event.Event) bool { return ev.Type == "statement" && slices.Contains(ev.Actors, "police") }) {
			t.Errorf("%q: no statement by police in %s", text, summary(evs))
		}
	}
}

// TestAttributionIsNotLentBack: "…, the health ministry said" attributes
// its own sentence's dated event; it does not add the ministry, or the
// sentence's places, to the statement of the sentence before. Farmers who
// protest are named as written, with the country where they do it.
func TestAttributionIsNotLentBack(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 21, 12, 0, 0, 0, time.UTC)
	text := "Russian forces launched a massive drone and missile attack on Ukraine's energy infrastructure overnight, officials said on Friday.\n\n" +
		"Israeli troops raided the Jenin refugee camp on Wednesday, killing at least seven Palestinians, the health ministry said.\n\n" +
		"In Germany, farmers blocked motorways on Thursday to protest against the phasing out of diesel subsidies.\n"
	evs := x.Extract(Document{ArticleID: "a", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2024-06-21" && slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "Jenin" }) {
			t.Errorf("Friday's statement took Jenin from the next sentence: %s", summary(evs))
		}
	}
	if !slices.ContainsFunc(evs, func(ev event.Event) bool {
		return ev.Type == "protest" && slices.Contains(ev.Actors, "farmers") && slices.Contains(ev.Actors, "Germany")
	}) {
		t.Errorf("no protest by farmers in Germany: %s", summary(evs))
	}
}

// TestOwnSentenceKeepsItsOrphan: "traveled to Seoul, where she met … on
// May 14" is that meeting; the undated "traveled" does not carry Seoul
// back to the call of the sentence before. "the Beirut raid" still refers
// back (TestPossessiveDateOverAdjectives covers a second reading).
func TestOwnSentenceKeepsItsOrphan(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	text := "Secretary Blinken spoke today with Ukrainian Foreign Minister Dmytro Kuleba.\n\n" +
		"The Deputy Secretary traveled to Seoul, where she met with South Korean First Vice Foreign Minister Kim Hong-kyun on May 14.\n"
	evs := x.Extract(Document{ArticleID: "o", Text: text, Published: pub})
	found := false
	for _, ev := range evs {
		if ev.Type == "meeting" && ev.Date == "2024-09-01" {
			found = true
			if len(ev.Places) > 0 || slices.Contains(ev.Actors, "South Korea") {
				t.Errorf("the call took the next sentence's visit: %v %v", ev.Actors, placeNames(ev))
			}
		}
	}
	if !found {
		t.Errorf("no meeting of 2024-09-01 in %s", summary(evs))
	}
}

// TestKoreanGivenNames: a Korean given name's lower-case second syllable
// is part of the name ("Kim Hong-kyun", "Chun Doo-hwan's troops"); a
// compound's suffix is not ("Hong Kong-based").
func TestKoreanGivenNames(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"Blinken met with South Korean First Vice Foreign Minister Kim Hong-kyun on May 14.", "Kim Hong-kyun", "Kim Hong"},
		{"Hong Kong-based activists met the envoy in Seoul on Monday.", "", "Hong Kong-based"},
	} {
		evs := x.Extract(Document{ArticleID: "k", Text: tc.text, Published: pub})
		if len(evs) == 0 {
			t.Fatalf("%q: no event", tc.text)
		}
		if tc.want != "" && !slices.Contains(evs[0].Actors, tc.want) {
			t.Errorf("%q: actors %v, want %q", tc.text, evs[0].Actors, tc.want)
		}
		if slices.Contains(evs[0].Actors, tc.not) {
			t.Errorf("%q: actors %v name %q", tc.text, evs[0].Actors, tc.not)
		}
	}
}

// TestStatementReleases: a UN release's "The following statement by … was
// made in New York on 12 August:" is that statement; its dateline's day
// ("NEW YORK, 14 August", posted on the 15th) is the story's today; an
// ambiguous numeric date reads as the publication's day ("08/10/2004"
// published on 8 October 2004).
func TestStatementReleases(t *testing.T) {
	x := testExtractor(t)
	for _, tc := range []struct {
		text string
		pub  time.Time
		want string
	}{
		{"The following statement by UN Secretary-General Kofi Annan was made in New York on 12 August:\n\nI am very happy to announce the agreement.",
			time.Date(2006, 8, 13, 0, 0, 0, 0, time.UTC), "statement 2006-08-12"},
		{"NEW YORK, 14 August (UN Headquarters) -- The following statement by UN Secretary-General Kofi Annan was made today in New York:\n\nI am relieved to note that the cessation of hostilities is holding.",
			time.Date(2006, 8, 15, 0, 0, 0, 0, time.UTC), "statement 2006-08-14"},
		{"SC/8215\n\n08/10/2004\n\nFollowing is today's press statement by the Security Council President, Emyr Jones Parry (United Kingdom):",
			time.Date(2004, 10, 8, 0, 0, 0, 0, time.UTC), "statement 2004-10-08"},
	} {
		evs := x.Extract(Document{ArticleID: "r", Text: tc.text, Published: tc.pub})
		if !hasEvent(evs, tc.want) {
			t.Errorf("%q: no %q in %s", tc.text, tc.want, summary(evs))
		}
	}
}

// TestReactionTopicKeepsItsDate: the event a reaction names is dated by
// the date ending its phrase ("condemned Putin's appalling attacks on
// civilian areas in Kyiv and elsewhere yesterday"), as is an event noun
// after a preposition of time ("after an attack in the capital city in
// 2015"); the object of another verb is not ("revoked a military
// cooperation agreement in March 2024" signs nothing then).
func TestReactionTopicKeepsItsDate(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2022, 10, 11, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"She strongly condemned Putin's appalling attacks on civilian areas in Kyiv and elsewhere yesterday.", "military_strike 2022-10-10", ""},
		{"Security was tightened after an attack in the capital city in 2015.", "military_strike 2015", ""},
		{"The pullout was ordered by the junta after it revoked a military cooperation agreement in March 2022.", "", "treaty_signing 2022-03"},
	} {
		evs := x.Extract(Document{ArticleID: "t", Text: tc.text, Published: pub})
		if tc.want != "" && !hasEvent(evs, tc.want) {
			t.Errorf("%q: no %q in %s", tc.text, tc.want, summary(evs))
		}
		if tc.not != "" && hasEvent(evs, tc.not) {
			t.Errorf("%q: %q in %s", tc.text, tc.not, summary(evs))
		}
	}
}

// TestWhereClauseSharesTheDate: ", where" after a dated clause tells what
// happened on that occasion, the same day.
func TestWhereClauseSharesTheDate(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 21, 14, 0, 0, 0, time.UTC)
	text := "Zelenskyy met with U.S. Secretary of State Antony Blinken in Kyiv on Thursday, where Blinken announced $1 billion in new aid."
	evs := x.Extract(Document{ArticleID: "w", Text: text, Published: pub})
	if !hasEvent(evs, "aid 2024-06-20") {
		t.Errorf("no aid of Thursday in %s", summary(evs))
	}
}

// TestAnniversaryTitleGivesNoYear: "the Anniversary of the October 7th
// Attacks" names the day the attacks are marked, not their year: no event
// of this year's October 7; the text's "one year ago today" dates them.
func TestAnniversaryTitleGivesNoYear(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 7, 18, 0, 0, 0, time.UTC)
	text := "Statement from President Joe Biden on the Anniversary of the October 7th Attacks\n\nOne year ago today, Hamas terrorists launched a brutal attack on Israel, killing more than 1,200 people.\n"
	evs := x.Extract(Document{ArticleID: "a", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Date == "2024-10-07" && ev.Type == "military_strike" {
			t.Errorf("an attack of the anniversary's own day: %s", summary(evs))
		}
	}
	if !hasEvent(evs, "military_strike 2023-10-07") {
		t.Errorf("no attack of 2023-10-07 in %s", summary(evs))
	}
}

// TestEndedPresenceInThatCountry: "the United States ended its limited
// military presence in that country" is a withdrawal from the country the
// sentence named before ("the Government of Niger": a state, though
// "Niger" alone may be a river).
func TestEndedPresenceInThatCountry(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 12, 6, 18, 0, 0, 0, time.UTC)
	text := "On September 15, 2024, at the request of the Government of Niger, the United States ended its limited military presence in that country."
	evs := x.Extract(Document{ArticleID: "n", Text: text, Published: pub})
	if !slices.ContainsFunc(evs, func(ev event.Event) bool {
		return ev.Type == "troop_deployment" && ev.Date == "2024-09-15" && slices.Contains(ev.Actors, "United States") &&
			slices.ContainsFunc(ev.Places, func(p event.Place) bool { return p.Name == "Niger" })
	}) {
		t.Errorf("no withdrawal from Niger on 2024-09-15 in %s", summary(evs))
	}
}

// TestProtestersOfThePlace: a protest whose text names no one is the
// doing of the country of its place, not of the sentence before's actors
// (the protest type's place_actor).
func TestProtestersOfThePlace(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 21, 12, 0, 0, 0, time.UTC)
	text := "Tens of thousands rallied in Tbilisi on Sunday.\n\nWorkers at the port of Antwerp walked out on Monday in a dispute over pensions.\n"
	evs := x.Extract(Document{ArticleID: "p", Text: text, Published: pub})
	for _, ev := range evs {
		if ev.Date == "2024-06-17" && (slices.Contains(ev.Actors, "Georgia") || !slices.Contains(ev.Actors, "Belgium")) {
			t.Errorf("the Antwerp walkout: actors %v, want Belgium and not Georgia", ev.Actors)
		}
	}
	if !hasEvent(evs, "protest 2024-06-17") {
		t.Errorf("no protest of 2024-06-17 in %s", summary(evs))
	}
}

// TestByAPossessiveDate: "shocked by today's large-scale missile attacks"
// is no deadline: "by" governs the attacks, and today is their day.
func TestByAPossessiveDate(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2022, 10, 10, 12, 0, 0, 0, time.UTC)
	text := "The Secretary-General is deeply shocked by today's large-scale missile attacks by the armed forces of the Russian Federation on cities across Ukraine."
	evs := x.Extract(Document{ArticleID: "b", Text: text, Published: pub})
	if !hasEvent(evs, "military_strike 2022-10-10") {
		t.Errorf("no strike of 2022-10-10 in %s", summary(evs))
	}
}

// TestLoneChronologyEntry: a text that is one chronology entry ("6 June
// 2024 – Russian forces struck Kharkiv …") gives its event: a line opening
// with a bare date is an entry; a filing line names a place, an agency or
// a weekday ("Wednesday, December 4, 2024 —").
func TestLoneChronologyEntry(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	text := "6 June 2024 – Russian forces struck Kharkiv with missiles, killing two civilians."
	evs := x.Extract(Document{ArticleID: "c", Text: text, Published: pub})
	if !hasEvent(evs, "military_strike 2024-06-06") {
		t.Errorf("no strike of 2024-06-06 in %s", summary(evs))
	}
}

// TestQualifiedDoersAsWritten: doers named by a common noun that words
// qualify are an actor as the text writes them ("Allied Air forces",
// "Serb forces", "Iran-backed militias"). From a UN report on Sarajevo (1995), the
// 1991 Gulf War address, a White House record of Iran-backed attacks and
// Wikinews.
func TestQualifiedDoersAsWritten(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(1995, 5, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"On 16 May 1995, government and Serb forces engaged in heavy fighting around key features that dominate the city.", "Serb forces", ""},
		{"On 29 May 1995, Allied Air forces began an attack on military targets in Iraq and Kuwait.", "Allied Air forces", ""},
		{"On 28 May 1995, Iran-backed militias attacked at least three U.S. bases in Syria.", "Iran-backed militias", ""},
		{"On 20 May 1995, U.S.-led coalition forces struck targets near Mosul.", "U.S.-led coalition forces", ""},
		{"On 27 May 1995, thousands of anti-Brexit protesters marched in London.", "anti-Brexit protesters", ""},
		{"The forces attacked the town on 12 May 1995.", "", "The forces"},
	} {
		evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestRegionAsSubject: a region the gazetteer knows that is the subject of
// its clause acts ("Breakaway Abkhazia holds a parliamentary election"),
// while a region after a preposition stays only a place. From Wikipedia's
// "2017 in Georgia" and "2018 national electoral calendar".
func TestRegionAsSubject(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"12 March – Breakaway Abkhazia holds a parliamentary election, with vote going into runoff for 22 out of 35 seats.", "Abkhazia", ""},
		{"7 January: Northern Cyprus, Parliament", "Northern Cyprus", ""},
		{"On 12 March 2017, Georgian troops were deployed in Abkhazia.", "", "Abkhazia"},
	} {
		evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestDatedStrikesAreMilitary: a dated noun that two types read is the
// reading whose conditions hold: "the August 23 strikes" a president
// directed are military strikes, not a walkout with no workers named;
// dockers' strike on a date stays a protest. From the war powers letter on
// strikes in Syria (August 2022).
func TestDatedStrikesAreMilitary(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2022, 8, 25, 0, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "w", Published: pub,
		Text: "I directed the August 23 strikes in order to protect and defend the safety of our personnel."})
	if !hasEvent(evs, "military_strike 2022-08-23") || hasEvent(evs, "protest 2022-08-23") {
		t.Errorf("directed strikes: %+v, want a military strike on 2022-08-23 and no protest", evs)
	}
	evs = x.Extract(Document{ArticleID: "d", Published: pub,
		Text: "Dockers began the August 23 strike at the port of Antwerp over pay."})
	if !hasEvent(evs, "protest 2022-08-23") {
		t.Errorf("dockers' strike: %+v, want a protest on 2022-08-23", evs)
	}
}

// TestOpeningDateWithoutComma: a date that opens its sentence dates its
// main verb even without a comma right after it ("This Thursday the
// United States Commission ... criticized the move", "On Friday in
// Istanbul, as a part of an election rally, Erdogan said"). From Wikinews
// (March 2019).
func TestOpeningDateWithoutComma(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 3, 31, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "w", Published: pub,
		Text: "This Thursday the United States Commission on International Religious Freedom (USCIRF) also criticized the move."})
	if !hasEvent(evs, "statement 2019-03-28") {
		t.Errorf("fronted date without a comma: %+v, want a statement on 2019-03-28", evs)
	}
}

// TestWireSubjectDay: wire copy's day right after the subject dates the
// sentence's verb ("Secretary General Kofi Annan on May 15 urged"), "last
// evening" is the day before publication, and an embargo the Council
// began discussing is not imposed. From the USIS Washington File (May
// 2000) and a State Department briefing (August 1995).
func TestWireSubjectDay(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2000, 5, 16, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "w", Published: pub,
		Text: "United Nations — Secretary General Kofi Annan on May 15 urged Eritrea and Ethiopia to \"heed the call for peace\" as members of the Security Council began discussing an arms embargo."})
	if !hasEvent(evs, "statement 2000-05-15") || hasEvent(evs, "sanction 2000-05-15") {
		t.Errorf("Annan urged: %+v, want a statement on 2000-05-15 and no sanction", evs)
	}
	evs = x.Extract(Document{ArticleID: "m", Published: pub,
		Text: "United Nations -- Secretary General Kofi Annan on May 15 urged Eritrea\nand Ethiopia to \"heed the call for peace\" as members of the Security\nCouncil began meeting to consider imposing an arms embargo on the two\ncountries.\n"})
	if !hasEvent(evs, "statement 2000-05-15") {
		t.Errorf("urged as the Council began meeting: %+v, want a statement on 2000-05-15 beside the meeting", evs)
	}
	evs = x.Extract(Document{ArticleID: "b", Published: time.Date(1995, 8, 30, 12, 0, 0, 0, time.UTC),
		Text: "As President Clinton said last evening, the United States strongly supports the action taken by NATO and the United Nations."})
	if !hasEvent(evs, "statement 1995-08-29") {
		t.Errorf("said last evening: %+v, want a statement on 1995-08-29", evs)
	}
}

// TestProtestersTakePart: a protest's participants are "protesters" beside
// the names the text gives ("Hongkongers have been protesting since early
// June"), unless the text names the crowd itself. From Wikinews (August
// 2019).
func TestProtestersTakePart(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 8, 19, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want, not string }{
		{"Hongkongers have been protesting since early June.", "protesters", ""},
		{"On Sunday, thousands of students marched in Hong Kong.", "students", "protesters"},
	} {
		evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: pub})
		checkActor(t, tc.text, evs, tc.want, tc.not)
	}
}

// TestModalInAQuoteBefore: a modal inside a quotation does not make the
// speech verb after it hypothetical. From Wikinews (September 2019).
func TestModalInAQuoteBefore(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 9, 12, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "q", Published: pub,
		Text: "\"I don't think that any leader around the world should make any assumption that our foreign policy will change in a material way\", Pompeo told the press on Tuesday."})
	if !hasEvent(evs, "statement 2019-09-10") {
		t.Errorf("told after a quote with modals: %+v, want a statement on 2019-09-10", evs)
	}
}

// TestDateBeforeTheSpeaker: a date right before the speaker's name dates
// the speech verb ("… to the Security Council last month Mr. Kubiš said"),
// and a name before the day is the speaker ("The head of the UK's counter
// terror police, Neil Basu, on Sunday said"). From UN News (January 2014)
// and Wikinews (June 2020).
func TestDateBeforeTheSpeaker(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2014, 1, 17, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "k", Published: pub,
		Text: "In his latest quarterly report on the UNAMA to the Security Council last month Mr. Kubiš said Afghanistan continues to make progress."})
	if !hasEvent(evs, "statement 2013-12") {
		t.Errorf("date before the speaker: %+v, want a statement in 2013-12", evs)
	}
	evs = x.Extract(Document{ArticleID: "b", Published: time.Date(2020, 6, 22, 12, 0, 0, 0, time.UTC),
		Text: "The head of the UK's counter terror police, Neil Basu, on Sunday said the police found nothing inconsistent with the attacker acting alone."})
	checkActor(t, "Basu", evs, "Neil Basu", "")
}

// TestAynInsidePlaceName: an apostrophe inside a place name read from the
// text stays in it ("Dar'a", "Sana'a"); a possessive does not. From the
// CIA World Factbook's background on Syria.
func TestAynInsidePlaceName(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2026, 1, 21, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "d", Published: pub,
		Text: "In the wake of major uprisings elsewhere in the region, antigovernment protests broke out in the southern province of Dar'a in 2011."})
	if len(evs) == 0 || !slices.ContainsFunc(evs[0].Places, func(p event.Place) bool { return p.Name == "Dar'a" }) {
		t.Errorf("Dar'a: %+v, want a protest in Dar'a", evs)
	}
}

// TestPresidentOfTheAuthor: in a White House release ("Office of the
// Press Secretary"), "The President welcomes" is the United States'
// statement, and a title's topic after "on" is not its author ("Statement
// by the Press Secretary on Bosnia"). From the Clinton White House
// archive (October 1995).
func TestPresidentOfTheAuthor(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(1995, 10, 11, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "p", Published: pub, Title: "Statement by the Press Secretary on Bosnia",
		Text: "Office of the Press Secretary\nThe President welcomes the agreement reached today by the Bosnian parties to implement last week's agreement on a country-wide cease-fire.\n"})
	if !slices.ContainsFunc(evs, func(ev event.Event) bool {
		return ev.Type == "statement" && slices.Contains(ev.Actors, "United States")
	}) {
		t.Errorf("The President welcomes: %+v, want a statement by the United States", evs)
	}
}

// TestTwoSpeakersOneDay: two people's statements of one day stay two
// events even when both sentences name the same organisation. From
// Wikinews (March 2019).
func TestTwoSpeakersOneDay(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2019, 3, 31, 12, 0, 0, 0, time.UTC)
	evs := x.Extract(Document{ArticleID: "s", Published: pub,
		Text: "On Wednesday, President Recep Tayyip Erdogan said the museum would become a mosque, despite criticism by UNESCO.\n\n" +
			"This Wednesday Greek Foreign Minister George Katrougalos emphasized the requirement of approval by UNESCO.\n"})
	n := 0
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2019-03-27" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("statements of 2019-03-27: %d in %+v, want 2 (Erdogan's and Katrougalos's)", n, evs)
	}
}

// TestJustSpokeAndMissions: "I just spoke with" is a call on the day of
// the remarks, and forces that "conducted a daring mission" struck. From
// President Biden's remarks of 26 November 2024 and 1 August 2022.
func TestJustSpokeAndMissions(t *testing.T) {
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "j", Published: time.Date(2024, 11, 26, 18, 0, 0, 0, time.UTC),
		Text: "Good afternoon. I just spoke with the prime minister of Israel and Lebanon."})
	if !hasEvent(evs, "meeting 2024-11-26") {
		t.Errorf("I just spoke with: %+v, want a meeting on 2024-11-26", evs)
	}
	evs = x.Extract(Document{ArticleID: "m", Published: time.Date(2022, 8, 1, 23, 0, 0, 0, time.UTC),
		Text: "In February, our forces conducted a daring mission in Syria that eliminated the emir of ISIS."})
	if !hasEvent(evs, "military_strike 2022-02") {
		t.Errorf("conducted a daring mission: %+v, want a strike in 2022-02", evs)
	}
}

// actorCase is a text and the event it must give: type, date, an actor
// it must name (when not empty), one it must not, and a place it must
// name (when not empty).
type actorCase struct {
	name, text      string
	pub             time.Time
	typ, date       string
	actor, notActor string
	place           string
	count           int // events of typ and date wanted (0: at least one)
}

func runActorCases(t *testing.T, cases []actorCase) {
	t.Helper()
	x := testExtractor(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "a", Text: tc.text, Published: tc.pub})
			var got []event.Event
			for _, ev := range evs {
				if ev.Type == tc.typ && ev.Date == tc.date {
					got = append(got, ev)
				}
			}
			if len(got) == 0 || tc.count > 0 && len(got) != tc.count {
				t.Fatalf("Extract(%q): %d events %s %s, want %d; all: %s", tc.text, len(got), tc.typ, tc.date, max(tc.count, 1), summary(evs))
			}
			ok := false
			for _, ev := range got {
				places := placeNames(ev)
				if (tc.actor == "" || slices.Contains(ev.Actors, tc.actor)) && (tc.notActor == "" || !slices.Contains(ev.Actors, tc.notActor)) &&
					(tc.place == "" || slices.Contains(places, tc.place)) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("Extract(%q): %s %s with actors %v places %v, want actor %q, not %q, place %q", tc.text, tc.typ, tc.date, got[0].Actors, placeNames(got[0]), tc.actor, tc.notActor, tc.place)
			}
		})
	}
}

// TestChronologyEntriesAndQuotes: footnote marks end sentences, a
// timeline entry's definite "the elections" is its own election, the name
// after an entry's date is its subject, people a quotation names are not
// the statement's speakers, "in Washington" is a place.
func TestChronologyEntriesAndQuotes(t *testing.T) {
	pub := time.Date(2019, 9, 17, 0, 0, 0, 0, time.UTC)
	runActorCases(t, []actorCase{
		{name: "a footnote mark ends the sentence; the definite elections are the entry's", pub: time.Date(2017, 12, 30, 0, 0, 0, 0, time.UTC),
			text: "-   12 March – Breakaway Abkhazia holds a parliamentary election, with vote going into runoff for 22 out of 35 seats.[18] Georgia and many other countries such as the United States refuse to recognize the elections.[19]",
			typ:  "election", date: "2017-03-12", actor: "Abkhazia", count: 1},
		{name: "the name after an entry's date is its subject", pub: time.Date(2017, 12, 30, 0, 0, 0, 0, time.UTC),
			text: "-   9 April – Anatoly Bibilov wins the presidential election in breakaway South Ossetia, condemned by Georgia and the US as \"illegitimate\".",
			typ:  "election", date: "2017-04-09", actor: "Anatoly Bibilov"},
		{name: "a person the quotation names is not the speaker; its future is not the attribution's", pub: time.Date(2019, 9, 11, 0, 0, 0, 0, time.UTC),
			text: "On Tuesday, President Donald Trump announced he had asked for John Bolton's resignation.\n\n\"I don't think any leader should assume that President Trump's foreign policy will change\", Pompeo told the press on Tuesday.",
			typ:  "statement", date: "2019-09-10", actor: "Mike Pompeo", count: 2},
		{name: "a day opening the sentence frames the statement", pub: pub,
			text: "On Saturday, in a brief but official statement, US President Donald Trump said Hamza bin Laden has been killed in a US counter-terrorism operation.",
			typ:  "statement", date: "2019-09-14", actor: "Donald Trump"},
		{name: "in Washington is the city, though the text names no United States", pub: time.Date(2025, 6, 7, 0, 0, 0, 0, time.UTC),
			text: "Pakistan's envoy Samira Nadeem met World Bank officials in Washington on Thursday and is due in Geneva next week.",
			typ:  "meeting", date: "2025-06-05", place: "Washington"},
		{name: "a host and the session it hosts", pub: time.Date(2017, 12, 30, 0, 0, 0, 0, time.UTC),
			text: "-   26–29 May – Tbilisi hosts the NATO Parliamentary Assembly's (NATO–PA) Spring Session.",
			typ:  "meeting", date: "2017-05-26", actor: "NATO"},
	})
}

// TestAnchoredYearsAndMonths: "later that year", "three years later",
// "the following month" count from the story's date before them.
func TestAnchoredYearsAndMonths(t *testing.T) {
	pub := time.Date(2026, 1, 22, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "later that year is the year before", pub: pub,
			text: "Russia seized Crimea in 2014. Petro Poroshenko took office later that year, and Volodymyr Zelensky succeeded him in 2019.",
			want: []string{"election 2014", "election 2019"}},
		{name: "three years later", pub: pub,
			text: "The British withdrew from Aden in 1967. Three years later, the southern government signed a treaty with the Soviet Union.",
			want: []string{"treaty_signing 1970"}},
		{name: "the following December is after the story's date, not the report's", pub: pub,
			text: "In December 2004, Hamid KARZAI became the first democratically elected president of Afghanistan, and the National Assembly was inaugurated the following December.",
			want: []string{"election 2005-12"}, not: []string{"election 2026-12"}},
		{name: "months counted from a year keep to that year", pub: pub,
			text: "Russia annexed Crimea in March 2014. A year later, Russia launched strikes in Syria. Two months later, Russia deployed jets to Latakia.",
			want: []string{"military_strike 2015", "troop_deployment 2015"}, not: []string{"troop_deployment 2014-05"}},
		{name: "the following month", pub: pub,
			text: "Protests began in Tunis in December 2010. The following month, President Ben Ali resigned.",
			want: []string{"statement 2011-01"}},
	})
}

// TestNamedSpeakerIsNews: a person named as the speaker makes a
// statement of their own even when what they report is dated too.
func TestNamedSpeakerIsNews(t *testing.T) {
	pub := time.Date(2000, 5, 16, 0, 0, 0, 0, time.UTC)
	runActorCases(t, []actorCase{
		{name: "a named person's words beside the ceasefire they speak of", pub: pub,
			text: "British Ambassador Jeremy Greenstock said on May 15 that the two countries must stop fighting immediately.",
			typ:  "statement", date: "2000-05-15", actor: "Jeremy Greenstock"},
	})
}

// TestEmergencyDocumentsAmended: a national emergency's order amended by
// a later order or proclamation, each dated, is a sanction of that day; a
// section of a proclamation cited is not.
func TestEmergencyDocumentsAmended(t *testing.T) {
	pub := time.Date(2024, 2, 27, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "an order amended by a later order", pub: pub,
			text: "On June 26, 2001, by Executive Order 13219, the President declared a national emergency with respect to the Western Balkans. The President subsequently amended that order in Executive Order 13304 of May 28, 2003, to take additional steps.",
			want: []string{"sanction 2001-06-26", "sanction 2003-05-28"}},
		{name: "proclamations amending one, each on its day", pub: pub,
			text: "The national emergency with respect to Cuba declared on March 1, 1996, in Proclamation 6867, as amended by Proclamation 7757 on February 26, 2004, and Proclamation 9699 on February 22, 2018, is to continue in effect.",
			want: []string{"sanction 2004-02-26", "sanction 2018-02-22"}},
		{name: "a section of a proclamation cited", pub: pub,
			text: "Such persons shall be treated in the same manner as persons covered by section 1 of Proclamation 8693 of July 24, 2011, under the national emergency.",
			not:  []string{"sanction 2011-07-24"}},
	})
}

// TestDigestReportsAndSpeakers: in a digest of one day, what a reporting
// verb in the present says happened is news of that day; a party named
// after a person, or a person spoken with, is not a named speaker.
func TestDigestReportsAndSpeakers(t *testing.T) {
	runMech(t, []mechCase{
		{name: "a digest's reported strike is of its day", pub: time.Date(2025, 12, 18, 0, 0, 0, 0, time.UTC),
			text: "December 17, 2025\n\nArmed conflicts and attacks\n\nThe United States Southern Command says the U.S. Navy attacked an alleged drug smuggling boat in the Eastern Pacific, killing at least four people.\n",
			want: []string{"military_strike 2025-12-17"}},
		{name: "a person's party is not a named speaker", pub: time.Date(2024, 2, 12, 0, 0, 0, 0, time.UTC),
			text: "Former prime minister Nawaz Sharif returned from exile in October. Sharif's party said on Friday it had opened talks with the PPP on forming a government.",
			want: []string{"negotiation 2024-02-09"}, not: []string{"statement 2024-02-09"}},
	})
}

// TestRelativeClauses: a relative clause's antecedent is its subject
// ("The agreement, which was signed in Doha on ...") and the date it
// gives is its antecedent event's ("the combat operations ..., which
// began on October 7, 2001").
func TestRelativeClauses(t *testing.T) {
	pub := time.Date(2025, 12, 6, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "the antecedent is the signed thing", pub: pub,
			text: "The agreement, which was signed in Doha on November 15, 2025, set out eight steps.",
			want: []string{"treaty_signing 2025-11-15"}},
		{name: "which began on a day dates its antecedent", pub: pub,
			text: "Since September 24, 2001, I have reported on the combat operations in Afghanistan against al-Qaida terrorists and their Taliban supporters, which began on October 7, 2001.",
			want: []string{"military_strike 2001-10-07"}, not: []string{"military_strike 2001-09-24"}},
	})
}

// TestStrikeTargetIsItsPlace: a strike aimed at a country, with no place
// named, happens there.
func TestStrikeTargetIsItsPlace(t *testing.T) {
	runActorCases(t, []actorCase{
		{name: "an assault against a country", pub: time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC),
			text: "Since Russia launched its further assault against Ukraine in February 2022, the United States has rallied the world.",
			typ:  "military_strike", date: "2022-02", actor: "Russia", place: "Ukraine"},
		{name: "a people named by its plural", pub: time.Date(1995, 6, 1, 0, 0, 0, 0, time.UTC),
			text: "On 27 May 1995, the Serbs seized an UNPROFOR observation post at the Vrbanja bridge in Sarajevo.",
			typ:  "military_strike", date: "1995-05-27", actor: "Serbs"},
		{name: "a country seized", pub: time.Date(2026, 1, 22, 0, 0, 0, 0, time.UTC),
			text: "In 1990, Iraq seized Kuwait but was expelled by US-led UN coalition forces.",
			typ:  "military_strike", date: "1990", actor: "Iraq", place: "Kuwait"},
	})
}

// TestWholeLemmas: triggers written as whole lemmas match the plain form
// too ("to announce", "to welcome").
func TestWholeLemmas(t *testing.T) {
	pub := time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "announce security assistance", pub: pub,
			text: "Today, I am proud to announce nearly $2.5 billion in security assistance for Ukraine.",
			want: []string{"arms_transfer 2024-12-30"}},
		{name: "welcome a president", pub: pub,
			text: "Today, I am proud to welcome President Zelenskyy back to the White House.",
			want: []string{"meeting 2024-12-30"}},
	})
}

// TestFightingThatWentOn: an event noun opening its clause is dated by
// the date its verb of beginning, going on or ending gives; a month
// after it is no modal.
func TestFightingThatWentOn(t *testing.T) {
	pub := time.Date(2026, 1, 22, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "fighting continued over a span", pub: pub,
			text: "Fighting in the northwest between the government and the Houthis, a Zaydi Shia Muslim minority, continued intermittently from 2004 to 2010.",
			want: []string{"military_strike 2004"}},
		{name: "fighting erupted in a month named like a modal", pub: pub,
			text: "Heavy fighting erupted in May 1995 around Sarajevo.",
			want: []string{"military_strike 1995-05"}},
		{name: "exercises ordered are the order's news", pub: time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC),
			text: "President Vladimir Putin ordered the exercises on May 6, a day before his inauguration.",
			want: []string{"statement 2024-05-06"}, not: []string{"weapons_test 2024-05-06"}},
	})
}

// TestNamedByYearAndPlace: a summit or war named by its year and place is
// dated by that year; a participle after a comma tells of the noun phrase
// before it.
func TestNamedByYearAndPlace(t *testing.T) {
	pub := time.Date(2025, 12, 6, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a summit named by year and city", pub: pub,
			text: "NATO leaders agreed new defence plans at the 2023 Vilnius Summit.",
			want: []string{"meeting 2023"}},
		{name: "a war named by year and peoples", pub: pub,
			text: "In the 1967 Arab-Israeli War, Syria lost control of the Golan Heights region to Israel.",
			want: []string{"military_strike 1967"}},
		{name: "a framework, signed in a city on a day", pub: pub,
			text: "The parties reaffirmed the Doha Framework for a Comprehensive Peace Agreement between the Government of the DRC and AFC/M23, signed in Doha on November 15, 2025.",
			want: []string{"treaty_signing 2025-11-15"}},
	})
}

// TestAreasAsWritten: a gazetteer place followed by the word for its kind
// of area is named as written.
func TestAreasAsWritten(t *testing.T) {
	runActorCases(t, []actorCase{
		{name: "the Golan Heights", pub: time.Date(2025, 12, 6, 0, 0, 0, 0, time.UTC),
			text: "In the 1967 Arab-Israeli War, Syria lost control of the Golan Heights region to Israel.",
			typ:  "military_strike", date: "1967", place: "Golan Heights"},
		{name: "an airport named after its city", pub: time.Date(2020, 1, 4, 0, 0, 0, 0, time.UTC),
			text: "On Friday, a United States drone strike hit a convoy at Baghdad International Airport.",
			typ:  "military_strike", date: "2020-01-03", place: "Baghdad International Airport"},
	})
}

// TestCallsWithEachCounterpart: calls with people of several countries
// are a call with each, unless the text says they were joint.
func TestCallsWithEachCounterpart(t *testing.T) {
	pub := time.Date(2018, 4, 10, 18, 0, 0, 0, time.UTC)
	runActorCases(t, []actorCase{
		{name: "separate conversations, two calls", pub: pub,
			text: "The Prime Minister held separate telephone conversations earlier today with the US President Donald Trump and the French President Emmanuel Macron.",
			typ:  "meeting", date: "2018-04-10", actor: "Emmanuel Macron", notActor: "Donald Trump", count: 2},
		{name: "a joint call is one", pub: pub,
			text: "The Prime Minister held a trilateral telephone call with the US President Donald Trump and the French President Emmanuel Macron today.",
			typ:  "meeting", date: "2018-04-10", actor: "Emmanuel Macron", count: 1},
	})
}

// TestCourtsDecide: what a court grants, suspends or rejects is its
// ruling, a statement.
func TestCourtsDecide(t *testing.T) {
	pub := time.Date(2019, 7, 20, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a court grants", pub: pub,
			text: "On 2 March 2017, the Supreme Court of Georgia granted the ownership rights of Rustavi 2 TV to its former co-owner.",
			want: []string{"statement 2017-03-02"}},
		{name: "a court suspends", pub: pub,
			text: "On 3 March 2017, the European Court of Human Rights temporarily suspended the enforcement of the decision.",
			want: []string{"statement 2017-03-03"}},
	})
}

// TestOfficeRefusalsAndParliaments: becoming president is taking office;
// refusing is a statement; suspending parliament is an act of state.
func TestOfficeRefusalsAndParliaments(t *testing.T) {
	pub := time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "became president", pub: pub,
			text: "In December 2004, Hamid KARZAI became the first democratically elected president of Afghanistan.",
			want: []string{"election 2004-12"}},
		{name: "refused to allow", pub: pub,
			text: "In October 1997, Iraq refused to allow weapons inspections if U.S. citizens served on UNSCOM teams.",
			want: []string{"statement 1997-10"}},
		{name: "began serving as governor", pub: pub,
			text: "Rosselló began serving as Puerto Rico's eleventh governor on January 2, 2017.",
			want: []string{"election 2017-01-02"}},
		{name: "secured the delegates", pub: pub,
			text: "On Saturday, incumbent President Donald Trump secured all 25 of Nevada's delegates.",
			want: []string{"election 2019-11-16"}},
		{name: "dissolved the parliament", pub: pub,
			text: "In early September, Julie Payette, the Governor General of Canada, dissolved the 42nd Canadian Parliament.",
			want: []string{"statement 2019-09"}},
		{name: "suspended parliament", pub: pub,
			text: "Queen Elizabeth II suspended parliament at the behest of Boris Johnson, the current prime minister, on September 10.",
			want: []string{"statement 2019-09-10"}},
	})
}

// TestPresentTenseEntries: chronologies, digests and headlines tell in the
// present tense ("9 April – X captures Y", "Court overturns ruling").
func TestPresentTenseEntries(t *testing.T) {
	pub := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a country attacks", pub: pub,
			text: "Events of 2025\n\n-   4 March – Russia attacks Odesa with drones and missiles.\n",
			want: []string{"military_strike 2025-03-04"}},
		{name: "captures a city", pub: pub,
			text: "Events of 2025\n\n-   9 April – The Rapid Support Forces captures the city of El Fasher after a siege.\n",
			want: []string{"military_strike 2025-04-09"}},
		{name: "a court overturns", pub: pub,
			text: "Events of 2025\n\n-   2 May – The Supreme Court overturns the ban on the opposition party.\n",
			want: []string{"statement 2025-05-02"}},
		{name: "a government unveils", pub: pub,
			text: "Events of 2025\n\n-   3 June – The European Commission unveils a plan to phase out Russian gas imports.\n",
			want: []string{"statement 2025-06-03"}},
	})
}

// TestRelativeObjects: a restrictive relative clause's antecedent is the
// object its verb takes ("the supplemental that I signed in April").
func TestRelativeObjects(t *testing.T) {
	runMech(t, []mechCase{
		{name: "took out a leader", pub: time.Date(2022, 8, 2, 0, 0, 0, 0, time.UTC),
			text: "Last month, we took out another key ISIS leader.",
			want: []string{"military_strike 2022-07"}},
		{name: "the law that he signed", pub: time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC),
			text: "The President said the supplemental that he signed in April has provided Ukraine with air defence.",
			want: []string{"statement 2024-04"}},
	})
}

// TestGaggleAuthor: a press gaggle's title names who speaks in the first
// person, by a name the gazetteer does not know.
func TestGaggleAuthor(t *testing.T) {
	x := testExtractor(t)
	evs := x.Extract(Document{ArticleID: "g", Published: time.Date(2024, 2, 6, 21, 0, 0, 0, time.UTC),
		Title: "On-the-Record Press Gaggle by NSC Coordinator for Strategic Communications John Kirby",
		Text:  "MR. KIRBY: Many of you saw the statement that I issued yesterday, correcting what I had said Friday night about pre-notification to Iraqi officials."})
	for _, ev := range evs {
		if ev.Type == "statement" && ev.Date == "2024-02-05" && slices.Contains(ev.Actors, "John Kirby") {
			return
		}
	}
	t.Errorf("no statement of 2024-02-05 by John Kirby in %s (%v)", summary(evs), evs)
}

// TestBriefingDatedWithItsTime: a briefing's date line keeps the time it
// began, and still dates the briefing's present-tense statements.
func TestBriefingDatedWithItsTime(t *testing.T) {
	runMech(t, []mechCase{
		{name: "a date line with its clock time", pub: time.Date(1995, 9, 1, 0, 0, 0, 0, time.UTC),
			text: "DAILY PRESS BRIEFING\n\nWEDNESDAY, AUGUST 30, 1995, 1:50 P.M.\n\nMR. BURNS: The United States strongly supports the action taken by NATO.\n",
			want: []string{"statement 1995-08-30"}},
	})
}

// TestCAMEOVerbs: verbs of the CAMEO verb dictionary the rules lacked
// (PETRARCH2's CAMEO.2.0, MIT licence), each with its guard.
func TestCAMEOVerbs(t *testing.T) {
	pub := time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "appealed for", pub: pub,
			text: "The Secretary-General on Monday appealed for restraint in Tripoli.",
			want: []string{"statement 2025-06-16"}},
		{name: "threatened to", pub: pub,
			text: "Iran on Tuesday threatened to close the Strait of Hormuz.",
			want: []string{"statement 2025-06-17"}},
		{name: "mounted an attack", pub: pub,
			text: "Insurgents mounted an attack on the army base near Goma on Monday.",
			want: []string{"military_strike 2025-06-16"}},
		{name: "diplomats expelled", pub: pub,
			text: "Poland expelled 45 Russian diplomats on Wednesday.",
			want: []string{"sanction 2025-06-18"}},
		{name: "attacks halted", pub: pub,
			text: "Both sides agreed on Monday to halt attacks on energy facilities.",
			want: []string{"ceasefire 2025-06-16"}},
		{name: "troops amassed", pub: pub,
			text: "Russia amassed 100,000 troops near the border in April.",
			want: []string{"troop_deployment 2025-04"}},
		{name: "instrument of accession deposited", pub: pub,
			text: "Finland deposited its instrument of accession to the North Atlantic Treaty on 4 April 2023.",
			want: []string{"treaty_signing 2023-04-04"}},
		{name: "people reached with food assistance", pub: pub,
			text: "In December 2021, the World Food Program, with USAID support, reached 8 million people across Afghanistan with food assistance.",
			want: []string{"aid 2021-12"}},
		{name: "an election rally is neither an election nor a protest; the speech at it is a statement", pub: time.Date(2019, 3, 31, 0, 0, 0, 0, time.UTC),
			text: "On Friday in Istanbul, as a part of an election rally, Erdogan said, \"After elections, we will change Hagia Sophia's name from museum to mosque.\"",
			want: []string{"statement 2019-03-29"}, not: []string{"election 2019-03-29", "protest 2019-03-29"}},
		{name: "a storming", pub: pub,
			text: "Special forces stormed the hijacked ship on Tuesday.",
			want: []string{"military_strike 2025-06-17"}},
		{name: "a storm is no strike", pub: pub,
			text: "A tropical storm hit the coast on Tuesday.",
			not:  []string{"military_strike 2025-06-17"}},
	})
}
