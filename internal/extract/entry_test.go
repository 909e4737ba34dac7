package extract

import (
	"testing"
	"time"
)

func TestEntryDates(t *testing.T) {
	pub := time.Date(2024, 10, 4, 13, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a timeline line dates its later sentences", pub: pub,
			text: "Timeline\n\n09/27/2024 – Rivers crest at record levels. Dozens of people are killed across the county.\n\n10/02/2024 – The president surveys the damage. He orders 1,000 soldiers deployed to the state.",
			want: []string{"casualties 2024-09-27", "troop_deployment 2024-10-02"}},
		{name: "a live-blog entry under a time stamp takes the day heading", pub: time.Date(2024, 1, 2, 13, 0, 0, 0, time.UTC),
			text: "Live updates\n\nTuesday 2 January 2024\n\n19:15 JST\nFive of the six crew members on the coast guard aircraft were killed, the ministry says.",
			want: []string{"casualties 2024-01-02"}},
		{name: "an ordinary paragraph stays undated", pub: pub,
			text: "Soldiers were deployed to the state.\n\nThe 09/27/2024 floods were the worst on record.",
			not:  []string{"troop_deployment 2024-09-27"}},
	})
}

func TestYearsNearPublication(t *testing.T) {
	pub := time.Date(2024, 11, 3, 6, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a day next week is this year's", pub: pub,
			text: "The annual UN climate summit opens in Baku on November 11.",
			want: []string{"meeting 2024-11-11"}},
		{name: "a day last week is this year's despite a plan in its sentence", pub: pub,
			text: "Parliament will hold a special session next month after the coalition lost its majority in the October 27 election.",
			want: []string{"election 2024-10-27"}},
		{name: "a story told in an earlier year keeps it", pub: time.Date(2024, 4, 15, 12, 0, 0, 0, time.UTC),
			text: "The fighting erupted on April 15, 2023, when rebels attacked army bases. A week later, on April 22, special forces flew troops into the capital. Talks opened in Jeddah on May 6.",
			want: []string{"troop_deployment 2023-04-22", "negotiation 2023-05-06"}, not: []string{"2024-05-06"}},
		{name: "a past verb after a near day keeps it in the past", pub: time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC),
			text: "On November 20, troops crossed the border.",
			want: []string{"troop_deployment 2023-11-20"}, not: []string{"2024-11-20"}},
	})
}

func TestChainsAndModifiers(t *testing.T) {
	pub := time.Date(2024, 4, 15, 12, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "the following days name no day", pub: pub,
			text: "Special forces evacuated the embassy on April 10. Other countries carried out evacuations over the following days. The following day, the UN chief warned of a catastrophe.",
			want: []string{"statement 2024-04-11"}, not: []string{"statement 2024-04-12"}},
		{name: "an explicit date restates a shift", pub: pub,
			text: "Troops attacked the airport on April 8. A day later, a ceasefire took effect at midnight on April 9.",
			want: []string{"ceasefire 2024-04-09"}, not: []string{"ceasefire 2024-04-10"}},
		{name: "killed in a dated event", pub: time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC),
			text: "Officials say at least 48 people were killed in yesterday's quake.",
			want: []string{"casualties 2024-01-01"}},
		{name: "a recalled clause with an object is an event", pub: time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC),
			text: "The shipment came less than two weeks after the two countries signed a defence agreement in Cairo on August 14.",
			want: []string{"treaty_signing 2024-08-14"}},
		{name: "a perfect with an adverb takes no other clause's date", pub: time.Date(2024, 8, 14, 12, 0, 0, 0, time.UTC),
			text: "The court has now removed four prime ministers since 2008, and the military staged coups in 2006 and 2014.",
			want: []string{"military_strike 2006", "military_strike 2014"},
			not:  []string{"statement 2006", "statement 2008"}},
	})
}
