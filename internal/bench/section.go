package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// The markers around the generated section of BENCHMARKS.md.
const (
	BeginMarker = "<!-- cmd/bench:begin -->"
	EndMarker   = "<!-- cmd/bench:end -->"
)

// ReplaceSection returns doc with the text between BeginMarker and
// EndMarker replaced by section, the markers kept; without markers the
// section is appended at the end, between new markers. A doc with a
// begin marker and no end after it is an error.
func ReplaceSection(doc []byte, section string) ([]byte, error) {
	body := "\n" + section
	if len(section) > 0 && section[len(section)-1] != '\n' {
		body += "\n"
	}
	i := bytes.Index(doc, []byte(BeginMarker))
	if i < 0 {
		var b bytes.Buffer
		b.Write(doc)
		if len(doc) > 0 && doc[len(doc)-1] != '\n' {
			b.WriteByte('\n')
		}
		if len(doc) > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(BeginMarker + body + EndMarker + "\n")
		return b.Bytes(), nil
	}
	from := i + len(BeginMarker)
	j := bytes.Index(doc[from:], []byte(EndMarker))
	if j < 0 {
		return nil, errors.New("begin marker without an end marker after it")
	}
	var b bytes.Buffer
	b.Write(doc[:from])
	b.WriteString(body)
	b.Write(doc[from+j:])
	return b.Bytes(), nil
}

// WriteSection rewrites the generated section of the file at path (see
// ReplaceSection), creating the file when it does not exist.
func WriteSection(path, section string) error {
	doc, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	out, err := ReplaceSection(doc, section)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
