package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
)

// The merge test set (testdata/merge, see its SOURCES): happenings each
// told by several reports, and near-miss pairs (same type and day,
// different happenings). Every report is an article text run through the
// real extractor; the report's event is the first event of its
// happening's type the extractor finds in it.

// testSet is a file of testdata/merge.
type testSet struct {
	Happenings []happening `json:"happenings"`
	NearMisses []happening `json:"near_misses"`
}

// happening is one happening (or near-miss pair) and its reports.
type happening struct {
	ID      string       `json:"id"`
	Type    string       `json:"type"`
	Note    string       `json:"note"`
	Reports []testReport `json:"reports"`
}

// testReport is one article. Happening, when set, is the happening it
// tells instead of its own (a near-miss report that tells a happening of
// the set).
type testReport struct {
	Outlet    string `json:"outlet"`
	Published string `json:"published"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Happening string `json:"happening"`
}

// labelled is a report read by the extractor: its set, the event that
// tells the happening, and the happening (gold).
type labelled struct {
	set   event.Set
	event string
	gold  string
}

// readTestSet reads a merge test set and extracts its reports. misses
// lists the reports in which the extractor found no event of the
// happening's type.
func readTestSet(t *testing.T, path string) (reports []labelled, misses []string, happenings, nearMisses int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ts testSet
	if err := json.Unmarshal(raw, &ts); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	x, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := builtinClustering()
	if err != nil {
		t.Fatal(err)
	}
	add := func(h happening, own func(i int) string) {
		for i, r := range h.Reports {
			published, err := time.Parse(time.RFC3339, r.Published)
			if err != nil {
				t.Fatalf("%s/%s: %v", h.ID, r.Outlet, err)
			}
			ref := event.ArticleRef{ID: fmt.Sprintf("%s/%d-%s", h.ID, i, r.Outlet), URL: "https://" + r.Outlet + ".example/" + h.ID,
				Title: r.Title, Feed: r.Outlet, Published: published}
			events := x.Extract(extract.Document{ArticleID: ref.ID, Title: r.Title, URL: ref.URL, Feed: r.Outlet,
				Text: r.Text, Published: published})
			gold := cmpOr(r.Happening, own(i))
			k := slices.IndexFunc(events, func(e event.Event) bool { return c.familyOf(e.Type) == c.familyOf(h.Type) })
			if k < 0 {
				misses = append(misses, ref.ID)
				continue
			}
			reports = append(reports, labelled{set: event.Set{Article: ref, Events: events}, event: events[k].ID, gold: gold})
		}
	}
	for _, h := range ts.Happenings {
		add(h, func(int) string { return h.ID })
	}
	for _, h := range ts.NearMisses {
		add(h, func(i int) string { return fmt.Sprintf("%s/%d", h.ID, i) })
	}
	return reports, misses, len(ts.Happenings), len(ts.NearMisses)
}

// scores are pairwise and B-cubed precision and recall of a clustering
// against the gold one.
type scores struct {
	pairP, pairR, b3P, b3R float64
}

// score compares predicted cluster ids with gold ones, report by report.
func score(pred, gold []string) scores {
	var tp, fp, fn int
	for i := range pred {
		for j := i + 1; j < len(pred); j++ {
			sp, sg := pred[i] == pred[j], gold[i] == gold[j]
			switch {
			case sp && sg:
				tp++
			case sp:
				fp++
			case sg:
				fn++
			}
		}
	}
	var s scores
	s.pairP, s.pairR = ratio(tp, tp+fp), ratio(tp, tp+fn)
	for i := range pred {
		var both, inPred, inGold int
		for j := range pred {
			if pred[i] == pred[j] {
				inPred++
			}
			if gold[i] == gold[j] {
				inGold++
			}
			if pred[i] == pred[j] && gold[i] == gold[j] {
				both++
			}
		}
		s.b3P += float64(both) / float64(inPred)
		s.b3R += float64(both) / float64(inGold)
	}
	s.b3P /= float64(len(pred))
	s.b3R /= float64(len(pred))
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func TestScore(t *testing.T) {
	tests := []struct {
		name       string
		pred, gold []string
		want       scores
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, scores{1, 1, 1, 1}},
		{"all apart", []string{"a", "b", "c"}, []string{"x", "x", "y"}, scores{1, 0, 1, 2.0 / 3}},
		{"all together", []string{"a", "a", "a"}, []string{"x", "x", "y"}, scores{1.0 / 3, 1, 5.0 / 9, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := score(tt.pred, tt.gold)
			const eps = 1e-9
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"pairwise P", got.pairP, tt.want.pairP}, {"pairwise R", got.pairR, tt.want.pairR},
				{"B3 P", got.b3P, tt.want.b3P}, {"B3 R", got.b3R, tt.want.b3R}} {
				if f.got < f.want-eps || f.got > f.want+eps {
					t.Errorf("%s = %.4f, want %.4f", f.name, f.got, f.want)
				}
			}
		})
	}
}

// mergeFloors are the figures the written set reaches (README, "Merging
// reports"), rounded down: the test fails if merging gets worse. The
// reports go through the real extractor, so its changes move the figures
// too (pairwise recall 0.871 when written, 0.868 after the extractor's
// fourth round of 2026-12-07); the targets are P 0.95, R 0.85.
var mergeFloors = scores{pairP: 0.95, pairR: 0.86, b3P: 0.98, b3R: 0.94}

// TestMergeQuality indexes the written merge test set (testdata/merge/
// written.json) in several arrival orders, one article per Apply, and
// checks that every order gives the same clusters and that pairwise and
// B-cubed precision and recall stay above mergeFloors. Run with -v for the
// figures.
func TestMergeQuality(t *testing.T) {
	reports, misses, nh, nn := readTestSet(t, "testdata/merge/written.json")
	t.Logf("written set: %d happenings, %d near-miss pairs; %d reports read, %d without an event of their type: %v",
		nh, nn, len(reports), len(misses), misses)
	gold := make([]string, len(reports))
	for i, r := range reports {
		gold[i] = r.gold
	}
	var first []string
	for round := range 3 {
		order := rand.New(rand.NewSource(int64(round))).Perm(len(reports))
		ix, _ := openTest(t)
		for k, i := range order {
			apply(t, ix, []event.Set{reports[i].set}, uint64(k+1))
		}
		pred := make([]string, len(reports))
		for i, r := range reports {
			e, found, err := ix.Get(context.Background(), r.event)
			if err != nil || !found {
				t.Fatalf("Get(%s) of %s: found %v, %v", r.event, r.set.Article.ID, found, err)
			}
			pred[i] = e.ID
		}
		if first == nil {
			checkIsPartition(t, reports, pred)
			first = pred
			s := score(pred, gold)
			t.Logf("pairwise P %.3f R %.3f; B-cubed P %.3f R %.3f", s.pairP, s.pairR, s.b3P, s.b3R)
			logErrors(t, reports, pred, gold)
			for _, f := range []struct {
				name       string
				got, floor float64
			}{{"pairwise precision", s.pairP, mergeFloors.pairP}, {"pairwise recall", s.pairR, mergeFloors.pairR},
				{"B-cubed precision", s.b3P, mergeFloors.b3P}, {"B-cubed recall", s.b3R, mergeFloors.b3R}} {
				if f.got < f.floor {
					t.Errorf("%s %.3f, below the floor %.2f", f.name, f.got, f.floor)
				}
			}
		} else if !slices.Equal(pred, first) {
			t.Errorf("arrival order %d gives other clusters than order 0", round)
		}
		_ = ix.Close()
	}
}

// logErrors logs the pairs merged wrongly and the happenings split.
func logErrors(t *testing.T, reports []labelled, pred, gold []string) {
	t.Helper()
	for i := range pred {
		for j := i + 1; j < len(pred); j++ {
			switch sp, sg := pred[i] == pred[j], gold[i] == gold[j]; {
			case sp && !sg:
				t.Logf("merged wrongly: %s + %s", reports[i].set.Article.ID, reports[j].set.Article.ID)
			case sg && !sp:
				t.Logf("split: %s | %s", reports[i].set.Article.ID, reports[j].set.Article.ID)
			}
		}
	}
}

// checkIsPartition checks that the index grouped reports as partition, the
// rule, groups the set of all their events.
func checkIsPartition(t *testing.T, reports []labelled, pred []string) {
	t.Helper()
	c, err := builtinClustering()
	if err != nil {
		t.Fatal(err)
	}
	var all []event.Event
	for _, r := range reports {
		all = append(all, r.set.Events...)
	}
	want := map[string]string{} // event id -> id of its cluster under partition
	for _, p := range c.partition(all) {
		for _, m := range p {
			want[m.ID] = c.ID(p[0])
		}
	}
	for i, r := range reports {
		if want[r.event] != pred[i] {
			t.Errorf("%s: the index puts it in event %s, partition of the whole set in %s", r.set.Article.ID, pred[i], want[r.event])
		}
	}
}

// TestActorNames checks the names read from the built-in gazetteer: people
// stand for their country, state agencies for theirs, parts of an
// organisation for the whole, armed groups for themselves.
func TestActorNames(t *testing.T) {
	names, err := actorNames()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ actor, want string }{
		{"vladimir putin", "russia"},
		{"wang yi", "china"},
		{"israel defense forces", "israel"},
		{"un security council", "united nations"},
		{"hamas", "hamas"},
		{"france", "france"},
	}
	for _, tt := range tests {
		t.Run(tt.actor, func(t *testing.T) {
			if got := standFor(names.standsFor, tt.actor); got != tt.want {
				t.Errorf("standFor(%q) = %q, want %q", tt.actor, got, tt.want)
			}
		})
	}
	if names.people["vladimir putin"] != "russia" || names.people["israel defense forces"] != "" {
		t.Errorf("people: putin %q, IDF %q; want russia and none", names.people["vladimir putin"], names.people["israel defense forces"])
	}
}
