package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dateline/dateline/internal/event"
)

// partitionAllPairs is partition as it was before compatBucket: every
// group tested against every cluster started before it. partition must
// give the same clusters.
func (c Clustering) partitionAllPairs(ms []event.Event) [][]event.Event {
	groups := c.orderedGroups(ms)
	type forming struct {
		profs   []profile
		members []event.Event
	}
	var clusters []*forming
next:
	for _, g := range groups {
		for _, cl := range clusters {
			if !compatible(cl.profs[0], g.prof) {
				continue
			}
			ok := true
			for _, p := range cl.profs[1:] {
				if !consistent(p, g.prof) {
					ok = false
					break
				}
			}
			if ok {
				cl.profs = append(cl.profs, g.prof)
				cl.members = append(cl.members, g.members...)
				continue next
			}
		}
		clusters = append(clusters, &forming{profs: []profile{g.prof}, members: slices.Clone(g.members)})
	}
	out := make([][]event.Event, len(clusters))
	for i, cl := range clusters {
		out[i] = sortMembers(cl.members)
	}
	slices.SortFunc(out, func(a, b []event.Event) int { return memberOrder(a[0], b[0]) })
	return out
}

func partitionMemberIDs(parts [][]event.Event) []string {
	var out []string
	for _, p := range parts {
		out = append(out, strings.Join(ids(p), ","))
	}
	return out
}

// TestPartitionBucketsSameAsAllPairs checks that looking only in a
// group's bucket finds the clusters testing every pair finds: on the
// written test set, on a generated corpus with echoes, and on reports
// at year ends, denied, spans, year-only and undated dates.
func TestPartitionBucketsSameAsAllPairs(t *testing.T) {
	c, err := builtinClustering()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, ms []event.Event) {
		t.Helper()
		got, want := partitionMemberIDs(c.partition(ms)), partitionMemberIDs(c.partitionAllPairs(ms))
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d clusters by bucket, %d by all pairs; first difference at %d",
				name, len(got), len(want), firstDiff(got, want))
		}
		t.Logf("%s: %d reports, %d clusters", name, len(ms), len(got))
	}

	reports, _, _, _ := readTestSet(t, "testdata/merge/written.json")
	var written []event.Event
	for _, r := range reports {
		for _, e := range r.set.Events {
			if e.Article.ID == "" {
				e.Article = r.set.Article
			}
			written = append(written, e)
		}
	}
	check("written", written)

	corpus := genCorpus(3000, 7)
	check("generated", genEchoes(corpus, 1500, 8))

	var edges []event.Event
	for i, d := range []string{"2024-12-31", "2024-12", "2024", "2025-01-01", "2025-01", "2025", "2024-12-30", "", "not-a-date", "2024-12-31"} {
		for j, st := range []event.Status{"", event.Denied} {
			for k, end := range []string{"", "2025-01-02", "2026"} {
				e := ev(fmt.Sprintf("edge-%d-%d-%d", i, j, k), "sanction", d, "Sanctions on Iran",
					actors("EU", "Iran"), status(st), article(fmt.Sprintf("a-%d-%d-%d", i, j, k)))
				if d != "" && end != "" {
					e.DateEnd = end
				}
				edges = append(edges, e)
			}
		}
	}
	check("edges", edges)
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestTermDocIDsSameAsDisjunction checks that termDocIDs, reading the
// segments' dictionaries, finds the documents a disjunction of term
// queries finds, after updates and deletes left several segments: with
// the segments' Bloom filters (bloom.go) on every segment, and with none.
func TestTermDocIDsSameAsDisjunction(t *testing.T) {
	for _, minDocs := range []uint64{0, 1 << 62} {
		t.Run(fmt.Sprintf("filters from %d documents", minDocs), func(t *testing.T) {
			defer func(old uint64) { bloomMinDocs = old }(bloomMinDocs)
			bloomMinDocs = minDocs
			testTermDocIDsSameAsDisjunction(t)
		})
	}
}

func testTermDocIDsSameAsDisjunction(t *testing.T) {
	ix, _ := openTest(t)
	corpus := genCorpus(600, 3)
	sets := setsOf(genEchoes(corpus, 300, 4))
	for i := 0; i < len(sets); i += 40 {
		apply(t, ix, sets[i:min(i+40, len(sets))], uint64(i+1))
	}
	// Replace some articles with nothing: their clusters change or go.
	var gone []event.Set
	for i := 0; i < len(sets); i += 7 {
		gone = append(gone, event.Set{Article: sets[i].Article})
	}
	apply(t, ix, gone, uint64(len(sets)+1))

	set, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	found := map[string]int{}
	for _, b := range set.all() {
		for _, f := range []struct {
			field string
			terms []string
		}{
			{fArticle, articleIDs(sets)},
			{fBlock, lookupTerms(ix.clustering, corpus)},
		} {
			got, err := ix.termDocIDs(ctx, b, f.field, f.terms)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for lo := 0; lo < len(f.terms); lo += articleChunk {
				var qs []query.Query
				for _, term := range f.terms[lo:min(lo+articleChunk, len(f.terms))] {
					tq := query.NewTermQuery(term)
					tq.SetField(f.field)
					qs = append(qs, tq)
				}
				found, err := ix.docIDs(ctx, b, query.NewDisjunctionQuery(qs), 0)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, found...)
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if !slices.Equal(got, want) {
				t.Errorf("index %s, field %s: %d documents, want %d", b.Name(), f.field, len(got), len(want))
			}
			found[f.field] += len(got)
		}
	}
	if found[fArticle] == 0 || found[fBlock] == 0 {
		t.Errorf("found %v: the check compared nothing", found)
	}
	t.Logf("documents found: %v", found)
}

func articleIDs(sets []event.Set) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s.ArticleID())
	}
	return out
}

func lookupTerms(c Clustering, events []event.Event) []string {
	var out []string
	for _, e := range events {
		_, lookup := c.blockTerms(e)
		out = append(out, lookup...)
	}
	return out
}
