package poller

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

const kvFeedPrefix = "feed."

// KVFeeds is a feed list kept in a JetStream KeyValue bucket, one key
// "feed.<hash>" per feed holding the Feed as JSON, so feeds added through
// the API are seen by every poller and survive restarts. It may share a
// bucket with KVState and KVLeaser. Safe for concurrent use.
type KVFeeds struct {
	kv jetstream.KeyValue
}

// NewKVFeeds returns the feed list in kv.
func NewKVFeeds(kv jetstream.KeyValue) *KVFeeds { return &KVFeeds{kv: kv} }

// Put adds f or replaces the feed with the same URL.
func (s *KVFeeds) Put(ctx context.Context, f Feed) error {
	f.URL = strings.TrimSpace(f.URL)
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("put feed %s: %w", f.URL, err)
	}
	if _, err := s.kv.Put(ctx, kvFeedPrefix+feedKey(f.URL), b); err != nil {
		return fmt.Errorf("put feed %s: %w", f.URL, err)
	}
	return nil
}

// Delete removes the feed with feedURL; removing an unknown feed is not an
// error.
func (s *KVFeeds) Delete(ctx context.Context, feedURL string) error {
	if err := s.kv.Delete(ctx, kvFeedPrefix+feedKey(strings.TrimSpace(feedURL))); err != nil {
		return fmt.Errorf("delete feed %s: %w", feedURL, err)
	}
	return nil
}

// List returns the feeds, sorted by URL.
func (s *KVFeeds) List(ctx context.Context) ([]Feed, error) {
	w, err := s.kv.WatchFiltered(ctx, []string{kvFeedPrefix + ">"}, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer w.Stop()
	feeds := map[string]Feed{}
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok || e == nil { // nil marks the end of the current values
				return sortedFeeds(feeds), nil
			}
			apply(feeds, e)
		case <-ctx.Done():
			return nil, fmt.Errorf("list feeds: %w", ctx.Err())
		}
	}
}

// Watch calls fn with the whole feed list once the current values are read
// and again after every change, until ctx is done; typically fn is
// Poller.SetFeeds, merged with the feeds from the config file. fn runs on
// Watch's goroutine. Watch returns ctx's error, or the watcher's.
func (s *KVFeeds) Watch(ctx context.Context, fn func([]Feed)) error {
	w, err := s.kv.WatchFiltered(ctx, []string{kvFeedPrefix + ">"})
	if err != nil {
		return fmt.Errorf("watch feeds: %w", err)
	}
	defer w.Stop()
	feeds := map[string]Feed{}
	ready := false
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return fmt.Errorf("watch feeds: watcher stopped")
			}
			if e != nil {
				apply(feeds, e)
			} else {
				ready = true
			}
			if ready {
				fn(sortedFeeds(feeds))
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// apply folds one KV entry into feeds, by key.
func apply(feeds map[string]Feed, e jetstream.KeyValueEntry) {
	if e.Operation() != jetstream.KeyValuePut {
		delete(feeds, e.Key())
		return
	}
	var f Feed
	if json.Unmarshal(e.Value(), &f) == nil && f.URL != "" {
		feeds[e.Key()] = f
	}
}

func sortedFeeds(m map[string]Feed) []Feed {
	out := make([]Feed, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Feed) int { return strings.Compare(a.URL, b.URL) })
	return out
}
