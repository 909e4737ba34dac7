package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dateline/dateline/internal/service"
)

const streamsUsage = "usage: dateline streams migrate [--config FILE] [--nats URL[,URL…]] [--data DIR] [--dry-run]"

// streamsCmd runs "dateline streams migrate": it applies the config's
// nats.replicas and nats.streams.* to the existing streams and buckets and
// prints each setting it changed (or, with --dry-run, would change).
func streamsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "migrate" {
		fmt.Fprintln(stderr, streamsUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("streams migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	natsURL := fs.String("nats", "", "external NATS URL or comma-separated seeds (overrides nats.url)")
	dataDir := fs.String("data", "", "data directory of the embedded NATS, when no NATS URL is set (overrides data_dir)")
	dryRun := fs.Bool("dry-run", false, "print what would change, change nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, streamsUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfigWithStore(*cfgPath, *natsURL, *dataDir)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	changes, err := service.MigrateStreams(ctx, cfg, *dryRun)
	if err != nil {
		return err
	}
	verb := "changed"
	if *dryRun {
		verb = "would change"
	}
	for _, c := range changes {
		fmt.Fprintf(stdout, "%s %s: %s %s -> %s\n", verb, c.What, c.Setting, c.Have, c.Want)
	}
	if len(changes) == 0 {
		fmt.Fprintln(stdout, "streams and buckets already match the configuration")
	}
	return nil
}
