// Package bustest starts a real in-process NATS JetStream server for tests,
// on a temporary store, with the Dateline streams declared.
package bustest

import (
	"context"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
)

// New starts an embedded server with its store under t.TempDir() (or dir,
// when not empty), connects to it and declares the streams. Both are
// closed when the test ends.
func New(t testing.TB, dir string) *bus.Bus {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: dir})
	if err != nil {
		t.Fatalf("start embedded nats: %v", err)
	}
	b, err := bus.Connect(ctx, "", ns, t.Name())
	if err != nil {
		ns.Shutdown()
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() {
		b.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	if err := b.Setup(ctx, 1); err != nil {
		t.Fatalf("setup streams: %v", err)
	}
	return b
}
