package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

func TestTimelineJS(t *testing.T) {
	var buf bytes.Buffer
	if err := TimelineJS(&buf, FeedMeta{Title: "Dateline: <korea>"}, fixture()); err != nil {
		t.Fatalf("TimelineJS: %v", err)
	}
	var tl Timeline
	if err := json.Unmarshal(buf.Bytes(), &tl); err != nil {
		t.Fatalf("TimelineJS output does not parse: %v", err)
	}
	if tl.Title == nil || tl.Title.Text.Headline != "Dateline: &lt;korea&gt;" {
		t.Errorf("title slide: got %+v, want an escaped headline", tl.Title)
	}
	tests := []struct {
		name     string
		start    Date
		end      *Date
		group    string
		headline string
		bodyHas  string
	}{
		{"day", Date{"2024", "6", "19"}, nil, "treaty signing", fixture()[0].Title,
			`<a href="https://example.org/news/nk-russia?x=1&amp;y=2" rel="noopener noreferrer">Putin visits Pyongyang</a> — Example World`},
		{"month span", Date{"2023", "9", ""}, &Date{"2024", "9", ""}, "arms transfer", fixture()[1].Title, "<p>Since September 2023"},
		{"year, hostile", Date{"2023", "", ""}, nil, "protest", "&lt;img src=x onerror=alert(1)&gt;",
			"<p>&#34;&gt;&lt;svg/onload=alert(1)&gt; — &lt;b&gt;Feed&lt;/b&gt;</p>"},
		{"data: URL is not a link", Date{"2024", "5", "25"}, nil, "military strike", fixture()[3].Title, "<p>Kharkiv — Kyiv Post</p>"},
	}
	if len(tl.Events) != len(tests) {
		t.Fatalf("slides: got %d, want %d", len(tl.Events), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tl.Events[i]
			if *s.StartDate != tt.start {
				t.Errorf("start_date: got %+v, want %+v", *s.StartDate, tt.start)
			}
			if (s.EndDate == nil) != (tt.end == nil) || (tt.end != nil && *s.EndDate != *tt.end) {
				t.Errorf("end_date: got %+v, want %+v", s.EndDate, tt.end)
			}
			if s.Group != tt.group || s.Text.Headline != tt.headline {
				t.Errorf("group, headline: got %q, %q, want %q, %q", s.Group, s.Text.Headline, tt.group, tt.headline)
			}
			if !strings.Contains(s.Text.Text, tt.bodyHas) {
				t.Errorf("text %q lacks %q", s.Text.Text, tt.bodyHas)
			}
			if s.UniqueID != "ev-"+fixture()[i].ID {
				t.Errorf("unique_id: got %q", s.UniqueID)
			}
			checkContentHTML(t, s.Text.Text)
		})
	}
}

// TestTimelineJSDisplayDate checks that display_date is the normalised
// date at its precision, never the phrase of the text.
func TestTimelineJSDisplayDate(t *testing.T) {
	tests := []struct {
		date, end, text, want string
	}{
		{"2026-12-02", "", "next Wednesday", "2 December 2026"},
		{"2025-03", "", "last month", "March 2025"},
		{"2024", "", "last year", "2024"},
		{"2023-09", "2024-09", "from September 2023 to September 2024", "September 2023 – September 2024"},
		{"2024-06-19", "2024-06-21", "from Wednesday to Friday", "19 June 2024 – 21 June 2024"},
		{"2024-01-05", "", "<b>Friday</b>", "5 January 2024"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			e := fixture()[0]
			e.Date, e.DateEnd, e.DateText = tc.date, tc.end, tc.text
			var buf bytes.Buffer
			if err := TimelineJS(&buf, FeedMeta{}, []event.Event{e}); err != nil {
				t.Fatal(err)
			}
			var tl Timeline
			if err := json.Unmarshal(buf.Bytes(), &tl); err != nil {
				t.Fatal(err)
			}
			if len(tl.Events) != 1 {
				t.Fatalf("got %d slides, want 1", len(tl.Events))
			}
			if got := tl.Events[0].DisplayDate; got != tc.want {
				t.Errorf("display_date = %q, want %q", got, tc.want)
			}
		})
	}
}
