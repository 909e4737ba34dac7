// Package feedlist keeps the list of feeds added at run time (through the
// API or an OPML import) in a JetStream key-value bucket, so every poller
// sees the same list, and reads and writes that list as OPML.
package feedlist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ID is the stable id of a feed: a digest of its URL, used in
// DELETE /api/v1/feeds/{id}.
func ID(feedURL string) string {
	sum := sha256.Sum256([]byte(feedURL))
	return hex.EncodeToString(sum[:8])
}

// Validate checks a feed before it is stored, naming the field at fault.
func Validate(f Feed) error {
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url: %q is not an http(s) URL", f.URL)
	}
	if len(f.URL) > 2048 {
		return errors.New("url: longer than 2048 bytes")
	}
	if len(f.Name) > 256 {
		return errors.New("name: longer than 256 bytes")
	}
	if f.Locale != "" && !slices.Contains([]string{"en", "en-US", "en-GB"}, f.Locale) {
		return fmt.Errorf("locale: %q is not one of en, en-US, en-GB", f.Locale)
	}
	if f.Interval != 0 && f.Interval < time.Second {
		return fmt.Errorf("interval: %s is below the minimum of 1s", f.Interval)
	}
	return nil
}

// Store is the run-time feed list on a KV bucket, one key per feed id.
// Safe for concurrent use.
type Store struct {
	kv jetstream.KeyValue
}

// NewStore returns a Store on kv (the bus.FeedsBucket bucket).
func NewStore(kv jetstream.KeyValue) *Store { return &Store{kv: kv} }

// Put adds or replaces a feed.
func (s *Store) Put(ctx context.Context, f Feed) error {
	if err := Validate(f); err != nil {
		return err
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode feed %s: %w", f.URL, err)
	}
	if _, err := s.kv.Put(ctx, ID(f.URL), b); err != nil {
		return fmt.Errorf("store feed %s: %w", f.URL, err)
	}
	return nil
}

// Delete removes the feed with this id. It reports whether it existed.
func (s *Store) Delete(ctx context.Context, id string) (bool, error) {
	if _, err := s.kv.Get(ctx, id); err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrInvalidKey) {
			return false, nil
		}
		return false, fmt.Errorf("look up feed %s: %w", id, err)
	}
	if err := s.kv.Delete(ctx, id); err != nil {
		return false, fmt.Errorf("delete feed %s: %w", id, err)
	}
	return true, nil
}

// List returns every stored feed, sorted by URL.
func (s *Store) List(ctx context.Context) ([]Feed, error) {
	lister, err := s.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer func() { _ = lister.Stop() }()
	var feeds []Feed
	for key := range lister.Keys() {
		e, err := s.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read feed %s: %w", key, err)
		}
		var f Feed
		if err := json.Unmarshal(e.Value(), &f); err != nil {
			return nil, fmt.Errorf("decode feed %s: %w", key, err)
		}
		feeds = append(feeds, f)
	}
	slices.SortFunc(feeds, func(a, b Feed) int { return strings.Compare(a.URL, b.URL) })
	return feeds, nil
}

// Watch calls fn with the whole list now and after every change, until
// ctx is done. fn runs on Watch's goroutine.
func (s *Store) Watch(ctx context.Context, fn func([]Feed)) error {
	w, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watch feeds: %w", err)
	}
	defer func() { _ = w.Stop() }()
	initial := true
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return nil
			}
			if e == nil {
				initial = false // the initial values are all delivered
			}
			if initial {
				continue
			}
			feeds, err := s.List(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			fn(feeds)
		}
	}
}

// Merge returns the config feeds followed by the stored ones that the
// config does not already list.
func Merge(config, stored []Feed) []Feed {
	out := slices.Clone(config)
	have := map[string]bool{}
	for _, f := range config {
		have[f.URL] = true
	}
	for _, f := range stored {
		if !have[f.URL] {
			out = append(out, f)
			have[f.URL] = true
		}
	}
	return out
}
