package feedlist

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxOPMLBytes caps an OPML document.
const maxOPMLBytes = 8 << 20

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Title   string      `xml:"head>title"`
	Created string      `xml:"head>dateCreated,omitempty"`
	Body    []opmlEntry `xml:"body>outline"`
}

type opmlEntry struct {
	Text     string      `xml:"text,attr"`
	Title    string      `xml:"title,attr,omitempty"`
	Type     string      `xml:"type,attr,omitempty"`
	XMLURL   string      `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string      `xml:"htmlUrl,attr,omitempty"`
	Children []opmlEntry `xml:"outline"`
}

// ParseOPML reads the feeds of an OPML subscription list, nested outlines
// included. An outline with a bad xmlUrl is an error naming it; a document
// that is not OPML is an error naming the line.
func ParseOPML(r io.Reader) ([]Feed, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxOPMLBytes))
	dec.Strict = true
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("opml line %d: %s", se.Line, se.Msg)
		}
		return nil, fmt.Errorf("opml: %w", err)
	}
	var feeds []Feed
	var errs []error
	var walk func([]opmlEntry, string)
	walk = func(entries []opmlEntry, path string) {
		for i, e := range entries {
			where := fmt.Sprintf("%soutline[%d]", path, i)
			if e.XMLURL != "" {
				f := Feed{URL: strings.TrimSpace(e.XMLURL), Name: strings.TrimSpace(firstNonEmpty(e.Title, e.Text))}
				if err := Validate(f); err != nil {
					errs = append(errs, fmt.Errorf("opml %s %q: %w", where, e.Text, err))
				} else {
					feeds = append(feeds, f)
				}
			}
			walk(e.Children, where+"/")
		}
	}
	walk(doc.Body, "")
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return feeds, nil
}

// WriteOPML writes feeds as an OPML 2.0 subscription list.
func WriteOPML(w io.Writer, title string, feeds []Feed, now time.Time) error {
	doc := opmlDoc{Version: "2.0", Title: title, Created: now.UTC().Format(time.RFC1123Z)}
	for _, f := range feeds {
		name := firstNonEmpty(f.Name, f.URL)
		doc.Body = append(doc.Body, opmlEntry{Text: name, Title: name, Type: "rss", XMLURL: f.URL})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
