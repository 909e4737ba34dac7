package poller

import (
	"bytes"
	"errors"
	"fmt"
)

// maxXMLDepth bounds element nesting in a feed. Real feeds nest a dozen
// levels, XHTML content a few dozen more; gofeed walks extension elements
// recursively and keeps every level, so a 10 MiB body of nested elements
// costs it seconds, a gigabyte of allocations and hundreds of megabytes of
// stack (the Go runtime aborts the whole process, unrecoverably, when a
// stack passes 1 GB).
const maxXMLDepth = 1000

// errTooDeep is returned (wrapped) by parseFeed for a document nested deeper
// than maxXMLDepth; the feed is refused before gofeed sees it.
var errTooDeep = errors.New("XML nested too deeply")

// checkXMLDepth refuses XML whose elements nest deeper than limit. It is a
// linear byte scan that allocates only its stack of open names, and it counts
// the way encoding/xml's non-strict mode (gofeed's) does: comments, CDATA,
// processing instructions and directives (a DOCTYPE with its internal subset)
// are skipped, "/>" closes its own element, and an end tag closes every
// element opened after the one it names, or, naming none, all of them.
// Anything it cannot read as a tag is text, so it never counts deeper than
// the parser would. A JSON body (starting with '{') is left to
// encoding/json, which has its own depth limit.
func checkXMLDepth(body []byte, limit int) error {
	trimmed := bytes.TrimLeft(body, "\xef\xbb\xbf \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return nil
	}
	var open [][]byte // local names of the open elements
	for i := 0; ; {
		lt := bytes.IndexByte(body[i:], '<')
		if lt < 0 {
			return nil
		}
		i += lt + 1
		rest := body[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			i = skipPast(body, i+3, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i = skipPast(body, i+8, "]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			i = skipPast(body, i+1, "?>")
		case bytes.HasPrefix(rest, []byte("!")):
			i = skipDirective(body, i+2) // like encoding/xml, never end at the byte after "<!"
		case bytes.HasPrefix(rest, []byte("/")):
			name, end := tagName(body, i+1)
			i = skipTag(body, end)
			for k := len(open) - 1; k >= 0; k-- {
				if bytes.Equal(open[k], name) {
					open = open[:k]
					break
				}
				if k == 0 {
					open = open[:0]
				}
			}
		default:
			name, end := tagName(body, i)
			if len(name) == 0 {
				continue // "<" not followed by a name: not a tag
			}
			i = skipTag(body, end)
			if i >= 2 && body[i-1] == '>' && body[i-2] == '/' {
				if len(open)+1 > limit {
					// <empty/> is a start and an end element to the decoder:
					// it goes one level deeper for that moment.
					return fmt.Errorf("%w: more than %d levels", errTooDeep, limit)
				}
				continue
			}
			if open = append(open, name); len(open) > limit {
				return fmt.Errorf("%w: more than %d levels", errTooDeep, limit)
			}
		}
	}
}

// tagName returns the name of the tag that starts at body[i], as
// encoding/xml compares it (the part after a single inner colon), and the
// index just past the name. The name is empty when body[i] cannot start one.
func tagName(body []byte, i int) (local []byte, end int) {
	for end = i; end < len(body) && isNameByte(body[end]); end++ {
	}
	name := body[i:end]
	if prefix, rest, ok := bytes.Cut(name, []byte(":")); ok && len(prefix) > 0 && len(rest) > 0 && bytes.IndexByte(rest, ':') < 0 {
		return rest, end
	}
	return name, end
}

// isNameByte reports a byte encoding/xml reads as part of a name; it leaves
// the finer checks of non-ASCII runes to the decoder.
func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= 0x80
}

// skipTag returns the index just past the '>' that ends the tag at
// body[i:], ignoring '>' inside quoted attribute values.
func skipTag(body []byte, i int) int {
	var quote byte
	for ; i < len(body); i++ {
		switch c := body[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return len(body)
}

// skipDirective returns the index just past a <!...> directive starting
// at body[i:], which may hold nested <...>, quoted strings and comments.
func skipDirective(body []byte, i int) int {
	if i > len(body) {
		return len(body)
	}
	depth := 1
	var quote byte
	for ; i < len(body); i++ {
		c := body[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<' && bytes.HasPrefix(body[i:], []byte("<!--")):
			i = skipPast(body, i+4, "-->") - 1
		case c == '<':
			depth++
		case c == '>':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(body)
}

// skipPast returns the index just past the first end at or after body[i:],
// or len(body).
func skipPast(body []byte, i int, end string) int {
	if i > len(body) {
		return len(body)
	}
	k := bytes.Index(body[i:], []byte(end))
	if k < 0 {
		return len(body)
	}
	return i + k + len(end)
}
