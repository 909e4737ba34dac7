package extract

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// TestHeadlineTitles checks the titles read from the evidence: who did
// what where, without the date, attribution, asides and trailing clauses,
// and the type's template where the clause gives no headline (a pronoun
// subject, no subject before the trigger, a heading in title case). The
// sentences are of the shapes of the corpus: wire copy, government
// letters and readouts, UN statements and chronology lines.
func TestHeadlineTitles(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text, typ, want string
	}{
		{"wire, trailing participle", "Rail unions went on strike across France on Thursday, halting most trains.",
			"protest", "Rail unions went on strike across France"},
		{"date between subject and verb", "The European Union on Monday imposed sanctions on eight Iranian officials over drone deliveries.",
			"sanction", "The European Union imposed sanctions on eight Iranian officials over drone deliveries"},
		{"attribution after a comma", "Russia struck Kharkiv with missiles on Sunday, officials said.",
			"military_strike", "Russia struck Kharkiv with missiles"},
		{"leading date, aside between subject and verb", "On Monday, Klobuchar, along with Senator Ron Wyden of Oregon, introduced a bill to require voting by mail.",
			"statement", "Klobuchar introduced a bill to require voting by mail"},
		{"leading attribution", "According to Syrian state media, government forces began deploying into previously SDF controlled territory yesterday.",
			"troop_deployment", "Government forces began deploying into previously SDF controlled territory"},
		{"letter, aside and trailing clause", "Since October 7, 2001, United States Armed Forces, including Special Operations Forces, have conducted counterterrorism combat operations, including against al-Qa'ida and associated forces.",
			"military_strike", "United States Armed Forces have conducted counterterrorism combat operations"},
		{"letter, at my direction", "On March 12, 2024, at my direction, a security force of military personnel deployed to Port-au-Prince, Haiti, to augment security at the United States Embassy.",
			"troop_deployment", "A security force of military personnel deployed to Port-au-Prince"},
		{"readout", "The Prime Minister spoke to President Obama yesterday.",
			"meeting", "The Prime Minister spoke to President Obama"},
		{"a date and its part of the day", "The Prime Minister met President Biden at the White House yesterday evening.",
			"meeting", "The Prime Minister met President Biden at the White House"},
		{"parenthetical", "The World Health Organization (WHO) declared the outbreak a pandemic on Wednesday.",
			"statement", "The World Health Organization declared the outbreak a pandemic"},
		{"passive", "Khashoggi was murdered last October in the Saudi consulate in Istanbul, Turkey.",
			"casualties", "Khashoggi was murdered in the Saudi consulate in Istanbul"},
		{"chronology line", "June 6 – Russian forces struck Kharkiv with missiles, killing two civilians.",
			"military_strike", "Russian forces struck Kharkiv with missiles"},
		{"wire dateline", "KYIV, June 8 (Reuters) - Ukrainian drones hit an oil refinery in Russia's Ryazan region on Saturday, the regional governor said.",
			"military_strike", "Ukrainian drones hit an oil refinery in Russia's Ryazan region"},
		{"digits and a long clause cut before a word", "More than 1,000 protesters marched through central Belgrade on Saturday demanding the resignation of the government of Prime Minister Milos Vucevic.",
			"protest", "More than 1,000 protesters marched through central Belgrade demanding the resignation"},
		{"a cut inside a name drops the name and the word left dangling", "Since at least November 2023, Yemen-based Houthi militants have engaged in a series of attacks against United States Navy ships and commercial vessels.",
			"military_strike", "Yemen-based Houthi militants have engaged in a series of attacks"},
		{"quote marks left out", `The Health Ministry declared the outbreak an "emergency" on January 31.`,
			"statement", "The Health Ministry declared the outbreak an emergency"},
		{"a date in a possessive stays", "The Secretary-General condemns in the strongest possible terms today’s terrorist attack at a concert hall outside Moscow.",
			"military_strike", "The Secretary-General condemns in the strongest possible terms today’s terrorist attack"},
		{"a subordinate clause's subject", "The Prime Minister told President Zelenskyy that the UK was rallying UN General Assembly members today, to ensure the strongest possible condemnation of Russia.",
			"protest", "The UK was rallying UN General Assembly members"},
		{"a date after an article stays", "The Secretary-General takes note of the 3 December joint statement on the situation in Nagorno-Karabakh.",
			"statement", "The Secretary-General takes note of the 3 December joint statement on the situation"},
		// Fallbacks: the template title.
		{"last of a list of subjects", "Three candidates withdrew from the race: Andrew Yang, an entrepreneur, and Michael Bennet, a Senator from Colorado, suspended their campaigns on Tuesday.",
			"statement", "Statement"},
		{"the rest of a list of names", "The members of the Security Council welcomed the Agreement on Peace, Friendship and Comprehensive Cooperation signed by the leaders of Eritrea and Ethiopia on 16 September 2018 in Jeddah.",
			"treaty_signing", "Agreement signed by UN Security Council, United Nations, Eritrea and others"},
		{"an election after a preposition", "He has said a constitutional referendum could be held in 2027, after the next parliamentary election.",
			"election", "Planned: Election"},
		{"pronoun subject", "He met the Qatari emir in Doha on Monday.",
			"meeting", "Meeting of Qatar"},
		{"no subject before the trigger", "11–13 December – WW2: Battle of Jitra",
			"military_strike", "Military strike on Jitra"},
		{"only an article before the trigger", "After an attack in Kabul on Monday, the embassy closed.",
			"military_strike", "Military strike on Kabul involving Afghanistan"},
		{"a phrase, not a subject", "In 2007, the United States government labeled Soleimani as a terrorist and levied sanctions against him.",
			"sanction", "Sanctions involving United States, Qasem Soleimani, Quds Force and others"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "h", Text: tt.text, Published: pub})
			var got []string
			for _, ev := range evs {
				if ev.Type != tt.typ {
					continue
				}
				if ev.Title == tt.want {
					return
				}
				got = append(got, ev.Title)
			}
			t.Errorf("%s titles %q, want %q (events: %s)", tt.typ, got, tt.want, summary(evs))
		})
	}
}

// TestHeadlineShape checks what every headline read from the real-text
// corpus keeps to: at most maxHeadline bytes after a status prefix, no
// final punctuation or line break, a capital first letter. A title whose
// words are all the evidence's is taken for a headline; the others are
// template titles, which the corpus must also give (the fallback works).
func TestHeadlineShape(t *testing.T) {
	x := testExtractor(t)
	paths, err := filepath.Glob("testdata/real/*/*.txt")
	if err != nil || len(paths) == 0 {
		t.Skip("no real-text corpus")
	}
	headlines, templates := 0, 0
	for _, path := range paths {
		text, err := articleText(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range x.Extract(Document{ArticleID: path, Text: text, Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}) {
			title := strings.TrimPrefix(strings.TrimPrefix(ev.Title, "Planned: "), "Denied: ")
			sent := strings.ToLower(ev.Sentence)
			if slices.ContainsFunc(strings.Fields(title), func(w string) bool { return !strings.Contains(sent, strings.ToLower(w)) }) {
				templates++
				continue
			}
			headlines++
			if len(title) > maxHeadline {
				t.Errorf("%s: title %q: %d bytes, over %d", path, title, len(title), maxHeadline)
			}
			if strings.HasSuffix(title, ".") || strings.HasSuffix(title, ",") || strings.ContainsAny(title, "\n\r") {
				t.Errorf("%s: title %q ends in punctuation or breaks a line", path, title)
			}
			if r, _ := utf8.DecodeRuneInString(title); unicode.IsLower(r) {
				t.Errorf("%s: title %q starts lower case", path, title)
			}
		}
	}
	t.Logf("%d headlines, %d template titles", headlines, templates)
	if headlines == 0 || templates == 0 {
		t.Errorf("%d headlines and %d template titles: want both", headlines, templates)
	}
}
