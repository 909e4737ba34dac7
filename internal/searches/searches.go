// Package searches keeps named, saved searches in a JetStream key-value
// bucket. A saved search is the query string of GET /api/v1/events; it is
// served as an Atom feed and can be the query of an alert rule.
package searches

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Search is one saved search.
type Search struct {
	// Name identifies it: lower-case letters, digits, '-' and '_'.
	Name string `json:"name"`
	// Query is the query string of GET /api/v1/events ("q=treaty&type=treaty_signing").
	Query string `json:"query"`
	// Created is when it was first saved.
	Created time.Time `json:"created"`
}

// Values returns the parsed query string.
func (s Search) Values() url.Values {
	v, _ := url.ParseQuery(s.Query)
	return v
}

// ErrNotFound is returned for an unknown name.
var ErrNotFound = errors.New("no such saved search")

var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidName reports whether name can name a saved search.
func ValidName(name string) bool { return nameRe.MatchString(name) }

// Store keeps saved searches in a KV bucket (bus.SearchesBucket), one key
// per name. It also keeps a copy of all of them in memory, refreshed by a
// watch (see Watch), for Lookup. Safe for concurrent use.
type Store struct {
	kv jetstream.KeyValue

	mu    sync.RWMutex // guards cache
	cache map[string]Search
}

// NewStore returns a Store on kv.
func NewStore(kv jetstream.KeyValue) *Store { return &Store{kv: kv, cache: map[string]Search{}} }

// Put saves s, keeping the creation time of an existing search of the
// same name.
func (s *Store) Put(ctx context.Context, se Search) error {
	if !ValidName(se.Name) {
		return fmt.Errorf("name: %q is not 1-64 lower-case letters, digits, - or _", se.Name)
	}
	if old, err := s.Get(ctx, se.Name); err == nil {
		se.Created = old.Created
	}
	b, err := json.Marshal(se)
	if err != nil {
		return fmt.Errorf("encode search %s: %w", se.Name, err)
	}
	if _, err := s.kv.Put(ctx, se.Name, b); err != nil {
		return fmt.Errorf("save search %s: %w", se.Name, err)
	}
	s.remember(se)
	return nil
}

// Get returns the saved search name, or ErrNotFound.
func (s *Store) Get(ctx context.Context, name string) (Search, error) {
	if !ValidName(name) {
		return Search{}, ErrNotFound
	}
	e, err := s.kv.Get(ctx, name)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Search{}, ErrNotFound
	}
	if err != nil {
		return Search{}, fmt.Errorf("read search %s: %w", name, err)
	}
	var se Search
	if err := json.Unmarshal(e.Value(), &se); err != nil {
		return Search{}, fmt.Errorf("decode search %s: %w", name, err)
	}
	return se, nil
}

// Delete removes name; it returns ErrNotFound for an unknown one.
func (s *Store) Delete(ctx context.Context, name string) error {
	if _, err := s.Get(ctx, name); err != nil {
		return err
	}
	if err := s.kv.Delete(ctx, name); err != nil {
		return fmt.Errorf("delete search %s: %w", name, err)
	}
	s.mu.Lock()
	delete(s.cache, name)
	s.mu.Unlock()
	return nil
}

// List returns every saved search, by name.
func (s *Store) List(ctx context.Context) ([]Search, error) {
	lister, err := s.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list searches: %w", err)
	}
	defer func() { _ = lister.Stop() }()
	var out []Search
	for key := range lister.Keys() {
		se, err := s.Get(ctx, key)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, se)
	}
	slices.SortFunc(out, func(a, b Search) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Lookup returns a saved search from the in-memory copy kept by Watch
// (and by this Store's own Puts).
func (s *Store) Lookup(name string) (Search, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	se, ok := s.cache[name]
	return se, ok
}

func (s *Store) remember(se Search) {
	s.mu.Lock()
	s.cache[se.Name] = se
	s.mu.Unlock()
}

// Watch keeps the in-memory copy equal to the bucket until ctx is done.
// ready is closed once the existing searches are loaded.
func (s *Store) Watch(ctx context.Context, ready chan<- struct{}) error {
	w, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watch searches: %w", err)
	}
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return nil
			}
			if e == nil {
				if ready != nil {
					close(ready)
					ready = nil
				}
				continue
			}
			if e.Operation() != jetstream.KeyValuePut {
				s.mu.Lock()
				delete(s.cache, e.Key())
				s.mu.Unlock()
				continue
			}
			var se Search
			if json.Unmarshal(e.Value(), &se) == nil {
				s.remember(se)
			}
		}
	}
}
