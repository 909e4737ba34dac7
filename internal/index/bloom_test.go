package index

import (
	"hash/maphash"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestBloomOfSegments builds the filter of every segment's blocking and
// article terms of a real index and checks that it rules out no term the
// segment has (so termDocIDs finds what it finds without filters) and few
// of the terms it lacks.
func TestBloomOfSegments(t *testing.T) {
	ix, _ := openTest(t)
	sets := setsOf(genEchoes(genCorpus(2000, 5), 400, 6))
	for i := 0; i < len(sets); i += 150 {
		apply(t, ix, sets[i:min(i+150, len(sets))], uint64(i+1))
	}
	set, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	seed := maphash.MakeSeed()
	var segments, terms, absent, falsePositive int
	for _, b := range set.all() {
		adv, err := b.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			t.Fatalf("index %s is not scorch", b.Name())
		}
		for _, ss := range snap.Segments() {
			segments++
			for _, field := range []string{fBlock, fArticle} {
				dict, err := ss.Segment().Dictionary(field)
				if err != nil {
					t.Fatal(err)
				}
				f := newBloomOf(seed, dict)
				it := dict.AutomatonIterator(anyTerm{}, nil, nil)
				for {
					e, err := it.Next()
					if err != nil {
						t.Fatal(err)
					}
					if e == nil {
						break
					}
					terms++
					if !f.mayHave(e.Term) {
						t.Fatalf("index %s, field %s: the filter rules out %q, which the segment has", b.Name(), field, e.Term)
					}
					for i := range 3 {
						absent++
						if f.mayHave(e.Term + "\x00absent" + strconv.Itoa(i)) {
							falsePositive++
						}
					}
				}
			}
		}
		_ = r.Close()
	}
	if terms == 0 {
		t.Fatal("no terms: the check compared nothing")
	}
	rate := float64(falsePositive) / float64(absent)
	t.Logf("%d segments, %d terms; %d of %d absent terms let through (%.2f%%)", segments, terms, falsePositive, absent, 100*rate)
	if rate > 0.03 {
		t.Errorf("the filters let %.1f%% of absent terms through, want about 1%%", 100*rate)
	}
	var none *bloom
	if !none.mayHave("x") || !(&bloom{}).mayHave("x") || (&bloom{empty: true}).mayHave("x") {
		t.Error("a missing filter and one of no bits must rule nothing out; an empty one everything")
	}
}
