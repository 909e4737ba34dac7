package index

import (
	"hash/maphash"
	"sync"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Term filters: Apply looks every blocking term and article id up in
// every segment of an index (termDocIDs), and nearly every look-up finds
// nothing: a report's candidates live in one or two segments of the
// dozens an index keeps. A look-up in a segment's dictionary walks its
// FST byte by byte, so at 100,000 events these walks were a tenth of the
// indexing CPU and grew with the index. Segments never change once
// written, so each gets, on its first look-up, a Bloom filter of the
// field's terms (about 10 bits a term, one false positive in a hundred),
// and a term the filter rules out is not looked up. A filter never rules
// out a term the segment has, so the documents found are the same.
// Filters live in memory only, are built again after a restart, and go
// with their segment when Bleve merges it away.

// termFilters holds the filters of the live segments, by index and field.
type termFilters struct {
	mu   sync.Mutex
	seed maphash.Seed
	// by maps an index name and field to its segments' filters.
	by map[filterScope]map[any]*bloom
}

// filterScope names one index's keyword field.
type filterScope struct{ index, field string }

// forSegments returns a filter for each of segs' dictionaries of field in
// index, building the missing ones, and forgets the filters of segments
// no longer in segs. A segment of fewer than bloomMinDocs documents gets
// none (nil: look every term up): new segments are small and soon merged
// away, so a filter of theirs would cost more to build than it saves.
func (tf *termFilters) forSegments(index, field string, segs []*segmentDict) []*bloom {
	tf.mu.Lock()
	defer tf.mu.Unlock()
	if tf.by == nil {
		tf.by = map[filterScope]map[any]*bloom{}
		tf.seed = maphash.MakeSeed()
	}
	scope := filterScope{index, field}
	old := tf.by[scope]
	now := make(map[any]*bloom, len(segs))
	out := make([]*bloom, len(segs))
	for i, s := range segs {
		f, ok := old[s.seg]
		if !ok && s.docs >= bloomMinDocs {
			f = newBloomOf(tf.seed, s.dict)
		}
		now[s.seg] = f
		out[i] = f
	}
	tf.by[scope] = now
	return out
}

// bloomMinDocs is the fewest documents a segment must hold to get a
// filter (a variable so tests can filter small segments too).
var bloomMinDocs uint64 = 1000

// segmentDict is one segment, its size and its dictionary of a field.
type segmentDict struct {
	seg  any // the segment.Segment, compared by identity
	docs uint64
	dict segment.TermDictionary
}

// bloom is a Bloom filter of a set of terms. A nil filter, or one of no
// bits, rules nothing out; empty holds no term.
type bloom struct {
	seed  maphash.Seed
	bits  []uint64
	m     uint64 // number of bits
	empty bool
}

// bloomHashes is the number of bits a term sets.
const bloomHashes = 7

// omitCounter is a dictionary that can walk its terms without decoding
// their postings (zap segments can).
type omitCounter interface {
	AutomatonIteratorOmitCount(a segment.Automaton, startKeyInclusive, endKeyExclusive []byte) segment.DictionaryIterator
}

// newBloomOf returns the filter of every term of dict. A dictionary it
// cannot walk gives a filter that rules nothing out.
func newBloomOf(seed maphash.Seed, dict segment.TermDictionary) *bloom {
	var it segment.DictionaryIterator
	if oc, ok := dict.(omitCounter); ok {
		it = oc.AutomatonIteratorOmitCount(anyTerm{}, nil, nil)
	} else {
		it = dict.AutomatonIterator(anyTerm{}, nil, nil)
	}
	var hashes []uint64
	for {
		e, err := it.Next()
		if err != nil {
			return &bloom{} // m == 0: rules nothing out
		}
		if e == nil {
			break
		}
		hashes = append(hashes, maphash.String(seed, e.Term))
	}
	if len(hashes) == 0 {
		return &bloom{empty: true}
	}
	m := uint64(max(64, 10*len(hashes)))
	b := &bloom{seed: seed, bits: make([]uint64, (m+63)/64), m: m}
	for _, h := range hashes {
		h1, h2 := h&0xffffffff, h>>32|1
		for i := range uint64(bloomHashes) {
			j := (h1 + i*h2) % m
			b.bits[j/64] |= 1 << (j % 64)
		}
	}
	return b
}

// mayHave reports whether term may be among the filter's terms (false:
// it is not).
func (b *bloom) mayHave(term string) bool {
	if b == nil || b.m == 0 && !b.empty {
		return true
	}
	if b.empty {
		return false
	}
	h := maphash.String(b.seed, term)
	h1, h2 := h&0xffffffff, h>>32|1
	for i := range uint64(bloomHashes) {
		j := (h1 + i*h2) % b.m
		if b.bits[j/64]&(1<<(j%64)) == 0 {
			return false
		}
	}
	return true
}

// anyTerm is the automaton that accepts every term: a dictionary iterator
// with it walks the whole dictionary.
type anyTerm struct{}

func (anyTerm) Start() int               { return 0 }
func (anyTerm) IsMatch(int) bool         { return true }
func (anyTerm) CanMatch(int) bool        { return true }
func (anyTerm) WillAlwaysMatch(int) bool { return true }
func (anyTerm) Accept(int, byte) int     { return 0 }

// reset forgets every filter (the segments they belong to are gone).
func (tf *termFilters) reset() {
	tf.mu.Lock()
	defer tf.mu.Unlock()
	tf.by = nil
}
