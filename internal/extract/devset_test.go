package extract

import (
	"fmt"
	"github.com/dateline/dateline/internal/gold"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// seedDir is the acceptance fixture, the project's own seed article.
const seedDir = "../../testdata/seed"

// minDevF1 is the overall F1 the dev set must reach once it is complete.
const minDevF1 = 0.9

// prf accumulates precision and recall counts.
type prf struct{ credited, required, good, events int }

func (c prf) precision() float64 { return ratio(c.good, c.events) }
func (c prf) recall() float64    { return ratio(c.credited, c.required) }
func (c prf) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// devItem is one labelled article: its gold file and its text.
type devItem struct{ gold, text string }

// devItems lists the dev set articles and, when present, the seed.
func devItems(t *testing.T) (items []devItem, devCount int) {
	t.Helper()
	items, devCount = setItems("devset")
	if _, err := os.Stat(seedDir); err == nil {
		items = append(items, devItem{filepath.Join(seedDir, "gold.json"), filepath.Join(seedDir, "article.txt")})
	} else {
		t.Logf("seed fixture %s absent; scoring the dev set only", seedDir)
	}
	return items, devCount
}

// setItems lists the labelled articles of testdata/<dir> and of its
// subdirectories: each gold file and the text its "article" names.
func setItems(dir string) (items []devItem, n int) {
	filepath.WalkDir(filepath.Join("testdata", dir), func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		text := strings.TrimSuffix(path, ".json") + ".txt"
		if g, err := readGold(path); err == nil && g.Article != "" {
			text = filepath.Join(filepath.Dir(path), g.Article)
		}
		items = append(items, devItem{path, text})
		return nil
	})
	return items, len(items)
}

// tally accumulates scores overall and per type.
type tally struct {
	total     prf
	byType    map[string]*prf
	forbidden int
}

func (ta *tally) get(k string) *prf {
	if ta.byType[k] == nil {
		ta.byType[k] = &prf{}
	}
	return ta.byType[k]
}

// add counts one article's score; gold types are credited to their first
// acceptable type.
func (ta *tally) add(g gold.Article, s gold.Grade) {
	ta.total.credited += len(s.Credited)
	ta.total.required += len(g.Required)
	ta.total.good += s.Good
	ta.total.events += s.Events
	for _, ge := range g.Required {
		c := ta.get(ge.Type[0])
		c.required++
		if s.Credited[ge.ID] {
			c.credited++
		}
	}
	for _, v := range s.Verdicts {
		c := ta.get(v.Event.Type)
		c.events++
		if v.Kind == gold.OK || v.Kind == gold.Neutral {
			c.good++
		}
		if v.Kind == gold.Forbidden {
			ta.forbidden++
		}
	}
}

// table renders the per-type and overall precision, recall and F1.
func (ta *tally) table(articles int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-18s %9s %9s %6s %6s %6s\n", "type", "recall", "precision", "P", "R", "F1")
	keys := make([]string, 0, len(ta.byType))
	for k := range ta.byType {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	row := func(name string, c prf) {
		fmt.Fprintf(&b, "%-18s %4d/%-4d %4d/%-4d %6.2f %6.2f %6.2f\n", name, c.credited, c.required, c.good, c.events, c.precision(), c.recall(), c.f1())
	}
	for _, k := range keys {
		row(k, *ta.byType[k])
	}
	row("overall", ta.total)
	fmt.Fprintf(&b, "articles %d, forbidden dates %d\n", articles, ta.forbidden)
	return b.String()
}

// explain lists an article's misses and extras.
func explain(name string, g gold.Article, s gold.Grade) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d/%d required, %d/%d good\n", name, len(s.Credited), len(g.Required), s.Good, s.Events)
	for _, v := range s.Verdicts {
		if v.Kind != gold.OK {
			fmt.Fprintf(&b, "  %-9s %s %s..%s %v %v %q | %s\n", v.Kind, v.Event.Type, v.Event.Date, v.Event.DateEnd, v.Event.Actors, placeNames(v.Event), v.Event.DateText, v.Event.Sentence)
		}
	}
	for _, m := range s.Missed {
		fmt.Fprintf(&b, "  MISSED    %s %v %s %v %v <- %s\n", m.ID, m.Type, m.Date, m.Actors, m.Places, m.Evidence)
	}
	return b.String()
}

// TestDevSet scores the extractor on the labelled dev set plus the seed
// article exactly as TestSeedArticle (cmd/dateline) does, logs a per-type table and
// fails under minDevF1 overall once the set has at least 40 articles. Set
// DEVSET_VERBOSE=1 to log every miss and extra.
func TestDevSet(t *testing.T) {
	x := testExtractor(t)
	items, devCount := devItems(t)
	if len(items) == 0 {
		t.Skip("no dev set articles yet")
	}
	ta := scoreSet(t, x, items)
	t.Log(ta.table(len(items)))
	if devCount >= 40 && ta.total.f1() < minDevF1 {
		t.Errorf("overall F1 = %.3f, want >= %.2f", ta.total.f1(), minDevF1)
	}
}

// heldOut are the held-out sets and their floors: articles never read
// while the extractor was built, so their figures estimate it on unseen
// news. "holdout" was written with the first dev articles; one helper saw
// its per-article misses by mistake on 2026-11-26 (its F1 stayed 0.72).
// "holdout2" was written on 2026-11-26 by someone who neither ran nor read
// the extractor; its floor is its first measurement (F1 0.63: precision
// 75/109, recall 40/68) less 0.05, a guard against regressions, not a
// target. "realholdout" is published text (48 White House texts)
// collected and labelled on 2026-12-07 by helpers who never ran or read
// the extractor; its floor is its first measurement (F1 0.60) less 0.05.
// "realholdout2" is a second such set, collected later the same day in
// other forms (wire stories, chronologies, government letters and
// hard-wrapped text), the same way; it has no floor until its first
// measurement.
var heldOut = []struct {
	dir   string
	minF1 float64
}{
	{"holdout", 0.70},
	{"holdout2", 0.58},
	{"realholdout", 0.55},
	{"realholdout2", 0},
}

// holdoutEnv turns the held-out measurement on. It is opt-in so that a
// plain go test never shows held-out figures, let alone misses: they are
// read once per extractor round, in aggregate, and never tuned on.
const holdoutEnv = "DATELINE_HOLDOUT"

// TestHoldout scores each held-out set when $DATELINE_HOLDOUT is set and
// fails under the set's floor. It prints aggregate figures only, whatever
// DEVSET_VERBOSE says.
func TestHoldout(t *testing.T) {
	if os.Getenv(holdoutEnv) == "" {
		t.Skipf("held-out sets are measured on request: %s=1 go test ./internal/extract -run TestHoldout -v", holdoutEnv)
	}
	x := testExtractor(t)
	for _, h := range heldOut {
		t.Run(h.dir, func(t *testing.T) {
			items, n := setItems(h.dir)
			if n == 0 {
				t.Skipf("no articles in testdata/%s", h.dir)
			}
			ta := scoreQuiet(t, x, items)
			c := ta.total
			t.Logf("%s: %d articles, recall %d/%d = %.2f, precision %d/%d = %.2f, F1 %.3f, forbidden dates %d",
				h.dir, n, c.credited, c.required, c.recall(), c.good, c.events, c.precision(), c.f1(), ta.forbidden)
			if c.f1() < h.minF1 {
				t.Errorf("held-out F1 on %s = %.3f, want >= %.2f", h.dir, c.f1(), h.minF1)
			}
		})
	}
}

// scoreSet extracts and scores every item. Set DEVSET_VERBOSE=1 to log
// every miss and extra.
func scoreSet(t *testing.T, x *Extractor, items []devItem) *tally {
	t.Helper()
	return scoreItems(t, x, items, os.Getenv("DEVSET_VERBOSE") != "")
}

// scoreQuiet extracts and scores every item and logs nothing.
func scoreQuiet(t *testing.T, x *Extractor, items []devItem) *tally {
	t.Helper()
	return scoreItems(t, x, items, false)
}

func scoreItems(t *testing.T, x *Extractor, items []devItem, verbose bool) *tally {
	t.Helper()
	ta := &tally{byType: map[string]*prf{}}
	for _, it := range items {
		g, err := readGold(it.gold)
		if err != nil {
			t.Fatalf("read %s: %v", it.gold, err)
		}
		text, err := articleText(it.text)
		if err != nil {
			t.Fatalf("read %s: %v", it.text, err)
		}
		pub, err := time.Parse(time.RFC3339, g.Published)
		if err != nil {
			t.Fatalf("%s: published: %v", it.gold, err)
		}
		evs := x.Extract(Document{ArticleID: filepath.Base(it.text), Text: text, Published: pub, Title: sourceTitle(it.text)})
		s := scoreEvents(g, evs)
		ta.add(g, s)
		if verbose {
			t.Log(explain(filepath.Base(it.text), g, s))
		}
	}
	return ta
}

// sourceTitle returns the title that the SOURCES.md table beside a labelled
// article gives it (the row whose first cell names the file), as a feed
// item carries its title; "" when there is none.
func sourceTitle(path string) string {
	b, err := os.ReadFile(filepath.Join(filepath.Dir(path), "SOURCES.md"))
	if err != nil {
		return ""
	}
	name := filepath.Base(path)
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		if strings.Trim(strings.TrimSpace(cells[1]), "`") == name {
			return strings.TrimSpace(cells[2])
		}
	}
	return ""
}
