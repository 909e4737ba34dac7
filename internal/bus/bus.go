package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Stream and bucket names. The streams are the source of truth; the Bleve
// index is a view rebuilt from EVENTS.
const (
	// ArticlesStream holds one message per article, subject articles.<id>.
	ArticlesStream = "ARTICLES"
	// EventsStream holds one event.Set per article, subject events.<id>.
	EventsStream = "EVENTS"
	// DeadStream holds messages a stage gave up on, with the reason.
	DeadStream = "DEADLETTER"
	// FeedStateBucket holds per-feed poll state.
	FeedStateBucket = "feed_state"
	// FeedLeaseBucket holds short-lived claims so one poller polls a feed.
	FeedLeaseBucket = "feed_lease"
	// FeedsBucket holds feeds added through the API.
	FeedsBucket = "feeds"
	// SearchesBucket holds saved searches.
	SearchesBucket = "searches"
)

// Bus is a connection to NATS with JetStream. Close releases it.
type Bus struct {
	// NC is the core NATS connection.
	NC *nats.Conn
	// JS is the JetStream API on NC.
	JS jetstream.JetStream
	// closed is closed once NC is closed (after a drain).
	closed chan struct{}
}

// pingInterval and maxPingsOut bound how long a connection to a server
// that went silent (a network partition) lasts: about 15 s.
const (
	pingInterval = 5 * time.Second
	maxPingsOut  = 3
)

// drainWait bounds how long Close waits for the drain to finish.
const drainWait = 10 * time.Second

// Connect dials url (one URL or comma-separated seeds, without
// credentials beyond those in the URLs), or the in-process server ns when
// ns is not nil. Dial takes credentials and TLS too.
func Connect(ctx context.Context, url string, ns *server.Server, name string) (*Bus, error) {
	return connect(ctx, url, ns, name, slog.Default(), nil)
}

func connect(_ context.Context, url string, ns *server.Server, name string, log *slog.Logger, extra []nats.Option) (*Bus, error) {
	closed := make(chan struct{})
	opts := []nats.Option{
		nats.Name(name),
		nats.ClosedHandler(func(*nats.Conn) { close(closed) }),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500 * time.Millisecond),
		// A server cut off the network sends no reset: pings find it out
		// within pingInterval*maxPingsOut, instead of the client default
		// of minutes, and the client moves to another server.
		nats.PingInterval(pingInterval),
		nats.MaxPingsOutstanding(maxPingsOut),
		nats.ErrorHandler(errorHandler(log)),
	}
	opts = append(opts, extra...)
	if ns != nil {
		opts = append(opts, nats.InProcessServer(ns))
		url = ""
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", redact(url), err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream on %s: %w", redact(url), err)
	}
	return &Bus{NC: nc, JS: js, closed: closed}, nil
}

// SetLogger sends the connection's asynchronous errors to log instead of
// the default logger.
func (b *Bus) SetLogger(log *slog.Logger) { b.NC.SetErrorHandler(errorHandler(log)) }

func errorHandler(log *slog.Logger) nats.ErrHandler {
	return func(_ *nats.Conn, sub *nats.Subscription, err error) {
		subject := ""
		if sub != nil {
			subject = sub.Subject
		}
		// A watch whose consumer went away while shutting down is not news.
		if errors.Is(err, nats.ErrConsumerNotFound) || errors.Is(err, nats.ErrConnectionClosed) {
			log.Debug("nats: async error", "subject", subject, "err", err)
			return
		}
		log.Warn("nats: async error", "subject", subject, "err", err)
	}
}

// Close drains the connection (pending publishes and acks are flushed,
// subscriptions end) and returns once it is closed, so that an embedded
// server can be shut down after it without cutting the drain short.
func (b *Bus) Close() {
	if err := b.NC.Drain(); err != nil {
		b.NC.Close()
	}
	t := time.NewTimer(drainWait)
	defer t.Stop()
	select {
	case <-b.closed:
	case <-t.C:
		b.NC.Close()
	}
}

// Setup declares the streams and buckets with the default limits and
// replicas, creating or updating them, so every role can rely on them.
// replicas is 1 for a single server. A service declares its configured
// settings with Declare instead, which refuses to change what exists.
func (b *Bus) Setup(ctx context.Context, replicas int) error {
	_, err := b.Migrate(ctx, DefaultSettings(replicas))
	return err
}

// KV opens a bucket declared by Setup.
func (b *Bus) KV(ctx context.Context, bucket string) (jetstream.KeyValue, error) {
	kv, err := b.JS.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", bucket, err)
	}
	return kv, nil
}

// Ready reports whether the connection is up and the streams exist.
func (b *Bus) Ready(ctx context.Context) error {
	if !b.NC.IsConnected() {
		return errors.New("nats: not connected")
	}
	for _, s := range []string{ArticlesStream, EventsStream} {
		if _, err := b.JS.Stream(ctx, s); err != nil {
			return fmt.Errorf("stream %s: %w", s, err)
		}
	}
	return nil
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", p, err)
	}
	return host, port, nil
}
