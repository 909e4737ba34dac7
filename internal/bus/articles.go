package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

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
// read from replaces the stored one (an update). Safe for concurrent use.
type Articles struct {
	js     jetstream.JetStream
	stream jetstream.Stream

	mu sync.Mutex // guards seen
	// seen caches article id -> stored hash to spare a lookup per re-polled item.
	seen map[string]string
}

// maxSeen bounds the cache; it is cleared when full.
const maxSeen = 200_000

// NewArticles returns a publisher on the ARTICLES stream declared by Setup.
func (b *Bus) NewArticles(ctx context.Context) (*Articles, error) {
	s, err := b.JS.Stream(ctx, ArticlesStream)
	if err != nil {
		return nil, fmt.Errorf("open stream %s: %w", ArticlesStream, err)
	}
	return &Articles{js: b.JS, stream: s, seen: map[string]string{}}, nil
}

// Publish stores a durably. It returns false, nil when the same article is
// already stored (same content, or first read from another feed).
func (p *Articles) Publish(ctx context.Context, a article.Article) (bool, error) {
	hash := a.Hash()
	subj := ArticleSubject(a.ID)
	p.mu.Lock()
	cached, ok := p.seen[a.ID]
	p.mu.Unlock()
	if ok && cached == hash {
		return false, nil
	}
	last, err := p.stream.GetLastMsgForSubject(ctx, subj)
	switch {
	case err == nil:
		if last.Header.Get(HashHeader) == hash || last.Header.Get(FeedHeader) != a.Feed {
			p.remember(a.ID, hash)
			return false, nil
		}
	case errors.Is(err, jetstream.ErrMsgNotFound):
	default:
		return false, fmt.Errorf("look up article %s: %w", a.ID, err)
	}
	data, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	msg := nats.NewMsg(subj)
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, a.ID+"."+hash)
	msg.Header.Set(HashHeader, hash)
	msg.Header.Set(FeedHeader, a.Feed)
	ack, err := p.js.PublishMsg(ctx, msg)
	if err != nil {
		return false, fmt.Errorf("publish article %s: %w", a.ID, err)
	}
	p.remember(a.ID, hash)
	return !ack.Duplicate, nil
}

func (p *Articles) remember(id, hash string) {
	p.mu.Lock()
	if len(p.seen) >= maxSeen {
		clear(p.seen)
	}
	p.seen[id] = hash
	p.mu.Unlock()
}
