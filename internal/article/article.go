// Package article defines the Article, the unit the poller publishes and the
// extractor reads, and the rules that give every article a stable id.
package article

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Article is one feed item turned into plain text. It is the payload of a
// message on the ARTICLES stream, encoded as JSON.
type Article struct {
	// ID is stable for the same item across polls, restarts and feeds; see ID.
	ID string `json:"id"`
	// Feed is the URL of the feed the article was read from.
	Feed string `json:"feed"`
	// FeedName is the human name of that feed, if configured.
	FeedName string `json:"feed_name,omitempty"`
	// URL is the article's canonical link.
	URL string `json:"url,omitempty"`
	// Title is the item's title as plain text.
	Title string `json:"title,omitempty"`
	// Text is the article body as plain text, paragraphs separated by "\n\n".
	Text string `json:"text"`
	// Published is the item's published time, else its updated time, else
	// the time it was first seen.
	Published time.Time `json:"published"`
	// Fetched is when the poller read the item.
	Fetched time.Time `json:"fetched"`
	// Locale is the feed's locale hint for ambiguous numeric dates, such as
	// "en-US" (month first) or "en-GB" (day first). Empty means unknown.
	Locale string `json:"locale,omitempty"`
	// Flags lists oddities found while normalising, such as "future_date".
	Flags []string `json:"flags,omitempty"`
}

// Hash returns a digest of the article's content (title, URL, text and
// published time). A changed hash under the same ID is an update.
func (a Article) Hash() string {
	h := sha256.New()
	for _, s := range []string{a.Title, a.URL, a.Text, a.Published.UTC().Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ID returns the stable id of a feed item: from its GUID if it has one, else
// from its canonical link, else from a hash of its title and date. The result
// is 32 lower-case hex characters, safe as a NATS subject token.
func ID(guid, link, title string, published time.Time) string {
	var key string
	switch {
	case strings.TrimSpace(guid) != "":
		key = "guid:" + strings.TrimSpace(guid)
	case strings.TrimSpace(link) != "":
		key = "link:" + CanonicalURL(link)
	default:
		d := ""
		if !published.IsZero() {
			d = published.UTC().Format(time.RFC3339)
		}
		key = "title:" + strings.ToLower(strings.Join(strings.Fields(title), " ")) + "|" + d
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true,
	"mc_eid": true, "igshid": true, "ref": true, "ref_src": true, "cmpid": true,
	"ocid": true, "smid": true, "_ga": true, "yclid": true,
}

// CanonicalURL normalises a link so that the same page reached through
// different feeds compares equal: scheme and host lower-cased, default ports,
// fragments and tracking parameters (utm_* and the like) dropped, remaining
// query parameters sorted. A string that does not parse is returned trimmed.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" && strings.HasSuffix(u.Host, ":80")) || (u.Scheme == "https" && strings.HasSuffix(u.Host, ":443")) {
		u.Host = u.Host[:strings.LastIndexByte(u.Host, ':')]
	}
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := url.Values{}
	for _, k := range keys {
		vals[k] = q[k]
	}
	u.RawQuery = vals.Encode()
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}
