package alert

import (
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

// TestMessageListsEachSourceOnce checks that a message names each source
// of an event once: the article beside the sources that include it, and
// one link per source however its address is spelt (case of the host, a
// fragment, a trailing slash).
func TestMessageListsEachSourceOnce(t *testing.T) {
	t.Parallel()
	src := func(id, u string) event.Source {
		return event.Source{ArticleRef: event.ArticleRef{ID: id, URL: u}}
	}
	tests := []struct {
		name    string
		sources []event.Source
		want    []string // the source links, in order
		article int      // times the article's URL is in the text
	}{
		{"one article", nil, nil, 1},
		{"article among sources", []event.Source{
			src("a1", "https://news.example/a1"), src("a2", "https://other.example/a2"),
			src("a3", "https://OTHER.example/a2#top"), src("a4", "https://news.example/a1/"),
		}, []string{"https://news.example/a1", "https://other.example/a2"}, 1},
		{"article not among sources", []event.Source{src("a2", "https://other.example/a2")},
			[]string{"https://other.example/a2"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := sampleEvent("a1", "ev1", func(e *event.Event) {
				e.Sources = tc.sources
				e.SourceCount = len(tc.want)
			})
			m, err := newMessage(goldenRule(t, ""), kindEvent, []event.Event{e}, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Events[0].SourceURLs; !slices.Equal(got, tc.want) {
				t.Errorf("SourceURLs = %q, want %q", got, tc.want)
			}
			if n := strings.Count(m.Text, "https://news.example/a1"); n != tc.article {
				t.Errorf("the article's URL is %d times in the text, want %d:\n%s", n, tc.article, m.Text)
			}
			if n := strings.Count(strings.ToLower(m.Text), "https://other.example/a2"); tc.sources != nil && n != 1 {
				t.Errorf("https://other.example/a2 is %d times in the text, want once:\n%s", n, m.Text)
			}
		})
	}
}
