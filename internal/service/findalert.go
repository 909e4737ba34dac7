package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
)

// ErrNoAlert is FindAlert's error for a name that neither the config nor
// the rules added through the API hold.
var ErrNoAlert = errors.New("no such alert")

// Sources of a rule FindAlert returns.
const (
	FromConfig = "config" // the config file's alerts
	FromAPI    = "api"    // added through /api/v1/alerts, kept in JetStream KV
)

// FindAlert returns the alert rule named name and where it was found:
// FromConfig for a rule of cfg.Alerts, else FromAPI for one added through
// /api/v1/alerts, read from JetStream KV on cfg.NATS.URL or, when that is
// empty, from the embedded store under cfg.DataDir. The embedded store is
// opened only if it exists and no running service holds it
// (ErrDataDirInUse): an embedded server is not reachable from another
// process. No stream, bucket or rule is created or changed (starting the
// embedded server does run JetStream's own recovery and expiry on the
// store, as serve would). A name found nowhere is
// ErrNoAlert; ctx bounds starting the embedded server and the reads.
func FindAlert(ctx context.Context, cfg config.Config, name string) (config.Alert, string, error) {
	for _, a := range cfg.Alerts {
		if a.Name == name {
			return a, FromConfig, nil
		}
	}
	where := "on NATS " + cfg.NATS.URL
	if cfg.NATS.URL == "" {
		where = "in the embedded store under " + cfg.DataDir
	}
	notFound := fmt.Errorf("alert %q: %w in the configuration, nor among the rules added through the API (%s)", name, ErrNoAlert, where)
	b, done, err := openNATS(ctx, cfg, "dateline-alerts-test")
	if errors.Is(err, os.ErrNotExist) {
		return config.Alert{}, "", notFound
	}
	if err != nil {
		return config.Alert{}, "", fmt.Errorf("no alert named %q in the configuration, and the rules added through the API (%s) cannot be read: %w", name, where, err)
	}
	defer done()
	r, ok, err := storedRule(ctx, b.JS, name)
	if err != nil {
		return config.Alert{}, "", fmt.Errorf("rules added through the API (%s): %w", where, err)
	}
	if !ok {
		return config.Alert{}, "", notFound
	}
	a, err := alertOf(r)
	if err != nil {
		return config.Alert{}, "", fmt.Errorf("alert %q (%s): %w", name, where, err)
	}
	return a, FromAPI, nil
}

// openNATS connects to cfg's NATS, or starts the embedded server on the
// store under cfg.DataDir when that store exists (else os.ErrNotExist).
// done closes what was opened. name names the connection.
func openNATS(ctx context.Context, cfg config.Config, name string) (*bus.Bus, func(), error) {
	if cfg.NATS.URL != "" {
		b, err := bus.Dial(ctx, natsOptions(cfg, name, nil))
		if err != nil {
			return nil, nil, err
		}
		return b, b.Close, nil
	}
	// bus.RunEmbedded keeps its store in DataDir/nats: without it there
	// are no API rules, and nothing is created.
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "nats")); err != nil {
		return nil, nil, err
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(sctx, bus.EmbeddedOptions{Dir: cfg.DataDir, SyncInterval: cfg.NATS.SyncInterval})
	if err != nil {
		lock.Close()
		return nil, nil, err
	}
	b, err := bus.Connect(ctx, "", ns, name)
	if err != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
		lock.Close()
		return nil, nil, err
	}
	return b, func() {
		b.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
		lock.Close()
	}, nil
}

// storedRule reads the API rule named name from the rules bucket, which
// may not exist yet (no rule was ever added).
func storedRule(ctx context.Context, js jetstream.JetStream, name string) (alert.Rule, bool, error) {
	kv, err := js.KeyValue(ctx, alert.RulesBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return alert.Rule{}, false, nil
	}
	if err != nil {
		return alert.Rule{}, false, fmt.Errorf("open bucket %s: %w", alert.RulesBucket, err)
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return alert.Rule{}, false, fmt.Errorf("list bucket %s: %w", alert.RulesBucket, err)
	}
	defer keys.Stop()
	for k := range keys.Keys() {
		e, err := kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return alert.Rule{}, false, fmt.Errorf("get rule %s: %w", k, err)
		}
		var r alert.Rule
		if json.Unmarshal(e.Value(), &r) == nil && r.Name == name {
			return r, true, nil
		}
	}
	return alert.Rule{}, false, nil
}

// alertOf converts an API rule to the config form alert.SendTest takes;
// alert.FromConfig is its inverse.
func alertOf(r alert.Rule) (config.Alert, error) {
	a := config.Alert{
		Name: r.Name, Query: r.Query, Search: r.Search, Types: r.Types, Actors: r.Actors, Places: r.Places,
		Statuses: r.Statuses, MinSources: r.MinSources, MinConf: r.MinConfidence, Mode: r.Mode,
		Threshold: r.Threshold, Schedule: r.Schedule, Timezone: r.Timezone, FollowUps: r.FollowUps,
		Template: r.Template,
	}
	if r.Window != "" {
		d, err := time.ParseDuration(r.Window)
		if err != nil {
			return config.Alert{}, fmt.Errorf("window %q: %w", r.Window, err)
		}
		a.Window = config.Duration(d)
	}
	for _, d := range r.Destinations {
		a.Destinations = append(a.Destinations, config.Destination{Kind: d.Kind, URL: d.URL, Secret: d.Secret, Token: d.Token, ChatID: d.ChatID})
	}
	return a, nil
}
