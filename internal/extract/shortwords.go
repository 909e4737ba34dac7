package extract

// shortWords is a direct-mapped table for the vocabulary's words of one
// to three bytes ("the", "of", "in"), the most frequent tokens of any
// text: a lookup packs the bytes into an integer and probes a small array,
// sparing the general map. It is immutable once built.
type shortWords struct {
	keys [shortSize]uint32 // packed word, 0 when the slot is empty
	ids  [shortSize]int32
}

const shortSize = 1 << 12

// pack turns a word of one to three bytes into a non-zero integer.
func pack(w []byte) uint32 {
	k := uint32(len(w))
	for _, c := range w {
		k = k<<8 | uint32(c)
	}
	return k
}

func shortSlot(k uint32) uint32 { return (k * 2654435761) >> (32 - 12) }

// build adds every vocabulary word of up to three bytes.
func (s *shortWords) build(vocab map[string]int32) {
	for w, id := range vocab {
		if len(w) == 0 || len(w) > 3 {
			continue
		}
		k := pack([]byte(w))
		i := shortSlot(k)
		for s.keys[i] != 0 {
			i = (i + 1) & (shortSize - 1)
		}
		s.keys[i], s.ids[i] = k, id
	}
}

// lookup returns the id of a word of up to three bytes, or 0.
func (s *shortWords) lookup(w []byte) int32 {
	k := pack(w)
	for i := shortSlot(k); ; i = (i + 1) & (shortSize - 1) {
		switch s.keys[i] {
		case k:
			return s.ids[i]
		case 0:
			return 0
		}
	}
}
