package index

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

func TestHighlightFragment(t *testing.T) {
	an, err := newAnalyzers(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	q, err := parseText("treaty -secret tbil*")
	if err != nil {
		t.Fatal(err)
	}
	h := newHighlighter(an, q)
	long := strings.Repeat("Ünïcödé filler words here. ", 30) + "The treaty was signed." + strings.Repeat(" More text follows.", 30)
	tests := []struct {
		name, in string
		wantOK   bool
		want     []string
	}{
		{"marks and escapes", `A <b>treaty</b> & more`, true, []string{"A &lt;b&gt;<mark>treaty</mark>&lt;/b&gt; &amp; more"}},
		{"stemmed form", "Treaties were signed", true, []string{"<mark>Treaties</mark> were"}},
		{"wildcard prefix", "Talks in Tbilisi", true, []string{"in <mark>Tbilisi</mark>"}},
		{"excluded words are not marked", "a secret deal", false, nil},
		{"long text cut around the match", long, true, []string{"…", "<mark>treaty</mark>", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := h.fragment(tt.in)
			if ok != tt.wantOK {
				t.Fatalf("fragment(%q): ok=%v, want %v (%q)", tt.in, ok, tt.wantOK, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("fragment: got %q, want it to contain %q", got, w)
				}
			}
			if !utf8.ValidString(got) {
				t.Errorf("fragment is not valid UTF-8: %q", got)
			}
			if len(got) > maxFragment+200 {
				t.Errorf("fragment is %d bytes", len(got))
			}
		})
	}
	t.Run("no text terms", func(t *testing.T) {
		tq := query.NewTermQuery("Russia")
		tq.SetField(fActor)
		if h := newHighlighter(an, tq); !h.empty() {
			t.Errorf("keyword-only query should not highlight: %+v", h)
		}
	})
}
