package poller

import (
	"context"
	"maps"
	"sync"
	"time"
)

// Feed statuses, as shown in FeedStatus.Status.
const (
	StatusPending  = "pending"
	StatusOK       = "ok"
	StatusError    = "error"
	StatusDisabled = "disabled"
)

// State is what a poller remembers about one feed between polls and across
// restarts. It is keyed by the feed's configured URL.
type State struct {
	// URL is the feed's configured URL (the key).
	URL string `json:"url"`
	// MovedTo is where a permanent redirect (301/308) sent the feed; later
	// polls fetch it instead of URL.
	MovedTo string `json:"moved_to,omitempty"`
	// ETag and LastModified are the validators of the last 200 response.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Status is one of the Status* constants.
	Status string `json:"status"`
	// LastError is the last poll's error, empty after a success.
	LastError string `json:"last_error,omitempty"`
	// ErrorCount counts consecutive failed polls.
	ErrorCount int `json:"error_count,omitempty"`
	// LastPolled is when the last poll finished; LastSuccess the last one
	// that succeeded (200 or 304).
	LastPolled  time.Time `json:"last_polled,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// NextPoll is when the feed is due again and NextReason why then.
	NextPoll   time.Time `json:"next_poll,omitzero"`
	NextReason string    `json:"next_reason,omitempty"`
	// Hint is the polling interval the feed itself asked for in its body
	// (RSS ttl, sy:updatePeriod) at its last 200; HintSource names it.
	Hint       time.Duration `json:"hint,omitempty"`
	HintSource string        `json:"hint_source,omitempty"`
	// Rhythm is half the median gap between the feed's recent item dates,
	// the adaptive hint used when Options.Adaptive is set.
	Rhythm time.Duration `json:"rhythm,omitempty"`
	// Articles counts the articles this feed published that were new or
	// changed.
	Articles int `json:"articles,omitempty"`
	// Disabled stops polling (410 Gone); Poller.Enable clears it.
	Disabled bool `json:"disabled,omitempty"`
	// Seen maps the ids of the items in the last fetched copy of the feed
	// to a digest of their feed content, so unchanged items cost no
	// conversion, full-text fetch or publish on the next 200.
	Seen map[string]Seen `json:"seen,omitempty"`
}

// Seen is what State remembers about one item.
type Seen struct {
	// Digest is a digest of the item's raw fields.
	Digest string `json:"d"`
	// FirstSeen is set for items without any date, so their Published time
	// (first seen) stays stable across polls.
	FirstSeen time.Time `json:"t,omitzero"`
}

// clone returns a deep copy (Seen is a map).
func (s State) clone() State {
	s.Seen = maps.Clone(s.Seen)
	return s
}

// StateStore persists State. Implementations must be safe for concurrent
// use; ctx bounds each call. Load returns ok=false, err=nil for an unknown
// feed.
type StateStore interface {
	Load(ctx context.Context, feedURL string) (st State, ok bool, err error)
	Save(ctx context.Context, st State) error
}

// MemoryState is a StateStore in memory, for tests and single-run use.
type MemoryState struct {
	mu sync.Mutex       // guards m
	m  map[string]State // by feed URL
}

var _ StateStore = (*MemoryState)(nil)

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState { return &MemoryState{m: map[string]State{}} }

// Load returns the stored state of feedURL.
func (m *MemoryState) Load(_ context.Context, feedURL string) (State, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.m[feedURL]
	return st.clone(), ok, nil
}

// Save stores st under st.URL.
func (m *MemoryState) Save(_ context.Context, st State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[st.URL] = st.clone()
	return nil
}

// FeedStatus is the public view of one feed, for GET /api/v1/feeds.
type FeedStatus struct {
	URL        string    `json:"url"`
	Name       string    `json:"name,omitempty"`
	Status     string    `json:"status"`
	LastError  string    `json:"last_error,omitempty"`
	LastPolled time.Time `json:"last_polled,omitzero"`
	NextPoll   time.Time `json:"next_poll,omitzero"`
	// NextReason says why NextPoll is when it is ("interval", "ttl hint",
	// "backoff after 3 errors", "retry-after", …).
	NextReason  string    `json:"next_reason,omitempty"`
	Articles    int       `json:"articles"`
	ErrorCount  int       `json:"error_count,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// MovedTo is the URL a permanent redirect moved the feed to.
	MovedTo string `json:"moved_to,omitempty"`
	ETag    string `json:"etag,omitempty"`
}
