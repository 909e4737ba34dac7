package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tokWord  tokKind = iota // letters, possibly with digits ("q3")
	tokNum                  // ASCII digits only
	tokPunct                // one punctuation or symbol rune
)

// token is one word, number or punctuation mark of a text. Offsets index
// the text; the lower-cased form is low[start:end] of the tokenizer's copy.
type token struct {
	start, end int32
	kind       tokKind
	// space is true when whitespace precedes the token.
	space bool
	// newline is true when a line break precedes the token.
	newline bool
	// upper is true when the token starts with an upper-case letter.
	upper bool
	// allUpper is true when every letter of the token is upper case.
	allUpper bool
	// r is the rune of a punctuation token.
	r rune
}

// tokenize splits text into tokens, appending to toks, and writes the ASCII
// lower-cased text into low (which must have len(text)).
func tokenize(text string, low []byte, toks []token) []token {
	space, newline := true, true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			low[i] = c
			space = true
			i++
			continue
		case c == '\n':
			low[i] = c
			space, newline = true, true
			i++
			continue
		case c >= '0' && c <= '9':
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				low[j] = text[j]
				j++
			}
			kind := tokNum
			if j < len(text) && isWordByte(text, j) {
				kind = tokWord
				j = scanWord(text, low, j)
			}
			toks = append(toks, token{start: int32(i), end: int32(j), kind: kind, space: space, newline: newline})
			i = j
		case isWordByte(text, i):
			j := scanWord(text, low, i)
			t := token{start: int32(i), end: int32(j), kind: tokWord, space: space, newline: newline}
			t.upper, t.allUpper = caseOf(text[i:j])
			toks = append(toks, t)
			i = j
		case c < utf8.RuneSelf:
			low[i] = c
			toks = append(toks, token{start: int32(i), end: int32(i + 1), kind: tokPunct, space: space, newline: newline, r: rune(c)})
			i++
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == 0x00A0 || r == 0x2009 || r == 0x202F || r == 0x200B || (r != utf8.RuneError && unicode.IsSpace(r)) {
				copy(low[i:i+n], text[i:i+n])
				space = true
				i += n
				continue
			}
			copy(low[i:i+n], text[i:i+n])
			toks = append(toks, token{start: int32(i), end: int32(i + n), kind: tokPunct, space: space, newline: newline, r: r})
			i += n
		}
		space, newline = false, false
	}
	return toks
}

// isWordByte reports whether a word character starts at text[i].
func isWordByte(text string, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

// scanWord consumes letters and digits from i, lower-casing ASCII into low.
func scanWord(text string, low []byte, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			l := asciiWord[c]
			if l == 0 {
				return i
			}
			low[i] = l
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return i
		}
		copy(low[i:i+n], text[i:i+n])
		i += n
	}
	return i
}

// caseOf reports whether w starts upper case and whether all its letters are.
func caseOf(w string) (upper, all bool) {
	c := w[0]
	if c < utf8.RuneSelf {
		upper = c >= 'A' && c <= 'Z'
	} else {
		r, _ := utf8.DecodeRuneInString(w)
		upper = unicode.IsUpper(r)
	}
	all = upper
	for i := 1; i < len(w) && all; i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			all = false
		}
	}
	return upper, all
}

// tokenizeWords splits a rule phrase into lower-cased token strings.
func tokenizeWords(s string) []string {
	low := make([]byte, len(s))
	toks := tokenize(s, low, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.Clone(tokKey(t, low))
	}
	return out
}

// asciiWord maps an ASCII letter or digit to its lower case, anything else
// to 0.
var asciiWord = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-32] = c, c
	}
	return t
}()
