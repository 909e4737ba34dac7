package extract

import (
	"testing"
	"time"
)

// TestClauseBinding checks that a date binds to the trigger of its own
// clause, that a clause with a trigger of its own keeps its date, and that
// spans and reported dates bind as written.
func TestClauseBinding(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		want       map[string]string // type -> date[..end]; "" means no such event
	}{
		{"two clauses, two dates",
			"The treaty between Russia and North Korea, signed on June 19, 2024, and solidified after negotiations in September 2023, deepens their alliance.",
			map[string]string{"treaty_signing": "2024-06-19", "negotiation": "2023-09"}},
		{"a dated clause keeps its date",
			"North Korea shipped munitions to Russia since September last year, and Russia had launched missiles at targets in Ukraine.",
			map[string]string{"arms_transfer": "2023-09", "military_strike": ""}},
		{"span",
			"North Korea sent 3 million artillery shells to Russia from September 2023 to September 2024.",
			map[string]string{"arms_transfer": "2023-09..2024-09"}},
		{"a participle's toll is the strike's",
			"Russian forces struck Kharkiv with missiles on Monday, killing four people.",
			map[string]string{"military_strike": "2024-10-28", "casualties": ""}},
		{"a toll told in the next sentence, same day and place, is the strike's",
			"Russian missiles struck Dnipro on Monday. Four people were killed in Dnipro on Monday, officials said.",
			map[string]string{"military_strike": "2024-10-28", "casualties": ""}},
		{"a toll elsewhere the same day is its own event",
			"Russian missiles struck Dnipro on Monday. Four people were killed in Odesa on Monday, officials said.",
			map[string]string{"military_strike": "2024-10-28", "casualties": "2024-10-28"}},
		{"a toll of another day is its own event",
			"Russian forces struck Kharkiv with missiles on Monday; on Tuesday rescuers said the strike had killed four people.",
			map[string]string{"military_strike": "2024-10-28"}},
		{"finite verb joins the strike",
			"A Russian missile strike on Kharkiv on Monday killed four people.",
			map[string]string{"military_strike": "2024-10-28", "casualties": ""}},
		{"a reaction and the event it reacts to share the event's date",
			"Ukraine condemned the missile strike on Kharkiv on Monday.",
			map[string]string{"statement": "2024-10-28", "military_strike": "2024-10-28"}},
		{"the topic of a dated report is not an event of its own",
			"Ukraine on Monday condemned the missile strike.",
			map[string]string{"statement": "2024-10-28", "military_strike": ""}},
		{"dated noun",
			"Officials recalled the October 7, 2023, attack on southern Israel.",
			map[string]string{"military_strike": "2023-10-07"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{}
			for _, ev := range x.Extract(Document{ArticleID: "b", Text: tc.text, Published: pub}) {
				d := ev.Date
				if ev.DateEnd != "" {
					d += ".." + ev.DateEnd
				}
				got[ev.Type] = d
			}
			for typ, want := range tc.want {
				if got[typ] != want {
					t.Errorf("%s: %s event dated %q, want %q (all: %v)", tc.text, typ, got[typ], want, got)
				}
			}
		})
	}
}
