package extract

import "strings"

// normalize returns text as the reader reads it: a Markdown front matter
// block dropped, invisible characters, HTML remnants, Markdown marks and
// typewriter quotes and dashes cleaned (inline.go), then the line breaks
// inside paragraphs joined (lines.go). Text that needs none of it comes
// back unchanged, without copying.
func normalize(text string, scratch *[]line) string {
	return joinLines(cleanInline(dropFrontMatter(text)), scratch)
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
