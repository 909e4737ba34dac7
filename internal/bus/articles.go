package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/article"
)

// Message headers Dateline sets on its own messages.
const (
	// HashHeader carries the article content hash.
	HashHeader = "Dateline-Hash"
	// FeedHeader carries the feed an article was first read from.
	FeedHeader = "Dateline-Feed"
	// ErrorHeader carries why a message was dead-lettered.
	ErrorHeader = "Dateline-Error"
)

// ArticleSubject is the subject an article with this id is stored under.
func ArticleSubject(id string) string { return "articles." + id }

// EventSubject is the subject the event set of this article is stored under.
func EventSubject(articleID string) string { return "events." + articleID }

// Articles publishes articles onto the ARTICLES stream so that each is
// stored once: an article already stored with the same content is not
// published again, whether it comes back in a later poll, after a restart,
// or through another feed. A changed article from the feed it was first
// read from replaces the stored one (an update). Safe for concurrent use,
// also by several processes on one stream: every publish is conditioned on
// what the publisher last saw under the article's subject, so the stream,
// not a look-up that may be stale by the time the publish arrives, decides
// which of two racing copies is stored.
type Articles struct {
	js     jetstream.JetStream
	stream jetstream.Stream

	mu sync.Mutex // guards seen
	// seen caches article id -> a hash known to need no publish (the stored
	// one, or one rejected as another feed's copy) to spare a request per
	// re-polled item.
	seen map[string]string
}

// maxSeen bounds the cache; it is cleared when full.
const maxSeen = 200_000

// maxAttempts bounds the conditional publishes of one Publish call. Each
// failed one means another publisher stored a version of the same article
// in between, so it is only reached when one article is changed faster
// than it can be published.
const maxAttempts = 10

// NewArticles returns a publisher on the ARTICLES stream declared by Setup.
func (b *Bus) NewArticles(ctx context.Context) (*Articles, error) {
	s, err := b.JS.Stream(ctx, ArticlesStream)
	if err != nil {
		return nil, fmt.Errorf("open stream %s: %w", ArticlesStream, err)
	}
	return &Articles{js: b.JS, stream: s, seen: map[string]string{}}, nil
}

// Publish stores a durably and returns true when it stored it: as a new
// article, or as an update from the feed the stored copy came from. It
// returns false, nil when the same article is already stored (same content,
// or first read from another feed: the first feed's copy wins).
//
// A new article costs one request: a publish that the server accepts only
// while the subject is still empty. When it is not, Publish reads the
// stored copy and either stops there (a duplicate) or publishes again on
// the condition that the stored copy is still the one it read (an update),
// retrying if another publisher got in first. So of several concurrent
// calls with the same id, from any number of processes, exactly one stores
// a new article, and no call stores over a copy it has not seen.
func (p *Articles) Publish(ctx context.Context, a article.Article) (bool, error) {
	hash := a.Hash()
	if p.known(a.ID, hash) {
		return false, nil
	}
	data, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	subj := ArticleSubject(a.ID)
	msg := nats.NewMsg(subj)
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, a.ID+"."+hash)
	msg.Header.Set(HashHeader, hash)
	msg.Header.Set(FeedHeader, a.Feed)

	var last uint64 // the sequence stored under subj, as last seen; 0: none
	for attempt := 1; ; attempt++ {
		ack, err := p.js.PublishMsg(ctx, msg, jetstream.WithExpectLastSequencePerSubject(last))
		if err == nil {
			p.remember(a.ID, hash)
			return !ack.Duplicate, nil
		}
		if IsDuplicateInProcess(err) {
			// Another publisher's copy with this very message id (same
			// article, same content) is being stored: a dedup hit. Ask
			// again once it is stored; the answer is then a duplicate ack
			// or the subject's new sequence, both handled here.
			if attempt == maxAttempts {
				return false, nil
			}
			if err := pause(ctx, time.Duration(attempt)*20*time.Millisecond); err != nil {
				return false, fmt.Errorf("store article %s: %w", a.ID, err)
			}
			continue
		}
		if !IsWrongLastSequence(err) {
			return false, fmt.Errorf("store article %s: %w", a.ID, err)
		}
		if attempt == maxAttempts {
			return false, fmt.Errorf("store article %s: overtaken by other publishers %d times: %w", a.ID, attempt, err)
		}
		stored, err := p.stream.GetLastMsgForSubject(ctx, subj)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
			last = 0 // removed since the publish was refused
			continue
		case err != nil:
			return false, fmt.Errorf("look up article %s: %w", a.ID, err)
		}
		if stored.Header.Get(HashHeader) == hash || stored.Header.Get(FeedHeader) != a.Feed {
			p.remember(a.ID, hash)
			return false, nil
		}
		last = stored.Sequence
	}
}

// IsWrongLastSequence reports whether err is the server refusing a publish
// because the subject's last sequence is not the expected one. A replicated
// stream reports it under a code of its own.
func IsWrongLastSequence(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}

// errCodeDuplicateInProcess is JetStream's "duplicate message id is in
// process" (409): a clustered stream has a message with the same id
// proposed and not yet stored.
const errCodeDuplicateInProcess jetstream.ErrorCode = 10158

// IsDuplicateInProcess reports whether err is a clustered stream refusing
// a publish because a message with the same Nats-Msg-Id is being stored:
// for a publisher that sets the id from the content, a duplicate.
func IsDuplicateInProcess(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeDuplicateInProcess
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// known reports whether hash is cached as needing no publish for id.
func (p *Articles) known(id, hash string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	cached, ok := p.seen[id]
	return ok && cached == hash
}

func (p *Articles) remember(id, hash string) {
	p.mu.Lock()
	if len(p.seen) >= maxSeen {
		clear(p.seen)
	}
	p.seen[id] = hash
	p.mu.Unlock()
}
