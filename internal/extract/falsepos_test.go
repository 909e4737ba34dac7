package extract

import (
	"testing"
	"time"
)

// TestNonEventDates covers dates that belong to no event: reporting
// periods, deadlines, reference sections, earnings and market language.
func TestNonEventDates(t *testing.T) {
	pub := time.Date(2024, 11, 6, 10, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "a hyphenated quarter modifies a statistic", pub: pub,
			text: "The group raised its guidance after third-quarter sales of artillery ammunition jumped 31%.",
			not:  []string{"2024-07"}},
		{name: "a month span before quarter is a reporting period", pub: pub,
			text: "The firm delivered 12 howitzers to Poland in the July-September quarter.",
			not:  []string{"2024-07"}},
		{name: "a quarter of a year still dates an event", pub: pub,
			text: "North Korea shipped artillery shells to Russia in the third quarter of 2024, officials said.",
			want: []string{"arms_transfer 2024-07"}},
		{name: "by the end of a year is a target", pub: pub,
			text: "The company handed over the first howitzers in October and expects to deliver the rest by the end of 2026.",
			not:  []string{"2026-09"}},
		{name: "a definite anaphor skips a report's date", pub: pub,
			text: "Gunmen attacked the village on 8 March 2019. A UN panel documented the raid in a report published in April 2020.",
			want: []string{"military_strike 2019-03-08"}, not: []string{"military_strike 2020-04"}},
		{name: "lines after a Notes heading are references", pub: pub,
			text: "Russia has sold arms across the Sahel for years.\n\nNotes\n1. SIPRI, \"Trends in International Arms Transfers, 2023\", March 2024.\n2. Interview, Bamako, 12 January 2024.",
			not:  []string{"2024-03", "2024-01-12"}},
		{name: "working to get a deal is no deal", pub: pub,
			text: "We haven't talked about it this morning, but we're still working with the Prime Minister to try to get the ceasefire deal in place.",
			not:  []string{"ceasefire 2024-11-06"}},
		{name: "a plot to kill is no killing", pub: pub,
			text: "He was sanctioned in 2011 in relation to a plot to kill the Saudi ambassador. In 2012 the group tried to kill a judge.",
			want: []string{"sanction 2011"}, not: []string{"casualties 2011", "casualties 2012"}},
		{name: "a currency rally is no protest", pub: pub,
			text: "Sterling rallied on Wednesday after data showed inflation dropped to 1.7%.",
			not:  []string{"protest 2024-11-06"}},
		{name: "a shareholders' general meeting is no meeting", pub: pub,
			text: "The league's annual general meeting is on 12 December, when clubs will vote on a salary cap.",
			not:  []string{"meeting 2024-12-12"}},
		{name: "an order to leave is no agreement", pub: pub,
			text: "The president signed an order to leave the accord on 20 January.",
			not:  []string{"treaty_signing 2024-01-20"}},
		{name: "a trigger inside the name of a law", pub: pub,
			text: "The Public Officials Election and Recall Act, passed in 1980, lets voters remove a mayor.",
			not:  []string{"election 1980"}},
		{name: "an elected official is no election", pub: pub,
			text: "The law, amended in 2016, lets voters remove an elected official.",
			not:  []string{"election 2016"}},
		{name: "a strike by workers is a protest", pub: pub,
			text: "A strike by air traffic controllers grounded hundreds of flights across France on Monday.",
			want: []string{"protest 2024-11-04"}, not: []string{"military_strike 2024-11-04"}},
		{name: "workers downing tools is a strike", pub: pub,
			text: "On 14 August 1980 some 17,000 shipyard workers downed tools in Gdansk.",
			want: []string{"protest 1980-08-14"}},
	})
}

// TestMetadataLinesDateNothing checks that byline, update, publication,
// modification and copyright lines around an article date no event.
func TestMetadataLinesDateNothing(t *testing.T) {
	text := "By Jane Smith, Reuters\n" +
		"Published June 20, 2024\n" +
		"Updated: June 21, 2024 10:32 GMT\n" +
		"First published on Thu 20 Jun 2024 14.00 BST\n" +
		"Posted: Jun 19, 2024\n\n" +
		"Russian missiles hit Kharkiv on Monday, killing four people, officials said.\n\n" +
		"This article was amended on 22 June 2024 to correct a name.\n" +
		"Last modified on Sat 22 Jun 2024 16.05 BST\n" +
		"Copyright 2024 Reuters. All rights reserved.\n" +
		"© 2024 Example Media\n"
	runMech(t, []mechCase{
		{name: "metadata lines", pub: time.Date(2024, 6, 22, 0, 0, 0, 0, time.UTC), text: text,
			want: []string{"military_strike 2024-06-17"},
			not:  []string{"2024-06-19", "2024-06-20", "2024-06-21", "2024-06-22", "2024"}},
	})
}
