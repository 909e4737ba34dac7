package extract

import (
	"fmt"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// NewDocument builds the Document that `dateline extract` and
// POST /api/v1/extract read, so both give the same events for the same
// text. published is RFC 3339 or a date (YYYY-MM-DD); empty means now. A
// time keeps its offset: "today" in a release stamped 22:45-04:00 is the
// publisher's day, not the next one in UTC. The article id is derived
// from link, else from title and the date, as the poller derives it. The
// only error is a published value that is neither form; it does not name
// the parameter, which the caller does.
func NewDocument(text, title, link, published string, now time.Time) (Document, error) {
	pub := now.UTC()
	if published != "" {
		t, err := parsePublished(published)
		if err != nil {
			return Document{}, err
		}
		pub = t
	}
	return Document{
		ArticleID: article.ID("", link, title, pub),
		Title:     title,
		Text:      text,
		URL:       link,
		Published: pub,
	}, nil
}

// parsePublished reads an RFC 3339 time or a YYYY-MM-DD date.
func parsePublished(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
}
