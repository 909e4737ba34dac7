package extract

import (
	"testing"
	"time"
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
