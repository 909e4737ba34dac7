// Package opml reads and writes OPML 1.0/2.0 subscription lists, the format
// feed readers exchange feed lists in.
package opml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Outline is one feed of a subscription list.
type Outline struct {
	// URL is the feed's URL (xmlUrl).
	URL string
	// Title is its name (title, else text).
	Title string
	// SiteURL is the site's home page (htmlUrl), if given.
	SiteURL string
	// Category is the path of the folders the feed sits in, joined by "/".
	Category string
}

// ErrNoOutlines is returned by Parse for a document with no feed in it.
var ErrNoOutlines = errors.New("opml: no feed outlines")

type document struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    head     `xml:"head"`
	Body    []node   `xml:"body>outline"`
}

type head struct {
	Title       string `xml:"title,omitempty"`
	DateCreated string `xml:"dateCreated,omitempty"`
}

type node struct {
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	XMLURL   string `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string `xml:"htmlUrl,attr,omitempty"`
	Children []node `xml:"outline"`
}

// Parse reads an OPML document and returns its feed outlines (those with
// an xmlUrl), depth first, folders flattened into Category. Any declared
// charset is honoured. Duplicated URLs are kept once.
func Parse(r io.Reader) ([]Outline, error) {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	var out []Outline
	seen := map[string]bool{}
	var walk func(ns []node, path []string)
	walk = func(ns []node, path []string) {
		for _, n := range ns {
			name := strings.TrimSpace(n.Title)
			if name == "" {
				name = strings.TrimSpace(n.Text)
			}
			if u := strings.TrimSpace(n.XMLURL); u != "" && !seen[u] {
				seen[u] = true
				out = append(out, Outline{URL: u, Title: name, SiteURL: strings.TrimSpace(n.HTMLURL), Category: strings.Join(path, "/")})
			}
			if len(n.Children) > 0 {
				walk(n.Children, append(path[:len(path):len(path)], name))
			}
		}
	}
	walk(doc.Body, nil)
	if len(out) == 0 {
		return nil, ErrNoOutlines
	}
	return out, nil
}

// Write renders outlines as an OPML 2.0 document titled title, grouping
// them into folders by Category (one level per "/").
func Write(w io.Writer, title string, outlines []Outline, now time.Time) error {
	doc := document{Version: "2.0", Head: head{Title: title, DateCreated: now.UTC().Format(time.RFC1123Z)}}
	for _, o := range outlines {
		n := node{Text: o.Title, Title: o.Title, Type: "rss", XMLURL: o.URL, HTMLURL: o.SiteURL}
		if n.Text == "" {
			n.Text = o.URL
		}
		siblings := &doc.Body
		if o.Category != "" {
			for _, part := range strings.Split(o.Category, "/") {
				siblings = folder(siblings, part)
			}
		}
		*siblings = append(*siblings, n)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// folder returns the children of the folder named name among siblings,
// creating it if needed.
func folder(siblings *[]node, name string) *[]node {
	for i := range *siblings {
		if n := &(*siblings)[i]; n.XMLURL == "" && n.Text == name {
			return &n.Children
		}
	}
	*siblings = append(*siblings, node{Text: name, Title: name})
	return &(*siblings)[len(*siblings)-1].Children
}
