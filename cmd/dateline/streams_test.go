package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
)

// TestStreamsMigrate: "streams migrate --dry-run" prints the settings that
// differ and changes nothing, "streams migrate" applies them, a second run
// finds nothing to do, and a bad limit is refused naming the key.
func TestStreamsMigrate(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	}()
	b, err := bus.Connect(ctx, ns.ClientURL(), nil, "setup")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Setup(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "dateline.yaml")
	if err := os.WriteFile(cfg, []byte("nats:\n  streams:\n    events:\n      max_age: 8760h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--dry-run"}, 0, "would change stream EVENTS: max_age none -> 8760h0m0s\n"},
		{[]string{"--dry-run"}, 0, "would change stream EVENTS: max_age none -> 8760h0m0s\n"},
		{nil, 0, "changed stream EVENTS: max_age none -> 8760h0m0s\n"},
		{nil, 0, "streams and buckets already match the configuration\n"},
	}
	for i, s := range steps {
		args := append([]string{"streams", "migrate", "--config", cfg, "--nats", ns.ClientURL()}, s.args...)
		code, out, errs := runCLI(t, "", args...)
		if code != s.code || out != s.out {
			t.Errorf("step %d %v: exit %d, stdout %q, stderr %q; want exit %d, %q", i, s.args, code, out, errs, s.code, s.out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("nats:\n  streams:\n    events:\n      max_bytes: -5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "streams", "migrate", "--config", bad, "--nats", ns.ClientURL())
	if code != 1 || !strings.Contains(errs, "bad.yaml:4: nats.streams.events.max_bytes: must not be negative") {
		t.Errorf("bad limit: exit %d, stderr %q; want 1 naming the key", code, errs)
	}
}
