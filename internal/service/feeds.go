package service

import (
	"context"
	"fmt"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/poller"
)

// feedManager serves the feed endpoints: config feeds are read-only, feeds
// added at run time live in the feeds bucket, status comes from the local
// poller or, in a process without one, from the shared feed state.
type feedManager struct {
	config []feedlist.Feed
	store  *feedlist.Store
	poller *poller.Poller  // nil when this process does not poll
	states *poller.KVState // shared state, for processes without a poller
}

var _ api.Feeds = (*feedManager)(nil)

func (m *feedManager) List(ctx context.Context) ([]feedlist.Feed, error) {
	stored, err := m.store.List(ctx)
	if err != nil {
		return nil, err
	}
	return feedlist.Merge(m.config, stored), nil
}

func (m *feedManager) Status(ctx context.Context) ([]poller.FeedStatus, error) {
	if m.poller != nil {
		return m.poller.Status(), nil
	}
	feeds, err := m.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]poller.FeedStatus, 0, len(feeds))
	for _, f := range feeds {
		st, ok, err := m.states.Load(ctx, f.URL)
		if err != nil {
			return nil, err
		}
		if !ok {
			st = poller.State{}
		}
		fs := poller.StatusOf(f, st)
		out = append(out, fs)
	}
	return out, nil
}

func (m *feedManager) Add(ctx context.Context, f feedlist.Feed) error {
	for _, c := range m.config {
		if c.URL == f.URL {
			return nil // already polled
		}
	}
	return m.store.Put(ctx, f)
}

func (m *feedManager) Remove(ctx context.Context, id string) (bool, error) {
	for _, c := range m.config {
		if feedlist.ID(c.URL) == id {
			return true, api.ErrConfigFeed
		}
	}
	return m.store.Delete(ctx, id)
}

// watchFeeds keeps the local poller's list equal to the config feeds plus
// the stored ones until ctx is done.
func (m *feedManager) watchFeeds(ctx context.Context) error {
	err := m.store.Watch(ctx, func(stored []feedlist.Feed) {
		m.poller.SetFeeds(feedlist.Merge(m.config, stored))
	})
	if err != nil {
		return fmt.Errorf("watch feed list: %w", err)
	}
	return nil
}
