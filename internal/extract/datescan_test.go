package extract

import (
	"testing"
	"time"
)

// scanOne reads text published at pub and returns the dates it finds as
// "date..end" strings (citation dates marked with a leading "!").
func scanOne(t *testing.T, text string, pub time.Time, locale string) []string {
	t.Helper()
	x := testExtractor(t)
	d := new(reader)
	d.init(x, Document{Text: text, Published: pub, Locale: locale})
	d.analyse()
	var out []string
	for _, m := range d.dates {
		if !m.ok {
			continue
		}
		date, end, _ := d.dateFields(&m)
		s := date
		if end != "" {
			s += ".." + end
		}
		if m.citation {
			s = "!" + s
		}
		out = append(out, s)
	}
	return out
}

func TestScanDates(t *testing.T) {
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC) // a Tuesday
	tests := []struct {
		name, text, locale string
		want               []string
	}{
		{"month day year", "The treaty was signed on June 19, 2024.", "", []string{"2024-06-19"}},
		{"day month year", "It was signed on 19 June 2024 in Pyongyang.", "", []string{"2024-06-19"}},
		{"abbreviated month", "It was signed on Jun. 19, 2024.", "", []string{"2024-06-19"}},
		{"ordinal", "Talks resumed on June 19th, 2024.", "", []string{"2024-06-19"}},
		{"weekday and date", "Talks resumed on Wednesday, June 19, 2024.", "", []string{"2024-06-19"}},
		{"iso", "The order is dated 2024-06-19.", "", []string{"2024-06-19"}},
		{"numeric day first", "Signed 19/06/2024 in Paris.", "", []string{"2024-06-19"}},
		{"numeric month first", "Signed 06/19/2024 in Paris.", "", []string{"2024-06-19"}},
		{"numeric ambiguous us", "Signed 03/04/2024 in Paris.", "en-US", []string{"2024-03-04"}},
		{"numeric ambiguous gb", "Signed 03/04/2024 in Paris.", "en-GB", []string{"2024-04-03"}},
		{"partial from publication", "On June 20, state media published the text.", "", []string{"2024-06-20"}},
		{"partial never after publication", "On December 3, troops crossed the border.", "", []string{"2023-12-03"}},
		{"partial future", "The summit will open on December 3.", "", []string{"2024-12-03"}},
		{"partial weekday and date", "Talks resumed on Wednesday, June 19.", "", []string{"2024-06-19"}},
		{"partial ordinal", "Talks resumed on June 19th.", "", []string{"2024-06-19"}},
		{"partial after publication in the past tense", "Russia deployed troops to Belarus on November 3.", "", []string{"2023-11-03"}},
		{"partial after publication, past verb and ordinal", "Rebels captured the town on November 3rd, officials said.", "", []string{"2023-11-03"}},
		{"partial after publication in a report of a plan", "Ukraine announced talks with Russia on November 11.", "", []string{"2024-11-11"}},
		{"partial after publication as a new date", "The vote was postponed to November 11.", "", []string{"2024-11-11"}},
		{"partial from context", "It was signed on June 19, 2023. On June 20, the text appeared.", "", []string{"2023-06-19", "2023-06-20"}},
		{"month year", "Negotiations began in September 2023.", "", []string{"2023-09"}},
		{"year after preposition", "In 2015 it tested a missile.", "", []string{"2015"}},
		{"statistic year", "Its 2015 GDP was $40 billion.", "", nil},
		{"statistic year in clause", "It spent 2% of its GDP on defence in 2023.", "", nil},
		{"span months", "It sent shells from September 2023 to September 2024.", "", []string{"2023-09..2024-09"}},
		{"span between", "Protests ran between March and May 2024.", "", []string{"2024-03..2024-05"}},
		{"day span", "The summit met on June 19–20, 2024.", "", []string{"2024-06-19..2024-06-20"}},
		{"day month span", "He visited on 14-15 November 2024.", "", []string{"2024-11-14..2024-11-15"}},
		{"year span", "The war lasted 2014–2018.", "", []string{"2014..2018"}},
		{"year span after preposition", "The war lasted from 2014 to 2018.", "", []string{"2014..2018"}},
		{"since open span", "It has shipped munitions since September last year.", "", []string{"2023-09"}},
		{"early year", "The base opened in early 2024.", "", []string{"2024-01..2024-04"}},
		{"mid year", "The base opened in mid-2024.", "", []string{"2024-05..2024-08"}},
		{"end of year", "The base opens at the end of 2025.", "", []string{"2025-09..2025-12"}},
		{"quarter", "Exports fell in the third quarter of 2024.", "", []string{"2024-07..2024-09"}},
		{"q notation", "Deliveries resume in Q1 2025.", "", []string{"2025-01..2025-03"}},
		{"season", "Fighting resumed in summer 2023.", "", []string{"2023-06..2023-08"}},
		{"the season", "Fighting resumed in the spring.", "", []string{"2024-03..2024-05"}},
		{"half year", "Exports fell in the second half of 2023.", "", []string{"2023-07..2023-12"}},
		{"resolution numbers are not years", "It breached Security Council resolutions 1718, 1874 and 2087 and the UN 1988 sanctions regime in 2023.", "", []string{"2023"}},
		{"two days are two dates", "The summit met on June 19 and 20.", "", []string{"2024-06-19", "2024-06-20"}},
		{"a day before a month is its own date", "The ministers met on 6 and 7 May 2024.", "", []string{"2024-05-06", "2024-05-07"}},
		{"a dash is a span", "The ministers met on 6-7 May 2024.", "", []string{"2024-05-06..2024-05-07"}},
		{"consecutive months", "Protests ran in June and July 2023.", "", []string{"2023-06..2023-07"}},
		{"coordinated months take the later year", "Protests flared in June and August 2023.", "", []string{"2023-06", "2023-08"}},
		{"last season", "Construction started last autumn.", "", []string{"2023-09..2023-11"}},
		{"yesterday", "Troops crossed the border yesterday.", "", []string{"2024-10-28"}},
		{"day before yesterday", "Troops crossed the border the day before yesterday.", "", []string{"2024-10-27"}},
		{"day after tomorrow", "Ministers will meet the day after tomorrow.", "", []string{"2024-10-31"}},
		{"today", "The ministry said today that talks failed.", "", []string{"2024-10-29"}},
		{"the present age is no day", "The Alliance is prepared to meet the challenges of today and tomorrow.", "", nil},
		{"of today's is the day", "As a result of today's actions, the assets are blocked.", "", []string{"2024-10-29"}},
		{"weekday past", "Troops crossed the border on Monday.", "", []string{"2024-10-28"}},
		{"weekday same day", "Troops crossed the border on Tuesday.", "", []string{"2024-10-29"}},
		{"weekday future", "Ministers will meet on Friday.", "", []string{"2024-11-01"}},
		{"last week", "They met last week.", "", []string{"2024-10-21..2024-10-27"}},
		{"the end of the month", "They will meet at the end of the month.", "", []string{"2024-10"}},
		{"the beginning of the year", "Since the beginning of the year, attacks rose.", "", []string{"2024-01..2024-04"}},
		{"the end of last week", "They met at the end of last week.", "", []string{"2024-10-21..2024-10-27"}},
		{"a deadline is no date", "The parties demanded a poll before the end of the year.", "", nil},
		{"last weekday, later in the week", "They met last Thursday.", "", []string{"2024-10-24"}},
		{"last weekday, the same weekday", "They met last Tuesday.", "", []string{"2024-10-22"}},
		{"last weekday, earlier in the week: the week before's", "They met last Monday.", "", []string{"2024-10-21"}},
		{"this week, past", "Missiles hit the city this week.", "", []string{"2024-10-28..2024-10-29"}},
		{"this week, future", "Ministers will meet this week.", "", []string{"2024-10-28..2024-11-03"}},
		{"two days ago", "They met two days ago.", "", []string{"2024-10-27"}},
		{"earlier this month", "They met earlier this month.", "", []string{"2024-10"}},
		{"last year", "They met last year.", "", []string{"2023"}},
		{"next month", "They will meet next month.", "", []string{"2024-11"}},
		{"last month name", "They met last September.", "", []string{"2024-09"}},
		{"anchored later", "Troops crossed on June 3, 2024. Two days later, they withdrew.", "", []string{"2024-06-03", "2024-06-05"}},
		{"anchored same sentence", "Ruto spoke on Wednesday, a day after protesters stormed parliament.", "", []string{"2024-10-23", "2024-10-22"}},
		{"citation parenthetical", "The treaty (article, June 19, 2024) was cited.", "", []string{"!2024-06-19"}},
		{"source and date parenthetical", "The treaty was signed on June 19, 2024 (Yonhap, June 20, 2024).", "", []string{"2024-06-19", "!2024-06-20"}},
		{"date and source parenthetical", "The treaty was signed on June 19, 2024 (20 June 2024, KCNA).", "", []string{"2024-06-19", "!2024-06-20"}},
		{"a date alone in parentheses is no citation", "The offensive (May 2024) failed.", "", []string{"2024-05"}},
		{"last accessed line", "See the report (last accessed October 28, 2024).", "", nil},
		{"last accessed in prose", "Troops crossed the border into the region on June 3, 2024, according to the monitors' report on the crossing (last accessed October 28, 2024), which cited officials.", "", []string{"2024-06-03", "!2024-10-28"}},
		{"retrieved", "Retrieved October 28, 2024.", "", nil},
		{"footnote line", "Body text.\n[1] Shin, H. Key points. June 19, 2024.", "", nil},
		{"dateline", "KYIV, March 5 (Wire) - Troops crossed.", "", []string{"2024-03-05"}},
		{"may the verb", "Officials may meet soon.", "", nil},
		{"lone month needs preposition", "March was cold.", "", nil},
		{"money not a year", "The deal is worth $2015 million.", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanOne(t, tc.text, pub, tc.locale)
			if len(got) != len(tc.want) {
				t.Fatalf("dates in %q = %v, want %v", tc.text, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("dates in %q = %v, want %v", tc.text, got, tc.want)
					break
				}
			}
		})
	}
}

func TestScanDatesWithoutPublication(t *testing.T) {
	got := scanOne(t, "It happened yesterday, on June 19, 2024. On June 20 the text appeared.", time.Time{}, "")
	want := []string{"2024-06-19", "2024-06-20"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("dates = %v, want %v (relative dates need a publication date)", got, want)
	}
}
