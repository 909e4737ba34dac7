package extract

// vocabTable maps the vocabulary's words to their ids for the per-token
// lookup of every document: an open-addressing table probed by an FNV-1a
// hash of the word's bytes, which spares the general map's overhead on the
// hottest path. It is immutable once built.
type vocabTable struct {
	mask  uint64
	slots []vocabSlot
}

// vocabSlot holds one word, 0 id when empty.
type vocabSlot struct {
	hash uint64
	word string
	id   int32
}

// build fills the table from vocab at a load factor of at most 1/4.
func (v *vocabTable) build(vocab map[string]int32) {
	n := uint64(16)
	for n < 4*uint64(len(vocab)) {
		n <<= 1
	}
	v.mask, v.slots = n-1, make([]vocabSlot, n)
	for w, id := range vocab {
		h := fnv1a(w)
		i := h & v.mask
		for v.slots[i].id != 0 {
			i = (i + 1) & v.mask
		}
		v.slots[i] = vocabSlot{hash: h, word: w, id: id}
	}
}

// lookup returns the id of word w, or 0.
func (v *vocabTable) lookup(w string) int32 {
	h := fnv1a(w)
	for i := h & v.mask; ; i = (i + 1) & v.mask {
		s := &v.slots[i]
		if s.id == 0 {
			return 0
		}
		if s.hash == h && s.word == w {
			return s.id
		}
	}
}

// fnv1a is the 64-bit FNV-1a hash of s.
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
