package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/service"
)

const alertsUsage = "usage: dateline alerts test [--config FILE] [--nats URL] [--data DIR] NAME"

// alertsCmd runs "dateline alerts test [--config FILE] [--nats URL]
// [--data DIR] NAME": it sends a sample message to each destination of the
// named rule, from the config file or else added through the API, and
// prints each result. It fails when the rule is unknown, invalid, or any
// send failed.
func alertsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stderr, alertsUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("alerts test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	natsURL := fs.String("nats", "", "NATS URL holding the rules added through the API (overrides nats.url)")
	dataDir := fs.String("data", "", "data directory whose embedded NATS holds the rules added through the API, when no NATS URL is set (overrides data_dir)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, alertsUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	name := fs.Arg(0)
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *natsURL != "" {
		cfg.NATS.URL = *natsURL
		cfg.FromFlag("nats.url", "--nats")
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
		cfg.FromFlag("data_dir", "--data")
	}
	rule, source, err := service.FindAlert(ctx, cfg, name)
	if err != nil {
		return err
	}
	results, err := alert.SendTest(ctx, rule, alert.Options{
		PublicURL:            cfg.PublicURL,
		AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
		Env:                  os.LookupEnv,
	})
	if err != nil {
		return fmt.Errorf("invalid alert %q (%s):\n%w", name, source, err)
	}
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			fmt.Fprintf(stdout, "FAIL %s: %v\n", r.Destination, r.Err)
			continue
		}
		fmt.Fprintf(stdout, "ok   %s: HTTP %d\n", r.Destination, r.Status)
	}
	if failed > 0 {
		return fmt.Errorf("alert %q (%s): %d of %d destinations failed", name, source, failed, len(results))
	}
	return nil
}
