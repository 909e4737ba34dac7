package service_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/service"
)

// TestStreamSettingsDriftRefusedThenMigrated: a service whose configured
// retention differs from the existing streams does not start, and says
// which setting and how to apply it; MigrateStreams (dateline streams
// migrate) applies it, after which the service starts.
func TestStreamSettingsDriftRefusedThenMigrated(t *testing.T) {
	t.Parallel()
	url, _ := natsOutside(t) // streams declared with the defaults
	cfg := config.Default()
	cfg.DataDir, cfg.Listen, cfg.NATS.URL = t.TempDir(), "127.0.0.1:0", url
	cfg.Roles = []string{"extractor"}
	cfg.Feeds = nil
	cfg.NATS.Streams.Articles.MaxAge = config.Duration(90 * 24 * time.Hour)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := config.Default()
	first.DataDir, first.Listen, first.NATS.URL, first.Roles, first.Feeds = t.TempDir(), "127.0.0.1:0", url, []string{"extractor"}, nil
	stop(t, start(t, first)) // the defaults: the streams exist
	svc, err := service.Start(ctx, cfg, ex, slog.New(slog.DiscardHandler))
	if err == nil {
		stop(t, svc)
		t.Fatal("started over streams whose max_age differs")
	}
	for _, s := range []string{"stream ARTICLES: max_age is none on the server, the configuration says 2160h0m0s", "dateline streams migrate"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("Start error %q does not say %q", err, s)
		}
	}
	would, err := service.MigrateStreams(ctx, cfg, true)
	if err != nil || len(would) != 1 {
		t.Fatalf("dry run = %v, %v; want the one change", would, err)
	}
	changed, err := service.MigrateStreams(ctx, cfg, false)
	if err != nil || len(changed) != 1 || changed[0].Setting != "max_age" {
		t.Fatalf("MigrateStreams = %v, %v; want max_age changed", changed, err)
	}
	stop(t, start(t, cfg))
}
