package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dateline/dateline/internal/alert"
)

// alertsCmd runs "dateline alerts test [--config FILE] NAME": it sends a
// sample message to each destination of the named rule and prints each
// result. It fails when the rule is unknown, invalid, or any send failed.
func alertsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stderr, "usage: dateline alerts test [--config FILE] NAME")
		return errUsage
	}
	fs := flag.NewFlagSet("alerts test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: dateline alerts test [--config FILE] NAME")
		return errUsage
	}
	name := fs.Arg(0)
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	for _, rule := range cfg.Alerts {
		if rule.Name != name {
			continue
		}
		results, err := alert.SendTest(ctx, rule, alert.Options{
			PublicURL:            cfg.PublicURL,
			AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
			Env:                  os.LookupEnv,
		})
		if err != nil {
			return fmt.Errorf("invalid alert:\n%w", err)
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
			return fmt.Errorf("alert %q: %d of %d destinations failed", name, failed, len(results))
		}
		return nil
	}
	return fmt.Errorf("no alert named %q in the configuration", name)
}
