package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dateline/dateline/configs"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/service"
)

// defaultConfigPath is read when --config is not given and it exists;
// otherwise the built-in copy of it is used.
const defaultConfigPath = "configs/dateline.yaml"

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	natsURL := fs.String("nats", "", "external NATS URL, or comma-separated seed URLs of a cluster (default: embedded server under the data directory)")
	node := fs.String("node", "", "name of this replica's own consumers (overrides nats.node; default: generated once into <data>/node-id)")
	roles := fs.String("roles", "", "comma-separated roles: poller,extractor,indexer,api,alerter (default: all)")
	dataDir := fs.String("data", "", "data directory (overrides data_dir)")
	listen := fs.String("listen", "", "HTTP listen address (overrides listen)")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *natsURL != "" {
		cfg.NATS.URL = *natsURL
		cfg.FromFlag("nats.url", "--nats")
	}
	if *node != "" {
		cfg.NATS.Node = *node
		cfg.FromFlag("nats.node", "--node")
	}
	if *roles != "" {
		cfg.Roles = cfg.Roles[:0]
		for r := range strings.SplitSeq(*roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				cfg.Roles = append(cfg.Roles, r)
			}
		}
		cfg.FromFlag("roles", "--roles")
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
		cfg.FromFlag("data_dir", "--data")
	}
	if *listen != "" {
		cfg.Listen = *listen
		cfg.FromFlag("listen", "--listen")
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := newLogger(stderr, cfg.LogLevel)
	ex, err := loadExtractor(cfg.Pipelines)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	svc, err := service.Start(ctx, cfg, ex, log)
	if err != nil {
		return err
	}
	roleNames := cfg.Roles
	if len(roleNames) == 0 {
		roleNames = config.Roles
	}
	log.Info("dateline started", "data_dir", cfg.DataDir, "roles", strings.Join(roleNames, ","), "feeds", svc.FeedsPolled())
	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down; interrupt again to end at once")
	case runErr = <-svc.Done():
	}
	// A second SIGINT or SIGTERM while stopping ends the process at once,
	// as it would without a handler.
	stop()
	stopping := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = errors.Join(runErr, svc.Stop(sctx))
	log.Info("dateline stopped", "took", time.Since(stopping).Round(time.Millisecond))
	return err
}

// loadConfig reads the config file (or the built-in one) and then the
// DATELINE_NATS_* environment variables over it.
func loadConfig(path string) (cfg config.Config, err error) {
	switch {
	case path != "":
		cfg, err = config.Load(path, os.LookupEnv)
	case fileExists(defaultConfigPath):
		cfg, err = config.Load(defaultConfigPath, os.LookupEnv)
	default:
		cfg, err = config.Parse("built-in dateline.yaml", configs.Default, os.LookupEnv)
	}
	if err != nil {
		return cfg, err
	}
	cfg.ApplyEnv(os.LookupEnv)
	return cfg, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// loadConfigWithStore loads the config as loadConfig does and applies the
// --nats and --data flags of the commands that open the store (empty:
// unset), recording them for messages that name where a setting came from.
func loadConfigWithStore(path, natsURL, dataDir string) (config.Config, error) {
	cfg, err := loadConfig(path)
	if err != nil {
		return cfg, err
	}
	if natsURL != "" {
		cfg.NATS.URL = natsURL
		cfg.FromFlag("nats.url", "--nats")
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
		cfg.FromFlag("data_dir", "--data")
	}
	return cfg, nil
}
