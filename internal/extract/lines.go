package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A paragraph is a paragraph however it was wrapped. Letters, wire copy,
// mailing lists, plain-text feed items and text pasted from PDFs break
// their lines near a fixed width (72 columns is common), so a date ends
// one line and its verb opens the next. joinLines reads the lines of a
// text and joins those that continue a paragraph, while a heading, a list
// item, a dateline or a timeline entry stays on its own line:
//
//   - the text is hard-wrapped when most of its lines end near one width
//     (the wrap width); a line then continues when the next line's first
//     word would not have fitted on it, or when it ends mid-sentence near
//     that width;
//   - in any text, a line that ends mid-sentence and a next line that
//     opens in lower case are one sentence;
//   - a blank line, a line indented deeper than the text's body (the
//     paragraph opening of old wire copy), a list item ("- ", "1. ",
//     "(a) "), a Markdown heading or quote, and a line opening with a date
//     and a colon or dash (a timeline entry) always start anew;
//   - a word hyphenated across the break is rejoined ("negoti-" +
//     "ations") when the rest is a word ending, or when the whole word is
//     written elsewhere in the text; compounds keep their hyphen
//     ("long-" + "range").
//
// Markdown headings, quote marks and list markers are dropped from the
// line; its text stays.

// line is what joinLines knows of one line of text.
type line struct {
	start, end int // content bytes, markers and surrounding spaces excluded
	indent     int // leading columns (a tab counts 4)
	width      int // columns of the whole line, trailing spaces excluded
	blank      bool
	// opens is true when the line must start a new unit: a list item, a
	// heading, a quote, a table row or a timeline entry.
	opens bool
	// heading marks a Markdown heading, which also ends its unit.
	heading bool
	// marked is true when a list, heading or quote marker was dropped.
	marked bool
	// join is true when the line continues the one before it.
	join bool
	// content is the column where a list item's text starts ("-   x": 4),
	// where its continuation lines are indented.
	content int
}

// Bounds of the wrap-width detection.
const (
	maxWrapWidth   = 110 // wider "wrapped" lines are paragraphs
	minWrappedRuns = 3   // lines near the width a text needs to count as wrapped
)

// joinLines returns s with the line breaks inside paragraphs replaced by
// spaces and list and heading markers removed; s itself when nothing
// changes. scratch, when not nil, holds the line table between calls.
func joinLines(s string, scratch *[]line) string {
	if !mayJoin(s) {
		return s
	}
	var lines []line
	if scratch != nil {
		lines = splitLines(s, (*scratch)[:0])
		*scratch = lines
	} else {
		lines = splitLines(s, nil)
	}
	width, wrapped := wrapWidth(lines)
	body := bodyIndent(lines)
	// First decide, so that text with nothing to join is not copied.
	changed := false
	for k := range lines {
		l := &lines[k]
		l.join = k > 0 && !lines[k-1].blank && !l.blank && continues(s, lines[k-1], *l, width, wrapped, body)
		changed = changed || l.marked || l.join
	}
	if !changed {
		return s
	}
	b := make([]byte, 0, len(s))
	for k, l := range lines {
		if k > 0 {
			switch {
			case !l.join:
				b = append(b, '\n')
			case hyphenJoin(s, lines[k-1], l):
				b = b[:len(b)-1] // "negoti-" + "ations"
			case endsCompound(s[lines[k-1].start:lines[k-1].end]):
				// "Indo-" + "Pacific", "long-" + "range": one compound
			default:
				b = append(b, ' ')
			}
		}
		if !l.blank {
			b = append(b, s[l.start:l.end]...)
		}
	}
	return string(b)
}

// endsCompound reports whether a line ends with a hyphen right after a
// word: the line break falls inside a hyphenated compound.
func endsCompound(t string) bool {
	return len(t) >= 2 && t[len(t)-1] == '-' && t[len(t)-2] != ' '
}

// mayJoin is a cheap test that joinLines has work: two non-blank lines
// in a row, or a line opening with a marker character. Text whose
// paragraphs are single lines separated by blank ones needs none.
func mayJoin(s string) bool {
	start, prevBlank := 0, true
	for start <= len(s) {
		e := strings.IndexByte(s[start:], '\n')
		if e < 0 {
			e = len(s)
		} else {
			e += start
		}
		blank := true
		for i := start; i < e; i++ {
			if c := s[i]; c != ' ' && c != '\t' && c != '\r' {
				blank = false
				if c == '#' || c == '>' || c == '-' || c == '*' || c == '+' || c == '(' || c >= '0' && c <= '9' || c >= 0x80 && lineMarked(s[:e], i) {
					return true // a marker, or a bullet written as a symbol
				}
				break
			}
		}
		if !blank && !prevBlank {
			return true
		}
		prevBlank = blank
		start = e + 1
	}
	return false
}

// splitLines reads the lines of s, appending to lines.
func splitLines(s string, lines []line) []line {
	for pos := 0; pos <= len(s); {
		e := strings.IndexByte(s[pos:], '\n')
		if e < 0 {
			e = len(s)
		} else {
			e += pos
		}
		lines = append(lines, readLine(s, pos, e))
		pos = e + 1
	}
	return lines
}

// readLine reads the line s[b:e].
func readLine(s string, b, e int) line {
	l := line{}
	i := b
	for ; i < e && (s[i] == ' ' || s[i] == '\t'); i++ {
		if s[i] == '\t' {
			l.indent += 4
		} else {
			l.indent++
		}
	}
	j := e
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	if i == j {
		l.blank = true
		l.start, l.end = i, i
		return l
	}
	l.width = l.indent + utf8.RuneCountInString(s[i:j])
	l.start, l.end = i, j
	if k, heading := marker(s, i, j); k > i {
		l.start, l.opens, l.heading, l.marked = k, true, heading, true
		l.content = l.indent + utf8.RuneCountInString(s[i:k])
	} else if s[i] == '|' || dateEntry(s[i:j]) {
		l.opens = true
	}
	return l
}

// lineMarked reports whether the line at i opens with a Markdown marker.
func lineMarked(s string, i int) bool {
	k, _ := marker(s, i, len(s))
	return k > i
}

// marker returns where the text of a line [i,j) starts after a list,
// heading or quote marker, or i when it has none, and whether the marker
// is a heading's.
func marker(s string, i, j int) (int, bool) {
	if i >= j {
		return i, false
	}
	switch c := s[i]; {
	case c == '#':
		k := i
		for k < j && s[k] == '#' {
			k++
		}
		if k-i <= 6 && k < j && s[k] == ' ' {
			return skipSpaces(s, k, j), true
		}
	case c == '>':
		if i+1 < j && s[i+1] == ' ' {
			return skipSpaces(s, i+1, j), false
		}
	case c == '-' || c == '*' || c == '+':
		if i+1 < j && (s[i+1] == ' ' || s[i+1] == '\t') {
			return skipSpaces(s, i+1, j), false
		}
	case c >= '0' && c <= '9':
		k := i
		for k < j && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k-i <= 2 && k+1 < j && (s[k] == '.' || s[k] == ')') && s[k+1] == ' ' {
			return skipSpaces(s, k+1, j), false
		}
	case c == '(':
		k := i + 1
		for k < j && k-i <= 4 && (isASCIILetter(s[k]) || s[k] >= '0' && s[k] <= '9') {
			k++
		}
		if k > i+1 && k+1 < j && s[k] == ')' && s[k+1] == ' ' {
			return skipSpaces(s, k+1, j), false
		}
	default:
		r, n := utf8.DecodeRuneInString(s[i:j])
		switch r {
		case '•', '·', '‣', '◦', '▪', '●', '–', '—':
			if i+n < j && s[i+n] == ' ' {
				return skipSpaces(s, i+n, j), false
			}
		}
	}
	return i, false
}

// skipSpaces returns the first byte of s[i:j] that is not a space or tab,
// or j.
func skipSpaces(s string, i, j int) int {
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// dateEntry reports whether a line opens with a date followed by a colon
// or a dash within its first words: a timeline or "key dates" entry
// ("June 4: the Secretary's call ...", "12 March 2024 – ...", "2024-06-19 -").
func dateEntry(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	if !(r >= '0' && r <= '9' || unicode.IsUpper(r)) {
		return false
	}
	if r > '9' && !monthWord(t) {
		return false
	}
	lim := min(len(t), 32)
	for i := 1; i < lim; i++ {
		switch t[i] {
		case ':':
			return i+1 >= len(t) || t[i+1] == ' ' || t[i+1] == '\t'
		case '-':
			if t[i-1] == ' ' && i+1 < len(t) && t[i+1] == ' ' {
				return true
			}
		case 0xE2: // "–" or "—"
			if t[i-1] == ' ' && strings.HasPrefix(t[i:], "–") || strings.HasPrefix(t[i:], "—") {
				return true
			}
		case '.', '?', '!':
			if i+1 < len(t) && t[i+1] == ' ' && !monthWord(t[:i]) {
				return false // a sentence ended first
			}
		}
	}
	return false
}

// monthNames are the month names and abbreviations a timeline entry may
// open with.
var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthWord reports whether t opens with a month name or its abbreviation.
func monthWord(t string) bool {
	if len(t) < 3 {
		return false
	}
	return slices.ContainsFunc(monthNames, func(m string) bool { return strings.EqualFold(t[:3], m) })
}

// wrapWidth returns the width a hard-wrapped text is wrapped at and
// whether the text is hard-wrapped: a good share (a quarter) of its lines
// that continue into another line end within a few columns of one width.
// Field lists and letters mix short lines with wrapped ones, so a
// majority is not required.
func wrapWidth(lines []line) (int, bool) {
	var widths []int
	for k, l := range lines {
		if !l.blank && k+1 < len(lines) && !lines[k+1].blank {
			widths = append(widths, l.width)
		}
	}
	if len(widths) < minWrappedRuns {
		return 0, false
	}
	slices.Sort(widths)
	w := widths[len(widths)*9/10]
	if w > maxWrapWidth || w < 30 {
		return w, false
	}
	near := 0
	for _, x := range widths {
		if x >= w-15 && x <= w+5 {
			near++
		}
	}
	return w, near >= minWrappedRuns && near*4 >= len(widths)
}

// bodyIndent returns the indentation most lines of the text share.
func bodyIndent(lines []line) int {
	var counts [9]int
	for _, l := range lines {
		if !l.blank {
			counts[min(l.indent, 8)]++
		}
	}
	best := 0
	for i, n := range counts {
		if n > counts[best] {
			best = i
		}
	}
	return best
}

// continues reports whether line l continues the paragraph of line p.
func continues(s string, p, l line, width int, wrapped bool, body int) bool {
	if l.opens || p.heading || l.indent > body+1 && l.indent > p.indent && !(p.marked && !p.heading && l.indent <= p.content) {
		return false // an indented line is a block of its own, unless it goes on a list item
	}
	next, _ := utf8.DecodeRuneInString(s[l.start:l.end])
	lower := unicode.IsLower(next)
	last, _ := utf8.DecodeLastRuneInString(s[p.start:p.end])
	if dateOnly(s[l.start:l.end]) && !leadsOn(s[p.start:p.end]) || dateOnly(s[p.start:p.end]) && !lower ||
		bracketed(s[p.start:p.end]) || bracketed(s[l.start:l.end]) {
		return false // "August 10, 1998" under a title, "[Page 1429]": lines of their own; not "between September and" + "November 1992"
	}
	ended := sentenceEnding(s[p.start:p.end])
	if lower && !ended && last != ':' {
		return true // "... the two leaders" + "signed a treaty ..."
	}
	if unicode.IsDigit(next) && unicode.IsLower(last) && numberGoesOn(s[l.start:l.end]) {
		return true // "Hezbollah terrorists killed" + "241 U.S. military personnel ..."
	}
	if !wrapped {
		return false
	}
	fit := p.width+1+firstWordWidth(s[l.start:l.end]) <= width
	if !fit {
		return true // the next word did not fit: the wrapper broke here
	}
	if ended || last == ':' {
		return false
	}
	return p.width >= width*3/4 // ragged wrapping, mid-sentence
}

// dateOnly reports whether t is a date and nothing else ("August 10,
// 1998", "Sunday, June 23, 2019", "[August 10, 1998]", "2024-06-19"): a
// letter's or a release's date line. It allocates nothing: it runs on
// every pair of lines.
func dateOnly(t string) bool {
	t = strings.Trim(strings.TrimSpace(t), "[]()")
	if len(t) < 4 || len(t) > 40 {
		return false
	}
	digits, months := 0, 0
	for i := 0; i < len(t); {
		j := i
		for j < len(t) && t[j] != ' ' && t[j] != ',' && t[j] != '.' && t[j] != '\t' {
			j++
		}
		if w := t[i:j]; w != "" {
			switch {
			case strings.Trim(w, "0123456789-/") == "":
				digits++
			case monthWord(w) && len(w) <= 9 && isLetters(w):
				months++
			case weekdayWord(w):
			default:
				return false
			}
		}
		i = j + 1
	}
	return digits > 0 && (months > 0 || strings.Count(t, "-") == 2 && digits == 1)
}

// isLetters reports whether w holds ASCII letters only.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// weekdayWords are the weekdays' names and abbreviations.
var weekdayWords = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}

// weekdayWord reports whether w is a weekday's name or abbreviation.
func weekdayWord(w string) bool {
	return slices.ContainsFunc(weekdayWords, func(d string) bool { return strings.EqualFold(w, d) })
}

// leadsOn reports whether line t ends with a word that leads into what
// follows ("between September and", "on", "dated"): a date on the next
// line goes on its sentence.
func leadsOn(t string) bool {
	t = strings.TrimRight(t, " \t")
	if strings.HasSuffix(t, ",") {
		return true
	}
	w := t[strings.LastIndexAny(t, " \t")+1:]
	return slices.ContainsFunc(leadWords, func(l string) bool { return strings.EqualFold(w, l) })
}

// leadWords end a line that goes on into a date on the next.
var leadWords = []string{"and", "or", "of", "on", "in", "from", "to", "until", "till", "since", "by", "between", "before",
	"after", "dated", "through", "the", "that", "as", "at"}

// bracketed reports whether t is wholly inside square brackets: an
// editor's line ("[Page 1429]", "[August 10, 1998]").
func bracketed(t string) bool {
	t = strings.TrimSpace(t)
	return len(t) > 2 && t[0] == '[' && t[len(t)-1] == ']' && strings.IndexByte(t[1:], '[') < 0
}

// numberGoesOn reports whether line t, which opens with a number, goes on
// as prose ("241 U.S. military personnel") rather than heading an entry or
// an item ("1950 - ...", "12: ...", "3. ...", "2) ...").
func numberGoesOn(t string) bool {
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == ',') {
		i++
	}
	rest := strings.TrimLeft(t[i:], " ")
	if i == len(t) || t[i] != ' ' || rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsLetter(r)
}

// sentenceEnding reports whether t ends a sentence: ".", "!" or "?",
// possibly inside closing quotes or brackets.
func sentenceEnding(t string) bool {
	for len(t) > 0 {
		r, n := utf8.DecodeLastRuneInString(t)
		switch r {
		case '"', '\'', '”', '’', ')', ']':
			t = t[:len(t)-n]
			continue
		case '.', '!', '?', '…':
			return true
		}
		return false
	}
	return false
}

// firstWordWidth returns the columns of t's first word.
func firstWordWidth(t string) int {
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		t = t[:i]
	}
	return utf8.RuneCountInString(t)
}

// wordEndings are the endings that a word broken by a hyphen at a line end
// continues with ("negoti-" + "ations", "govern-" + "ment").
var wordEndings = []string{"tion", "ation", "sion", "ment", "ness", "ing", "ity", "ance", "ence", "ated", "ating", "ative",
	"ally", "ical", "ous", "ive", "ible", "able", "ship", "ies", "ed", "ly", "al", "ic", "ist", "ism", "ure", "ery", "ary"}

// hyphenJoin reports whether the hyphen ending line p splits one word that
// line l completes: a lower-case fragment before, a lower-case word ending
// after, or the whole word written elsewhere in the text.
func hyphenJoin(s string, p, l line) bool {
	t := s[p.start:p.end]
	if len(t) < 3 || t[len(t)-1] != '-' || !isASCIILetter(t[len(t)-2]) || t[len(t)-3] == '-' {
		return false
	}
	head := t[:len(t)-1]
	if i := strings.LastIndexAny(head, " \t-/("); i >= 0 {
		head = head[i+1:]
	}
	tail := s[l.start:l.end]
	if i := strings.IndexFunc(tail, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		tail = tail[:i]
	}
	if head == "" || tail == "" || !unicode.IsLower(rune(head[0])) || !unicode.IsLower(rune(tail[0])) {
		return false
	}
	for _, e := range wordEndings {
		if strings.HasPrefix(tail, e) {
			return true
		}
	}
	return strings.Contains(s, " "+head+tail)
}
