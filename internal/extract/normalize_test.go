package extract

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	wrapped := "The Secretary of State met with the Foreign Minister of Japan on\n" +
		"June 4, 2024, in Washington to discuss the situation in the Indo-\n" +
		"Pacific. The two ministers also reviewed the negoti-\n" +
		"ations on a new security arrangement and agreed to meet again in\n" +
		"the autumn.\n" +
		"\n" +
		"The Secretary also spoke with the Foreign Minister of Australia on\n" +
		"June 5, 2024.\n"
	cases := []struct {
		name, in, want string
	}{
		{"clean text is unchanged", "Russia struck Kharkiv on Tuesday.\n\nKyiv said.", "Russia struck Kharkiv on Tuesday.\n\nKyiv said."},
		{"a preposition glued to a month comes apart", "**OnSeptember 15, 2024, the United States left. InMay, Online and Inside stay.",
			"On September 15, 2024, the United States left. In May, Online and Inside stay."},
		{"hard-wrapped paragraphs join", wrapped,
			"The Secretary of State met with the Foreign Minister of Japan on June 4, 2024, in Washington to discuss the situation in the Indo-Pacific. The two ministers also reviewed the negotiations on a new security arrangement and agreed to meet again in the autumn.\n\n" +
				"The Secretary also spoke with the Foreign Minister of Australia on June 5, 2024.\n"},
		{"lower-case continuation joins in any text", "Russian forces struck the city on\nTuesday, officials said, and\nkilled four people.",
			"Russian forces struck the city on\nTuesday, officials said, and killed four people."},
		{"a list stays a list", "Key dates:\n- June 4: talks in Doha\n- June 9: a ceasefire\n* June 10: aid arrives",
			"Key dates:\nJune 4: talks in Doha\nJune 9: a ceasefire\nJune 10: aid arrives"},
		{"numbered items and headings", "# Timeline\n1. March 3: strikes on Aden\n2) March 9: more strikes",
			"Timeline\nMarch 3: strikes on Aden\nMarch 9: more strikes"},
		{"timeline entries without markers stay apart", strings.Repeat("March 3, 2025: Houthi forces fired two missiles at a ship in the Red Sea and said so\n", 4),
			strings.TrimSuffix(strings.Repeat("March 3, 2025: Houthi forces fired two missiles at a ship in the Red Sea and said so\n", 4), "\n") + "\n"},
		{"indented paragraphs of wire copy", "   WASHINGTON (AP) -- The United States imposed sanctions on three\n" +
			"companies on Tuesday for supplying drones to Russia, officials said\n" +
			"at a briefing at the Treasury Department in Washington on Tuesday.\n" +
			"   The companies are based in Iran, the Treasury said in a statement\n" +
			"released after the briefing had ended at the department on Tuesday.\n",
			"WASHINGTON (AP) — The United States imposed sanctions on three companies on Tuesday for supplying drones to Russia, officials said at a briefing at the Treasury Department in Washington on Tuesday.\n" +
				"The companies are based in Iran, the Treasury said in a statement released after the briefing had ended at the department on Tuesday.\n"},
		{"compounds keep their hyphen", "The long-\nrange missiles were fired at the port by the forces of the\nnorth on Friday night after a long pause in the fighting there.",
			"The long-range missiles were fired at the port by the forces of the north on Friday night after a long pause in the fighting there."},
		{"invisible characters", "Kyiv\u200b said on\u00a0Monday it had signed\u00ad an ac\u00adcord.\ufeff", "Kyiv said on\u00a0Monday it had signed an accord."},
		{"typographic hyphens", "Nagorno\u2011Karabakh and co\u2010chairs", "Nagorno-Karabakh and co-chairs"},
		{"soft hyphen at a line end", "negoti\u00ad\nations began", "negotiations began"},
		{"HTML remnants", "On March 13<sup>th</sup>, AT&amp;T and the EU&#8217;s envoy met.<br>Then they left.<p>New paragraph</p>",
			"On March 13th, AT&T and the EU’s envoy met.\nThen they left.\nNew paragraph\n"},
		{"a less-than sign is not a tag", "Turnout was < 40% and x<y.", "Turnout was < 40% and x<y."},
		{"Markdown links, emphasis and images", "- [June 4: the Secretary's call with the Foreign Minister of Japan](https://state.gov/x) ![map](m.png) **Kyiv** _Reuters_ snake_case",
			"June 4: the Secretary's call with the Foreign Minister of Japan  Kyiv Reuters snake_case"},
		{"a link wrapped across lines keeps its text, not its address",
			"-   **April 1983:** The Islamic Jihad\n    [carried\n    out](https://www.britannica.com/event/1983-United-States-embassy-bombing)\n    a bombing in Beirut.",
			"April 1983: The Islamic Jihad carried out a bombing in Beirut."},
		{"a line that a long link address filled goes on",
			"-   **March 1984:** Iran-backed terrorists\n    [kidnapped](https://www.example.org/a/very/long/address/of/the/source/article.html)\n    CIA station chief William Buckley in Beirut.\n-   **May 1996:** next",
			"March 1984: Iran-backed terrorists kidnapped CIA station chief William Buckley in Beirut.\nMay 1996: next"},
		{"a line ending in a word goes on with a number",
			"October 1983: Hezbollah terrorists\nkilled\n241 U.S. military personnel in Beirut.",
			"October 1983: Hezbollah terrorists killed 241 U.S. military personnel in Beirut."},
		{"footnote marks stay", "signed on June 19, 2024 [1]", "signed on June 19, 2024 [1]"},
		{"TeX quotes and typewriter dashes", "He said ``we will strike'' -- and they did _ twice.", "He said “we will strike” — and they did — twice."},
		{"front matter is metadata", "---\ntags: releases\ndate: '2022-02-10'\ntitle: \"Statement\"\n---\n \nThe United States condemns the attack.",
			"\n \nThe United States condemns the attack."},
		{"a rule is not front matter", "---\nThe text begins.\n---\nMore.", "---\nThe text begins.\n---\nMore."},
		{"carriage returns", "line one\r\n\r\nLine two.\rThree.", "line one\n\nLine two.\nThree."},
		{"a date line and an editor's line stand alone",
			"[Public Papers of the Presidents: William J. Clinton (1998, Book II)]\n[August 10, 1998]\n[Page 1429]\n\n" +
				"Letter to Congressional Leaders Reporting on the Deployment of United\nStates Forces in Response to the Embassy Bombings in Kenya and Tanzania\nAugust 10, 1998\n",
			"[Public Papers of the Presidents: William J. Clinton (1998, Book II)]\n[August 10, 1998]\n[Page 1429]\n\n" +
				"Letter to Congressional Leaders Reporting on the Deployment of United States Forces in Response to the Embassy Bombings in Kenya and Tanzania\nAugust 10, 1998\n"},
		{"a date goes on a line that leads into it",
			"The first nationwide, multiparty elections were to be held between\nSeptember and the end of the year; the parties agreed to hold them on\nthe same day in all provinces, with results to be announced between\nNovember 1992\nand the next spring by the electoral commission in the capital.\n",
			"The first nationwide, multiparty elections were to be held between September and the end of the year; the parties agreed to hold them on the same day in all provinces, with results to be announced between November 1992 and the next spring by the electoral commission in the capital.\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := normalize(tc.in, nil); got != tc.want {
				t.Errorf("normalize(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestWrappedTextGivesEvents checks that what a wrapped line splits — a
// date at the end of one line, its verb on the next — is read as one
// sentence, and that a list's entries keep their own dates.
func TestWrappedTextGivesEvents(t *testing.T) {
	pub := time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)
	runMech(t, []mechCase{
		{name: "date ends a line, verb opens the next", pub: pub,
			text: "The Government of the United States announced that on June 4, 2024, the\n" +
				"Department of the Treasury imposed sanctions on twelve entities that\n" +
				"supplied drones and missile parts to Russia for use in Ukraine, and\n" +
				"that on June 5, 2024, Russian forces struck the city of Kharkiv with\n" +
				"guided bombs, killing four civilians in a residential district.\n",
			want: []string{"sanction 2024-06-04", "military_strike 2024-06-05"}},
		{name: "a Markdown list of dated entries", pub: pub,
			text: "## Key dates\n\n- [June 4: sanctions imposed on twelve Russian entities](https://example.org/a)\n" +
				"- June 5: Russian forces struck Kharkiv with guided bombs\n",
			want: []string{"sanction 2024-06-04", "military_strike 2024-06-05"}},
	})
}

// FuzzNormalize feeds arbitrary text to the normaliser: it must not
// panic, must keep valid UTF-8 valid, must not grow text more than its
// rewrites can (an em dash with spaces for two hyphens), and the
// extractor must read its output.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "a\nb", "---\ntitle: x\n---\nbody", "negoti-\nations", "- [June 4: talks](https://x)", "``q'' -- _ x",
		"13<sup>th</sup> &amp; &#8217; <br><p>x</p>", "\u00ad\n\u200b\ufeff", "   WASHINGTON -- text\nmore text here\n   Next para.",
		"# Head\n> quote\n* item\n1. one\n(a) two", "Nagorno\u2011Karabakh", "<script>x</script>y", "[a][b] ![i](u) **b** __u__",
	} {
		f.Add(s)
	}
	x, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := normalize(s, nil)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("normalize(%q) = %q: invalid UTF-8", s, out)
		}
		if len(out) > 3*len(s)+16 {
			t.Fatalf("normalize(%q) grew to %d bytes", s, len(out))
		}
		x.Extract(Document{ArticleID: "f", Text: s, Published: time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)})
	})
}
