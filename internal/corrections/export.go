package corrections

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
)

// Events finds corrected events and the reports they were merged from;
// *index.Index is one.
type Events interface {
	Get(ctx context.Context, id string) (event.Event, bool, error)
	Members(ctx context.Context, e event.Event) ([]event.Event, bool, error)
}

// Labelled is one labelled article in the dev-set gold format (see
// internal/gold and internal/extract/testdata/devset): the gold file's
// fields, with About saying which correction made it.
type Labelled struct {
	About string `json:"about"`
	gold.Article
}

// File is one file of an export: a name (no directory) and its bytes.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Labels returns each correction as labelled articles: for every report
// (article) of the corrected event, NAME.txt holds the report's article
// title and evidence sentence, and NAME.json its gold: the corrected
// event as required, or, for an event marked wrong, nothing required and
// its date forbidden. A correction whose event the index no longer has is
// left out and named in skipped.
func Labels(ctx context.Context, cs []Correction, evs Events) (files []File, skipped []string, err error) {
	for _, c := range cs {
		if !c.Changes() {
			continue // a merge or a split: no event of a report to label
		}
		e, found, err := evs.Get(ctx, c.EventID)
		if err != nil {
			return nil, nil, fmt.Errorf("export correction of event %s: %w", c.EventID, err)
		}
		if !found {
			skipped = append(skipped, c.EventID)
			continue
		}
		members, _, err := evs.Members(ctx, e)
		if err != nil {
			return nil, nil, fmt.Errorf("export correction of event %s: read its reports: %w", c.EventID, err)
		}
		if len(members) == 0 {
			members = []event.Event{e}
		}
		seen := map[string]bool{}
		for _, m := range members {
			if seen[m.Article.ID] {
				continue
			}
			seen[m.Article.ID] = true
			name := fileName(c.EventID, m.Article.ID)
			raw, err := json.MarshalIndent(labelled(c, m, name+".txt"), "", "  ")
			if err != nil {
				return nil, nil, fmt.Errorf("export correction of event %s: encode: %w", c.EventID, err)
			}
			text := strings.TrimSpace(m.Article.Title) + "\n\n" + strings.TrimSpace(m.Sentence) + "\n"
			files = append(files, File{Name: name + ".txt", Data: []byte(text)}, File{Name: name + ".json", Data: append(raw, '\n')})
		}
	}
	return files, skipped, nil
}

// Write writes files into dir (created if need be) and returns the paths
// of the gold files (.json) among them.
func Write(dir string, files []File) (gold []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write labelled articles: %w", err)
	}
	for _, f := range files {
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." || f.Name == "" {
			return gold, fmt.Errorf("write labelled articles: %q is not a file name", f.Name)
		}
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return gold, fmt.Errorf("write labelled articles: %w", err)
		}
		if strings.HasSuffix(f.Name, ".json") {
			gold = append(gold, path)
		}
	}
	return gold, nil
}

// labelled is the gold of report m of an event as corrected by c.
func labelled(c Correction, m event.Event, text string) Labelled {
	l := Labelled{Article: gold.Article{Article: text, Required: []gold.Event{}, Neutral: []gold.Event{}, ForbiddenDates: []string{}}}
	if !m.Article.Published.IsZero() {
		l.Published = m.Article.Published.UTC().Format(time.RFC3339)
	}
	what := "corrected"
	if c.Hidden {
		what = "marked wrong"
	}
	l.About = fmt.Sprintf("Event %s %s by %s at %s: %s (from %s).", c.EventID, what, orDash(c.By),
		c.At.UTC().Format(time.RFC3339), orDash(c.Note), orDash(m.Article.URL))
	if c.Hidden {
		l.ForbiddenDates = append(l.ForbiddenDates, m.Date)
		return l
	}
	fixed := c.Apply(m)
	g := gold.Event{ID: c.EventID, Type: []string{fixed.Type}, Date: fixed.Date, Actors: fixed.Actors,
		Evidence: strings.TrimSpace(m.Sentence)}
	if fixed.DateEnd != "" {
		end := fixed.DateEnd
		g.DateEnd = &end
	}
	for _, p := range fixed.Places {
		g.Places = append(g.Places, p.Name)
	}
	l.Required = append(l.Required, g)
	return l
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// fileName names the files of one report of a corrected event.
func fileName(eventID, articleID string) string {
	a := unsafeName.ReplaceAllString(articleID, "-")
	if len(a) > 40 {
		a = a[:40]
	}
	return "correction-" + unsafeName.ReplaceAllString(eventID, "-") + "-" + a
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
