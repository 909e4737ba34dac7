package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/bench"
)

// TestQuickRun runs the whole session on 2,000 events with few
// iterations into a temporary file and checks the table: every row, a
// positive figure in each measured one, every step ok, and the text
// around the markers untouched. It builds six test binaries and runs
// every benchmark once or a few times: about a minute and a half on two
// cores, so -short skips it.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every benchmark (~1.5 min)")
	}
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	before, after := "# Benchmarks\n\nhand-written text\n\n", "\n## Later section\n\nkept\n"
	if err := os.WriteFile(out, []byte(before+bench.BeginMarker+"\nold\n"+bench.EndMarker+"\n"+after), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-events", "2000", "-quick", "-out", out, "-dir", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if !strings.HasPrefix(doc, before+bench.BeginMarker) || !strings.HasSuffix(doc, bench.EndMarker+"\n"+after) {
		t.Errorf("text around the markers changed:\n%s", doc)
	}
	if strings.Contains(doc, "\nold\n") {
		t.Error("the old section is still there")
	}

	rows := tableRows(doc, "| area |")
	wantRows := []string{
		"wire story, 4.8 KB, one core", "hard-wrapped letter, 14 KB, one core",
		"5,000 feeds answering 304", "5,000 feeds over 500 hosts", "new articles (50 feeds × 100 items)",
		"the same, server's default fsync", "parse and convert only",
		"`bus.Articles.Publish`, a new 3 KB article", "the same, server's default fsync",
		"`bus.Articles.Publish` from 16 goroutines", "the same, server's default fsync",
		"2,000 generated events", "disk per 1,000,000 events", "`dateline reindex`",
		"two words + one-year range, limit 20", "the same with facets", "the same sorted by date",
		"timeline of everything by month", "`GET /api/v1/events`", "the same sorted by date (`sort=-date`)",
		"resident memory while serving", "start-up to ready",
		"one poll of a 300-item feed", "the same, server's default fsync", "poll to searchable at a steady 100 articles/s",
		"event set on EVENTS to signed webhook POST",
	}
	if len(rows) != len(wantRows) {
		t.Fatalf("table has %d rows, want %d:\n%s", len(rows), len(wantRows), doc)
	}
	bold := regexp.MustCompile(`\*\*(?:p[0-9]+ )?([0-9][0-9,]*(?:\.[0-9]+)?)`)
	for i, r := range rows {
		if len(r) != 7 {
			t.Errorf("row %d has %d cells, want 7: %q", i, len(r), r)
			continue
		}
		what, figure, met := r[1], r[2], r[6]
		if !strings.HasPrefix(what, wantRows[i]) {
			t.Errorf("row %d is %q, want %q…", i, what, wantRows[i])
		}
		if strings.HasPrefix(figure, "not measured: no benchmark of it yet") {
			if met != "not measured" {
				t.Errorf("%s: met %q for an unmeasured figure", what, met)
			}
			continue
		}
		m := bold.FindStringSubmatch(figure)
		if m == nil {
			t.Errorf("%s: no figure in %q", what, figure)
			continue
		}
		if v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64); err != nil || v <= 0 {
			t.Errorf("%s: figure %q is not a positive number", what, m[1])
		}
		if met == "not measured" {
			t.Errorf("%s: measured (%s) but met says %q", what, figure, met)
		}
	}
	steps := tableRows(doc, "| step |")
	if len(steps) != 8 {
		t.Errorf("%d steps, want 8", len(steps))
	}
	for _, s := range steps {
		if s[len(s)-1] != "ok" {
			t.Errorf("step %s: %s", s[0], s[len(s)-1])
		}
	}
}

// tableRows returns the cells of the body rows of the Markdown table
// whose header line starts with header.
func tableRows(doc, header string) [][]string {
	var rows [][]string
	in := false
	for line := range strings.Lines(doc) {
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, header):
			in = true
		case in && strings.HasPrefix(line, "| ---"):
		case in && strings.HasPrefix(line, "|"):
			rows = append(rows, splitRow(line))
		default:
			in = false
		}
	}
	return rows
}

// splitRow splits a table line on the pipes not escaped with a backslash.
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func TestRunRefusesArguments(t *testing.T) {
	if err := run([]string{"extra"}); err == nil || !strings.Contains(err.Error(), `"extra"`) {
		t.Errorf("run(extra) = %v, want an error naming the argument", err)
	}
	if err := run([]string{"-events", "0", "-out", filepath.Join(t.TempDir(), "b.md")}); err == nil {
		t.Error("run(-events 0) gave no error")
	}
}
