// Package bus connects Dateline to NATS JetStream: it runs the embedded
// server, declares the streams and key-value buckets every role relies on,
// and publishes articles so that each is stored once.
package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedOptions configures the in-process NATS server.
type EmbeddedOptions struct {
	// Dir is where JetStream keeps its store.
	Dir string
	// SyncInterval is "always" (fsync every write), a Go duration, or empty
	// for the server default.
	SyncInterval string
	// Listen, if set ("127.0.0.1:4222"), also serves NATS clients on TCP;
	// empty keeps the server reachable only in-process.
	Listen string
	// Logger receives the server's warnings and errors.
	Logger *slog.Logger
}

// RunEmbedded starts a NATS server with JetStream inside this process and
// waits until it accepts connections. The caller owns it and must call
// Shutdown (and WaitForShutdown) when done.
func RunEmbedded(ctx context.Context, o EmbeddedOptions) (*server.Server, error) {
	opts := &server.Options{
		ServerName: "dateline",
		JetStream:  true,
		StoreDir:   filepath.Join(o.Dir, "nats"),
		DontListen: o.Listen == "",
		NoSigs:     true,
		NoLog:      o.Logger == nil,
		MaxPayload: 8 << 20,
	}
	if o.Listen != "" {
		host, port, err := splitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("embedded nats listen %q: %w", o.Listen, err)
		}
		opts.Host, opts.Port = host, port
	}
	switch o.SyncInterval {
	case "":
	case "always":
		opts.SyncAlways = true
	default:
		d, err := time.ParseDuration(o.SyncInterval)
		if err != nil {
			return nil, fmt.Errorf("embedded nats sync_interval %q: %w", o.SyncInterval, err)
		}
		opts.SyncInterval = d
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("start embedded nats in %s: %w", opts.StoreDir, err)
	}
	if o.Logger != nil {
		ns.SetLoggerV2(&slogAdapter{l: o.Logger.With("component", "nats")}, false, false, false)
	}
	go ns.Start()
	deadline := 30 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		deadline = time.Until(dl)
	}
	if !ns.ReadyForConnections(deadline) {
		ns.Shutdown()
		return nil, errors.New("embedded nats: not ready for connections in time")
	}
	return ns, nil
}

// slogAdapter routes the NATS server's log lines into slog.
type slogAdapter struct{ l *slog.Logger }

func (a *slogAdapter) Noticef(format string, v ...any) { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a *slogAdapter) Warnf(format string, v ...any)   { a.l.Warn(fmt.Sprintf(format, v...)) }
func (a *slogAdapter) Fatalf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a *slogAdapter) Errorf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a *slogAdapter) Debugf(format string, v ...any)  { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a *slogAdapter) Tracef(format string, v ...any)  {}
