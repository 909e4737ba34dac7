package extract

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/poller"
)

// The real-text dev corpus (testdata/real/<family>/) is published text
// that nobody on the project wrote: government letters and releases, UN
// statements, Wikinews and wire stories, hard-wrapped plain text and HTML,
// each labelled before the extractor was run on it (docs/labelling.md).
// Its SOURCES.md files say where each text came from and under which
// licence.

// minRealF1 guards the real-text dev corpus against regressions; the
// README gives the measured figures and the target (0.90).
const minRealF1 = 0.55

// articleText returns the text of a labelled article as Dateline reads
// it: a .html file goes through the poller's HTML path (a whole page
// through the full-text path, a fragment as a feed item's body), other
// files are read as they are.
func articleText(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if filepath.Ext(path) != ".html" {
		return string(b), nil
	}
	low := strings.ToLower(string(b[:min(len(b), 4096)]))
	if strings.Contains(low, "<html") || strings.Contains(low, "<body") {
		return poller.PageText(b, "text/html", "https://example.org/"+filepath.Base(path))
	}
	return poller.ItemText(string(b)), nil
}

// TestRealDev scores the extractor on the real-text dev corpus, logs a
// per-type table and one line per family and form, and fails under
// minRealF1. DEVSET_VERBOSE=1 lists every miss and extra.
func TestRealDev(t *testing.T) {
	x := testExtractor(t)
	items, n := setItems("real")
	if n == 0 {
		t.Skip("no real-text articles yet")
	}
	ta := scoreSet(t, x, items)
	t.Log(ta.table(n))
	groups := map[string][]devItem{}
	for _, it := range items {
		family := filepath.Base(filepath.Dir(it.text))
		groups["family "+family] = append(groups["family "+family], it)
		groups["form "+formOf(t, it.text)] = append(groups["form "+formOf(t, it.text)], it)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		c := scoreQuiet(t, x, groups[k]).total
		b.WriteString(strings.TrimSpace(strings.Join([]string{k, ":", itoa(len(groups[k])), "articles, recall",
			fmtRatio(c.credited, c.required), "precision", fmtRatio(c.good, c.events), "F1", fmtF(c.f1())}, " ")) + "\n")
	}
	t.Log("\n" + b.String())
	if ta.total.f1() < minRealF1 {
		t.Errorf("real-text dev F1 = %.3f, want >= %.2f", ta.total.f1(), minRealF1)
	}
}

// formOf names the layout of an article file: html, markdown, wrapped
// (hard-wrapped plain text) or paragraphs.
func formOf(t *testing.T, path string) string {
	t.Helper()
	switch filepath.Ext(path) {
	case ".html":
		return "html"
	case ".md":
		return "markdown"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, wrapped := wrapWidth(splitLines(cleanInline(string(b)), nil)); wrapped {
		return "wrapped"
	}
	return "paragraphs"
}
