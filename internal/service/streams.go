package service

import (
	"context"
	"fmt"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
)

// MigrateStreams applies cfg's stream settings (nats.replicas,
// nats.streams.*) to the existing streams and buckets of cfg's NATS (or of
// the embedded store under data_dir, which no running serve may hold)
// and returns what it changed; with dryRun it only returns what it would
// change. A serve refuses to start while the two differ.
func MigrateStreams(ctx context.Context, cfg config.Config, dryRun bool) ([]bus.Change, error) {
	b, done, err := openNATS(ctx, cfg, "dateline-streams-migrate")
	if err != nil {
		return nil, fmt.Errorf("open nats: %w", err)
	}
	defer done()
	if dryRun {
		return b.Diff(ctx, StreamSettings(cfg))
	}
	changes, err := b.Migrate(ctx, StreamSettings(cfg))
	if err != nil {
		return nil, fmt.Errorf("migrate streams: %w", err)
	}
	return changes, nil
}
