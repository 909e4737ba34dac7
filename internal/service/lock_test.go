package service_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// TestDataDirServedOnce: a second service on the data directory of a
// running one (embedded NATS) is refused at once, naming the directory,
// and leaves the first one working; once it stops, the directory opens.
func TestDataDirServedOnce(t *testing.T) {
	t.Parallel()
	feeds := feedServer(t)
	cfg := testConfig(t, t.TempDir(), feeds)
	svc := start(t, cfg)
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	second := cfg
	second.Listen = "127.0.0.1:0"
	if svc2, err := service.Start(context.Background(), second, ex, slog.New(slog.DiscardHandler)); err == nil {
		stop(t, svc2)
		t.Fatal("a second service started on a data directory in use")
	} else if !errors.Is(err, service.ErrDataDirInUse) || !contains(err.Error(), cfg.DataDir) {
		t.Errorf("error %q, want ErrDataDirInUse naming %s", err, cfg.DataDir)
	}
	wait.For(t, 60*time.Second, func() error { return findAll(search(t, svc, "")) })
	stop(t, svc)
	svc = start(t, cfg)
	stop(t, svc)
}
