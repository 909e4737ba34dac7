package extract

import "unsafe"

// payKind says what a dictionary phrase stands for.
type payKind uint8

const (
	payEntity  payKind = iota // a gazetteer name; id indexes Extractor.entities
	payTrigger                // a trigger phrase; id indexes Extractor.triggers
	payPhrase                 // a member of a phrase set; id is the set
	payCue                    // a language cue; id is a cue concept
)

// payload is one meaning of a dictionary phrase.
type payload struct {
	kind payKind
	// exactCase requires every word of the match to be upper case in the
	// text (acronyms such as "US" must not match "us").
	exactCase bool
	// cased requires the first word of the match to start upper case.
	cased bool
	id    int32
}

// trieNode is one node of the token trie.
type trieNode struct {
	next   map[string]int32 // while building
	nextID map[int32]int32  // after freeze: word id to child
	pays   []payload
}

// trie is a token trie: one pass over a text's tokens finds every phrase of
// every kind (gazetteer names, triggers, cues) starting at each token.
// Words are looked up once per token in the vocabulary; the trie then walks
// on word ids, with a dense table at the root.
type trie struct {
	nodes []trieNode
	root  []int32 // word id to child of the root, 0 when none
}

// freeze switches the trie from words to word ids, adding every word of its
// phrases to vocab.
func (t *trie) freeze(vocab map[string]int32) {
	for n := range t.nodes {
		for w := range t.nodes[n].next {
			if _, ok := vocab[w]; !ok {
				vocab[w] = int32(len(vocab) + 1)
			}
		}
	}
	t.root = make([]int32, len(vocab)+1)
	for n := range t.nodes {
		if len(t.nodes[n].next) == 0 {
			continue
		}
		t.nodes[n].nextID = make(map[int32]int32, len(t.nodes[n].next))
		for w, c := range t.nodes[n].next {
			t.nodes[n].nextID[vocab[w]] = c
			if n == 0 {
				t.root[vocab[w]] = c
			}
		}
		t.nodes[n].next = nil
	}
}

func newTrie() *trie {
	return &trie{nodes: []trieNode{{}}}
}

// add inserts the token sequence words with payload p, ignoring duplicates.
func (t *trie) add(words []string, p payload) {
	if len(words) == 0 {
		return
	}
	n := int32(0)
	for _, w := range words {
		nx, ok := t.nodes[n].next[w]
		if !ok {
			if t.nodes[n].next == nil {
				t.nodes[n].next = map[string]int32{}
			}
			nx = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{})
			t.nodes[n].next[w] = nx
		}
		n = nx
	}
	for _, q := range t.nodes[n].pays {
		if q == p {
			return
		}
	}
	t.nodes[n].pays = append(t.nodes[n].pays, p)
}

// match is one dictionary phrase found in a text: tokens [start,end).
type match struct {
	start, end int32
	p          payload
}

// maxPhrase bounds the tokens of one phrase, keeping matching linear.
const maxPhrase = 12

// scan appends every phrase found in toks (whose word ids are ids) to out,
// in order of start token and then of length.
func (t *trie) scan(toks []token, ids []int32, out []match) []match {
	for i := range toks {
		nx := t.root[ids[i]]
		if nx == 0 {
			continue
		}
		for j := i; ; {
			n := &t.nodes[nx]
			for _, p := range n.pays {
				if p.exactCase && !allUpper(toks[i:j+1]) || p.cased && !toks[i].upper {
					continue
				}
				out = append(out, match{start: int32(i), end: int32(j + 1), p: p})
			}
			j++
			if j >= len(toks) || j-i >= maxPhrase || n.nextID == nil {
				break
			}
			var ok bool
			if nx, ok = n.nextID[ids[j]]; !ok || ids[j] == 0 {
				break
			}
		}
	}
	return out
}

func allUpper(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokWord && !t.allUpper {
			return false
		}
	}
	return true
}

// tokKey returns the dictionary key of a token: its lower-cased text, with
// typographic apostrophes and quotes folded to their ASCII forms.
func tokKey(t token, low []byte) string {
	b := low[t.start:t.end]
	if t.kind == tokPunct && len(b) == 3 && b[0] == 0xE2 && b[1] == 0x80 {
		switch b[2] {
		case 0x98, 0x99:
			return "'"
		case 0x9C, 0x9D:
			return "\""
		}
	}
	if len(b) == 0 {
		return ""
	}
	// low is not modified while its tokens are looked up, so a string
	// sharing its bytes is safe and spares an allocation per token.
	return unsafe.String(&b[0], len(b))
}
