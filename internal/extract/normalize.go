package extract

// normalize returns text as the reader reads it: invisible characters,
// HTML remnants, Markdown marks and typewriter quotes and dashes cleaned
// (inline.go), then the line breaks inside paragraphs joined (lines.go).
// Text that needs neither comes back unchanged, without copying.
func normalize(text string) string {
	return joinLines(cleanInline(text))
}
