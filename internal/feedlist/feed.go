package feedlist

import "time"

// Feed is one feed to poll: the model the poller polls, the API adds and
// lists, and the feed list stores (as JSON) and writes as OPML. URL
// identifies it, even after a permanent redirect moves the place it is
// fetched from.
type Feed struct {
	// URL is the feed's URL as configured.
	URL string `json:"url"`
	// Name is a human name, copied to each article's FeedName.
	Name string `json:"name,omitempty"`
	// Locale is a hint for ambiguous dates, copied to each article.
	Locale string `json:"locale,omitempty"`
	// FullText asks for each new item's page to be fetched and its main
	// text extracted, for feeds that carry only summaries.
	FullText bool `json:"full_text,omitempty"`
	// Interval overrides the poller's default interval (poller.Options.Interval)
	// for this feed; 0 = the default.
	Interval time.Duration `json:"interval,omitempty"`
}
