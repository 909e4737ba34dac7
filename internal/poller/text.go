package poller

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags end a paragraph when they open or close.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Aside: true, atom.Main: true,
	atom.Nav: true, atom.Address: true, atom.Details: true, atom.Summary: true,
}

// skipTags have content that is not text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true,
	atom.Object: true, atom.Template: true, atom.Svg: true, atom.Head: true,
	atom.Title: true, atom.Select: true, atom.Button: true, atom.Math: true,
}

// textBuilder collects paragraphs of whitespace-collapsed text.
type textBuilder struct {
	paras     []string
	cur       strings.Builder
	space     bool // whitespace seen since the last word
	lineStart bool // the last thing written was a line break
}

// text adds character data, collapsing runs of whitespace to one space.
func (b *textBuilder) text(s string) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		if s != "" {
			b.space = true
		}
		return
	}
	if isSpace(s[0]) {
		b.space = true
	}
	for i, w := range fields {
		if (i > 0 || b.space) && b.cur.Len() > 0 && !b.lineStart {
			b.cur.WriteByte(' ')
		}
		b.cur.WriteString(w)
		b.lineStart = false
	}
	b.space = isSpace(s[len(s)-1])
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// raw adds preformatted text as it is, line breaks and spacing kept: a
// plain-text release inside <pre> keeps its lines for the extractor to
// read.
func (b *textBuilder) raw(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if b.cur.Len() > 0 && !b.lineStart && b.space {
		b.cur.WriteByte(' ')
	}
	b.cur.WriteString(s)
	b.lineStart = strings.HasSuffix(s, "\n")
	b.space = false
}

func (b *textBuilder) lineBreak() {
	if b.cur.Len() > 0 && !b.lineStart {
		b.cur.WriteByte('\n')
		b.lineStart = true
	}
	b.space = false
}

func (b *textBuilder) endPara() {
	p := strings.TrimSpace(b.cur.String())
	if p != "" {
		b.paras = append(b.paras, p)
	}
	b.cur.Reset()
	b.space, b.lineStart = false, false
}

func (b *textBuilder) String() string {
	b.endPara()
	return strings.Join(b.paras, "\n\n")
}

// ItemText returns the text of a feed item's body as the poller stores it
// in an article: HTML turned into paragraphs (htmlToText), plain text kept
// with its lines (plainText).
func ItemText(body string) string { return htmlToText(body) }

// htmlToText turns an HTML fragment into plain text: entities decoded,
// scripts and styles dropped, whitespace collapsed, block elements as
// paragraphs separated by "\n\n", <br> as "\n". Text without any tag is
// treated as plain text whose blank lines separate paragraphs.
func htmlToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return plainText(s)
	}
	var b textBuilder
	z := html.NewTokenizer(strings.NewReader(s))
	skip, pre := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			switch {
			case skip > 0:
			case pre > 0:
				b.raw(string(z.Text()))
			default:
				b.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skipTags[a]:
				if tt == html.StartTagToken {
					skip++
				}
			case a == atom.Br:
				b.lineBreak()
			case blockTags[a]:
				b.endPara()
				if a == atom.Pre && tt == html.StartTagToken {
					pre++
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skipTags[a]:
				if skip > 0 {
					skip--
				}
			case blockTags[a]:
				b.endPara()
				if a == atom.Pre && pre > 0 {
					pre--
				}
			}
		}
	}
}

// plainText normalises text that has no markup as little as it can: line
// ends made "\n", trailing spaces and runs of blank lines dropped. Its
// lines stay as published: a hard-wrapped paragraph, a list or a
// chronology is for the extractor to read, which joins wrapped lines and
// keeps entries apart.
func plainText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if len(out) == 0 {
			// The text starts at its first letter: an indent before it
			// marks nothing, unlike one on a later line.
			l = strings.TrimLeftFunc(l, unicode.IsSpace)
		}
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// inlineText is htmlToText on one line, for titles.
func inlineText(s string) string {
	return strings.Join(strings.Fields(htmlToText(s)), " ")
}
