package extract

import (
	"html"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// Text as published carries marks that are not words: invisible
// characters (soft hyphens, zero-width spaces, byte-order marks), remnants
// of HTML ("13<sup>th</sup>", "&amp;", "<br>"), Markdown ("[the call](url)",
// "**Kyiv**", "_Reuters_"), TeX-style quotes (``like this'') and the dashes
// of old wire copy ("--", " _ "). cleanInline removes or rewrites them so
// the tokenizer sees words, quotes and dashes; it keeps every line break
// (block tags become line breaks), for the line reader to judge.

// maxTagBytes bounds how far a "<" looks for the ">" of its tag.
const maxTagBytes = 400

// maxLinkBytes bounds the text and the address of a Markdown link.
const maxLinkBytes = 500

// special marks the bytes that may start something cleanInline rewrites.
var special = func() (t [256]bool) {
	for _, c := range []byte("\r<&`*_[\\-'\xC2\xE2\xEF") {
		t[c] = true
	}
	return t
}()

// nextSpecial returns the index of the first byte from i that cleanInline
// rewrites, or len(s).
func nextSpecial(s string, i int) int {
	for ; i < len(s); i++ {
		if !special[s[i]] {
			continue
		}
		switch c := s[i]; c {
		case '-':
			if i+1 < len(s) && s[i+1] == '-' {
				return i
			}
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				return i
			}
		case 0xC2:
			if i+1 < len(s) && s[i+1] == 0xAD {
				return i // soft hyphen
			}
		case 0xE2:
			if i+2 < len(s) && (s[i+1] == 0x80 && (s[i+2] >= 0x8B && s[i+2] <= 0x8D || s[i+2] == 0x90 || s[i+2] == 0x91) || s[i+1] == 0x81 && s[i+2] == 0xA0) {
				return i // zero-width space, joiners, word joiner; hyphens written as U+2010, U+2011
			}
		case 0xEF:
			if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF {
				return i // byte-order mark
			}
		case '[':
			if linkAt(s, i) {
				return i // "[text](address)"; a footnote mark "[1]" stays
			}
		case '_':
			if i > 0 && i+1 < len(s) && isWordByteAt(s, i-1, s[i-1]) && isWordByte(s, i+1) {
				continue // "snake_case"
			}
			return i
		default:
			return i
		}
	}
	return len(s)
}

// linkAt reports whether a Markdown link or image "[text](address)" or
// "[text][ref]" opens at s[i].
func linkAt(s string, i int) bool {
	lim := min(len(s), i+maxLinkBytes)
	cl := strings.IndexAny(s[i+1:lim], "[]")
	if cl < 0 || s[i+1+cl] != ']' || blankLineIn(s[i+1:i+1+cl]) {
		return false
	}
	cl += i + 1
	return cl+1 < len(s) && (s[cl+1] == '(' || s[cl+1] == '[')
}

// cleanInline returns s with its invisible characters, HTML remnants,
// Markdown marks and typewriter quotes and dashes rewritten; s itself when
// it has none.
func cleanInline(s string) string {
	i := nextSpecial(s, 0)
	if i == len(s) {
		return s
	}
	c := inliner{s: s, out: make([]byte, 0, len(s)+len(s)/16)}
	c.out = append(c.out, s[:i]...)
	c.run(i)
	return string(c.out)
}

// inliner is the state of one cleanInline pass.
type inliner struct {
	s   string
	out []byte
	// linkClose and linkEnd are the "]" of the Markdown link being read
	// and the byte after its "(address)": the text between is kept, the
	// rest dropped.
	linkClose, linkEnd int
	// linkOpen is the "[" of the link being read.
	linkOpen int
}

// wrapHint is the length past which a link, address included, may have
// filled its line by itself.
const wrapHint = 40

// continuedLine reports whether the line at i goes on with prose: not
// blank, not a list item, heading or quote.
func continuedLine(s string, i int) bool {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] == '\n' || s[i] == '\r' || lineMarked(s, i) || s[i] == '>' || s[i] == '|' {
		return false
	}
	return true
}

// run rewrites c.s from byte i on into c.out.
func (c *inliner) run(i int) {
	s := c.s
	c.linkClose = -1
	for i < len(s) {
		if i == c.linkClose {
			i, c.linkClose = c.linkEnd, -1
			if long := c.linkEnd-c.linkOpen > wrapHint; long && i < len(s) && s[i] == '\n' && continuedLine(s, i+1) {
				// "[killed](https://... a long address)" ended its line: the
				// address, not the sentence, filled it, so the line goes on.
				c.out = append(c.out, ' ')
				i++
				for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
					i++
				}
			}
			continue
		}
		if !special[s[i]] {
			// Copy the run up to the next byte that may need work (or the
			// link's end) at once.
			j := i + 1
			for j < len(s) && !special[s[j]] && j != c.linkClose {
				j++
			}
			c.out = append(c.out, s[i:j]...)
			i = j
			continue
		}
		switch ch := s[i]; ch {
		case '\r':
			c.out = append(c.out, '\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			i++
		case '<':
			i = c.tag(i)
		case '&':
			i = c.entity(i)
		case '`':
			i = c.backquote(i)
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' && c.lastIsWordOrPunct() {
				c.out = append(c.out, "”"...) // TeX closing quote
				i += 2
			} else {
				c.out = append(c.out, ch)
				i++
			}
		case '*', '_':
			i = c.emphasis(i)
		case '[':
			i = c.link(i)
		case '\\':
			if i+1 < len(s) && strings.IndexByte("*_[]()#`\\>-!", s[i+1]) >= 0 {
				c.out = append(c.out, s[i+1]) // a Markdown escape
				i += 2
			} else {
				c.out = append(c.out, ch)
				i++
			}
		case '-':
			i = c.dashes(i)
		case 0xC2:
			if i+1 < len(s) && s[i+1] == 0xAD {
				i = c.softHyphen(i + 2)
			} else {
				c.out = append(c.out, ch)
				i++
			}
		case 0xE2:
			if i+2 < len(s) && (s[i+1] == 0x80 && s[i+2] >= 0x8B && s[i+2] <= 0x8D || s[i+1] == 0x81 && s[i+2] == 0xA0) {
				i += 3
			} else if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x90 || s[i+2] == 0x91) {
				c.out = append(c.out, '-') // U+2010 hyphen, U+2011 non-breaking hyphen: "Nagorno‑Karabakh"
				i += 3
			} else {
				c.out = append(c.out, ch)
				i++
			}
		case 0xEF:
			if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF {
				i += 3
			} else {
				c.out = append(c.out, ch)
				i++
			}
		default:
			c.out = append(c.out, ch)
			i++
		}
	}
}

// softHyphen drops a soft hyphen that ended at i; at the end of a line it
// also joins the word it split ("negoti\u00ad\nations").
func (c *inliner) softHyphen(i int) int {
	j := i
	for j < len(c.s) && (c.s[j] == ' ' || c.s[j] == '\t') {
		j++
	}
	if j < len(c.s) && c.s[j] == '\n' {
		j++
		for j < len(c.s) && (c.s[j] == ' ' || c.s[j] == '\t') {
			j++
		}
		return j
	}
	return i
}

// lastIsWordOrPunct reports whether the byte written last is neither
// whitespace nor the start of the text.
func (c *inliner) lastIsWordOrPunct() bool {
	n := len(c.out)
	return n > 0 && c.out[n-1] != ' ' && c.out[n-1] != '\n' && c.out[n-1] != '\t'
}

// tag reads a "<" at i: a known HTML tag or comment is dropped (a block
// tag leaves a line break, script and style lose their content); anything
// else ("< 5%") is kept.
func (c *inliner) tag(i int) int {
	s := c.s
	if strings.HasPrefix(s[i:], "<!--") {
		if end := strings.Index(s[i+4:], "-->"); end >= 0 {
			return i + 4 + end + 3
		}
	}
	j := i + 1
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	k := j
	for k < len(s) && k-j < 12 && (isASCIILetter(s[k]) || k > j && s[k] >= '0' && s[k] <= '9') {
		k++
	}
	a := atom.Lookup([]byte(strings.ToLower(s[j:k])))
	if k == j || a == 0 || k >= len(s) || !(s[k] == '>' || s[k] == ' ' || s[k] == '/' || s[k] == '\t' || s[k] == '\n') {
		c.out = append(c.out, '<')
		return i + 1
	}
	end := strings.IndexByte(s[k:min(len(s), k+maxTagBytes)], '>')
	if end < 0 {
		c.out = append(c.out, '<')
		return i + 1
	}
	next := k + end + 1
	switch {
	case !closing && (a == atom.Script || a == atom.Style):
		if close := strings.Index(strings.ToLower(s[next:min(len(s), next+MaxText)]), "</"+a.String()); close >= 0 {
			next += close
		}
	case a == atom.Br:
		c.out = append(c.out, '\n')
	case blockTag(a):
		c.out = append(c.out, '\n')
	case a == atom.Td || a == atom.Th:
		c.out = append(c.out, ' ')
	}
	return next
}

// blockTag reports whether an HTML element starts a line of its own.
func blockTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Hr, atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Figcaption, atom.Aside, atom.Main, atom.Nav:
		return true
	}
	return false
}

// entity decodes an HTML character reference at i ("&amp;", "&#8217;",
// "&nbsp;"); a lone "&" is kept.
func (c *inliner) entity(i int) int {
	s := c.s
	end := strings.IndexByte(s[i+1:min(len(s), i+12)], ';')
	if end <= 0 {
		c.out = append(c.out, '&')
		return i + 1
	}
	ref := s[i : i+1+end+1]
	dec := html.UnescapeString(ref)
	if dec == ref {
		c.out = append(c.out, '&')
		return i + 1
	}
	if dec == "\u00a0" {
		dec = " "
	}
	c.out = append(c.out, dec...)
	return i + len(ref)
}

// backquote rewrites TeX quotes: "“" opens a double quote, a single "`"
// a single one.
func (c *inliner) backquote(i int) int {
	if i+1 < len(c.s) && c.s[i+1] == '`' {
		c.out = append(c.out, "“"...)
		return i + 2
	}
	c.out = append(c.out, "‘"...)
	return i + 1
}

// emphasis reads a run of "*" or "_" at i. Inside a word ("snake_case")
// it is kept; alone between spaces a "_" is the dash of old wire copy
// ("the president _ who"); a bullet "* " opening a line is left for the
// line reader; a rule of three or more is kept; any other run marks
// emphasis and is dropped.
func (c *inliner) emphasis(i int) int {
	s := c.s
	ch := s[i]
	j := i
	for j < len(s) && s[j] == ch {
		j++
	}
	n := j - i
	before := byte(' ')
	if i > 0 {
		before = s[i-1]
	}
	after := byte(' ')
	if j < len(s) {
		after = s[j]
	}
	wordBefore, wordAfter := isWordByteAt(s, i-1, before), j < len(s) && isWordByte(s, j)
	switch {
	case n >= 3 || wordBefore && wordAfter:
		c.out = append(c.out, s[i:j]...)
	case ch == '_' && isBlank(before) && isBlank(after):
		c.out = append(c.out, "—"...)
	case ch == '*' && n == 1 && atLineStart(s, i) && (after == ' ' || after == '\t'):
		c.out = append(c.out, '*')
	}
	return j
}

// isWordByteAt reports whether the byte b at i (which may be -1) is part
// of a word: a letter or a digit.
func isWordByteAt(s string, i int, b byte) bool {
	if i < 0 {
		return false
	}
	if b < utf8.RuneSelf {
		return isASCIILetter(b) || b >= '0' && b <= '9'
	}
	return true // inside a non-ASCII letter or mark
}

// isASCIILetter reports whether b is an ASCII letter.
func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// isBlank reports whether b is a space, a tab or a line break.
func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' }

// atLineStart reports whether only spaces stand between the line start
// and byte i.
func atLineStart(s string, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch s[k] {
		case ' ', '\t':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// link reads a "[" at i. A Markdown link "[text](address)" or
// "[text][ref]" keeps its text; an image "![alt](address)" is dropped; a
// footnote mark "[1]" and any other bracket are kept.
func (c *inliner) link(i int) int {
	s := c.s
	lim := min(len(s), i+maxLinkBytes)
	cl := strings.IndexAny(s[i+1:lim], "[]")
	if cl < 0 || s[i+1+cl] != ']' || blankLineIn(s[i+1:i+1+cl]) {
		c.out = append(c.out, '[')
		return i + 1
	}
	cl += i + 1
	if cl+1 >= len(s) || (s[cl+1] != '(' && s[cl+1] != '[') {
		c.out = append(c.out, '[')
		return i + 1
	}
	closer := byte(')')
	if s[cl+1] == '[' {
		closer = ']'
	}
	end := strings.IndexByte(s[cl+2:min(len(s), cl+2+maxLinkBytes)], closer)
	if end < 0 || strings.IndexByte(s[cl+2:cl+2+end], '\n') >= 0 {
		c.out = append(c.out, '[')
		return i + 1
	}
	end += cl + 2 + 1
	if n := len(c.out); n > 0 && c.out[n-1] == '!' && closer == ')' {
		c.out = c.out[:n-1] // an image: drop it whole
		return end
	}
	c.linkClose, c.linkEnd, c.linkOpen = cl, end, i
	return i + 1
}

// blankLineIn reports whether s holds a blank line: a link's text is
// wrapped across lines ("[carried\n    out](...)"), never across
// paragraphs.
func blankLineIn(s string) bool {
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return false
		}
		s = s[nl+1:]
		if rest := strings.TrimLeft(s, " \t\r"); rest == "" || rest[0] == '\n' {
			return true
		}
	}
}

// dashes rewrites a typewriter dash ("--", "---") as an em dash with
// spaces around it; a longer run (a rule) is kept.
func (c *inliner) dashes(i int) int {
	s := c.s
	j := i
	for j < len(s) && s[j] == '-' {
		j++
	}
	switch n := j - i; {
	case n == 1 || n > 3 || n == 3 && atLineStart(s, i) && (j == len(s) || s[j] == '\n' || s[j] == '\r'):
		c.out = append(c.out, s[i:j]...) // a rule ("---" alone on its line) stays
	default:
		if m := len(c.out); m > 0 && !isBlank(c.out[m-1]) {
			c.out = append(c.out, ' ')
		}
		c.out = append(c.out, "—"...)
		if j < len(s) && !isBlank(s[j]) {
			c.out = append(c.out, ' ')
		}
	}
	return j
}
