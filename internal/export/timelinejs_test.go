package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
