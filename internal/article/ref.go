package article

import "github.com/dateline/dateline/internal/event"

// Ref is the reference to a that every event read from it carries: its
// id, link, title, feed (the feed's name, else its URL) and published
// time in UTC.
func (a Article) Ref() event.ArticleRef {
	name := a.FeedName
	if name == "" {
		name = a.Feed
	}
	return event.ArticleRef{ID: a.ID, URL: a.URL, Title: a.Title, Feed: name, Published: a.Published.UTC()}
}
