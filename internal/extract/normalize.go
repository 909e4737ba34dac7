package extract

import "strings"

// normalize returns text as the reader reads it: a Markdown front matter
// block dropped, invisible characters, HTML remnants, Markdown marks and
// typewriter quotes and dashes cleaned (inline.go), then the line breaks
// inside paragraphs joined (lines.go). Text that needs none of it comes
// back unchanged, without copying.
func normalize(text string, scratch *[]line) string {
	return joinLines(splitGluedMonths(cleanInline(dropFrontMatter(text))), scratch)
}

// splitGluedMonths puts back the space a text extracted from a PDF lost
// between "On" or "In" and a month: "OnSeptember 15, 2024, the United
// States ended its limited military presence". Text without such a join
// comes back unchanged, without copying.
func splitGluedMonths(text string) string {
	var b strings.Builder
	last := 0
	for pos := 0; pos < len(text); {
		j := strings.IndexAny(text[pos:], "OI")
		if j < 0 {
			break
		}
		n := pos + j + 1 // the "n" of "On" or "In"
		pos = n
		if n+1 >= len(text) || text[n] != 'n' || text[n+1] < 'A' || text[n+1] > 'Z' {
			continue
		}
		if i := n - 1; i > 0 && text[i-1] != ' ' && text[i-1] != '\n' && text[i-1] != '\t' && text[i-1] != '(' && text[i-1] != '"' && text[i-1] != '*' {
			continue
		}
		month := false
		for _, m := range [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"} {
			if e := n + 1 + len(m); strings.HasPrefix(text[n+1:], m) && (e == len(text) || text[e] == ' ' || text[e] == ',') {
				month = true
				break
			}
		}
		if !month {
			continue
		}
		b.WriteString(text[last : n+1])
		b.WriteByte(' ')
		last = n + 1
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// maxFrontMatter bounds the front matter block looked for.
const maxFrontMatter = 8 << 10

// dropFrontMatter removes a YAML ("---") or TOML ("+++") front matter block
// opening the text: the metadata of a Markdown page (its title, dates and
// address), which is not prose and dates nothing.
func dropFrontMatter(text string) string {
	t := strings.TrimLeft(text, "\ufeff \t\r\n")
	var fence string
	switch {
	case strings.HasPrefix(t, "---\n"), strings.HasPrefix(t, "---\r\n"):
		fence = "---"
	case strings.HasPrefix(t, "+++\n"), strings.HasPrefix(t, "+++\r\n"):
		fence = "+++"
	default:
		return text
	}
	head := t[:min(len(t), maxFrontMatter)]
	body := strings.IndexByte(head, '\n') + 1
	end := -1
	for pos := body; pos < len(head); {
		nl := strings.IndexByte(head[pos:], '\n')
		line := head[pos:]
		if nl >= 0 {
			line = head[pos : pos+nl]
		}
		if l := strings.TrimRight(line, "\r \t"); l == fence || fence == "---" && l == "..." {
			end = pos + len(line)
			break
		}
		if nl < 0 {
			break
		}
		pos += nl + 1
	}
	if end < 0 || !strings.Contains(head[body:end], ":") && !strings.Contains(head[body:end], "=") {
		return text
	}
	return t[end:]
}
