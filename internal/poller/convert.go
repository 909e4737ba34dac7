package poller

import (
	"encoding/hex"
	"hash/fnv"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feedlist"
)

// Article flags set by convert.
const (
	FlagFutureDate = "future_date" // published more than a day after it was fetched
	FlagBefore1990 = "before_1990" // published before 1990: probably a bad date
)

var epoch1990 = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// itemKey returns the stable article id of an item and the link it will
// carry. A GUID that is only the item's own permalink is treated as the link
// so that the same page reached through two feeds, one with GUIDs and one
// without, gets one id.
func itemKey(it *gofeed.Item, base *url.URL) (id, link string) {
	link = resolve(base, strings.TrimSpace(it.Link))
	guid := strings.TrimSpace(it.GUID)
	if isHTTPURL(guid) {
		if link == "" {
			link = guid
		}
		if article.CanonicalURL(guid) == article.CanonicalURL(link) {
			guid = ""
		}
	}
	return article.ID(guid, link, inlineText(it.Title), itemDate(it)), link
}

// itemDate is the item's published time, else its updated time, else
// zero, in the feed's own offset: the extractor reads "today" as the
// publisher's day.
func itemDate(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
		return *it.PublishedParsed
	case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
		return *it.UpdatedParsed
	}
	return time.Time{}
}

// itemDigest is a cheap digest of the item's raw fields: when it is unchanged
// since the last poll the item is skipped without conversion.
func itemDigest(it *gofeed.Item) string {
	h := fnv.New64a()
	for _, s := range []string{it.GUID, it.Link, it.Title, it.Content, it.Description, it.Published, it.Updated} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// convert turns a feed item into an Article. firstSeen is the Published time
// for an item without dates; now is the fetch time.
func convert(f feedlist.Feed, it *gofeed.Item, base *url.URL, firstSeen, now time.Time) article.Article {
	id, link := itemKey(it, base)
	a := article.Article{
		ID:        id,
		Feed:      f.URL,
		FeedName:  f.Name,
		Title:     inlineText(it.Title),
		Locale:    f.Locale,
		Fetched:   now.UTC(),
		Published: itemDate(it),
	}
	if link != "" {
		a.URL = article.CanonicalURL(link)
	}
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	a.Text = htmlToText(body)
	if a.Published.IsZero() {
		a.Published = firstSeen.UTC()
	}
	if a.Published.After(now.Add(24 * time.Hour)) {
		a.Flags = append(a.Flags, FlagFutureDate)
	}
	if a.Published.Before(epoch1990) {
		a.Flags = append(a.Flags, FlagBefore1990)
	}
	return a
}

// resolve makes ref absolute against base; it returns ref unchanged when it
// is already absolute or cannot be parsed.
func resolve(base *url.URL, ref string) string {
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
