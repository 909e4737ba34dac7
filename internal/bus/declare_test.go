package bus_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
)

// TestDeclareRefusesDriftMigrateApplies: Declare creates nothing over a
// stream whose settings differ from the configuration; it names each
// setting, Diff lists the same, Migrate applies them, and Declare is then
// content.
func TestDeclareRefusesDriftMigrateApplies(t *testing.T) {
	b := bustest.New(t, "") // declared with the defaults
	ctx := context.Background()
	if err := b.Declare(ctx, bus.DefaultSettings(1)); err != nil {
		t.Fatalf("Declare of the defaults over the defaults: %v", err)
	}
	want := bus.DefaultSettings(1)
	want.Events = bus.Limits{MaxAge: 365 * 24 * time.Hour, MaxBytes: 1 << 30}
	want.Dead.MaxAge = 7 * 24 * time.Hour
	err := b.Declare(ctx, want)
	var drift *bus.DriftError
	if !errors.As(err, &drift) {
		t.Fatalf("Declare = %v, want a *DriftError", err)
	}
	for _, s := range []string{
		"stream EVENTS: max_age is none on the server, the configuration says 8760h0m0s",
		"stream EVENTS: max_bytes is none on the server, the configuration says 1073741824",
		"stream DEADLETTER: max_age is 720h0m0s on the server, the configuration says 168h0m0s",
		"dateline streams migrate",
	} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("Declare error %q does not say %q", err, s)
		}
	}
	if len(drift.Changes) != 3 {
		t.Errorf("changes = %v, want 3", drift.Changes)
	}
	if got := maxAge(t, b, bus.EventsStream); got != 0 {
		t.Fatalf("Declare changed EVENTS' max_age to %v", got)
	}
	diff, err := b.Diff(ctx, want)
	if err != nil || len(diff) != 3 {
		t.Fatalf("Diff = %v, %v; want the 3 changes", diff, err)
	}
	changed, err := b.Migrate(ctx, want)
	if err != nil || len(changed) != 3 {
		t.Fatalf("Migrate = %v, %v; want the 3 changes", changed, err)
	}
	if got := maxAge(t, b, bus.EventsStream); got != 365*24*time.Hour {
		t.Errorf("after Migrate EVENTS' max_age = %v", got)
	}
	if err := b.Declare(ctx, want); err != nil {
		t.Errorf("Declare after Migrate: %v", err)
	}
}

// TestMigrateReplicasOnACluster: streams and buckets made with one
// replica on a three-node cluster are refused by a configuration of three,
// naming replicas for each, until Migrate scales them up.
func TestMigrateReplicasOnACluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node NATS cluster")
	}
	t.Parallel()
	c := bustest.NewCluster(t, 3)
	b := c.Connect(t, 0, "migrate")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := b.Declare(ctx, bus.DefaultSettings(1)); err != nil {
		t.Fatalf("Declare R1 on an empty cluster: %v", err)
	}
	err := b.Declare(ctx, bus.DefaultSettings(3))
	var drift *bus.DriftError
	if !errors.As(err, &drift) {
		t.Fatalf("Declare R3 over R1 = %v, want a *DriftError", err)
	}
	if len(drift.Changes) != 7 { // 3 streams, 4 buckets
		t.Errorf("changes = %v, want replicas of 3 streams and 4 buckets", drift.Changes)
	}
	for _, ch := range drift.Changes {
		if ch.Setting != "replicas" || ch.Have != "1" || ch.Want != "3" {
			t.Errorf("change %v, want replicas 1 -> 3", ch)
		}
	}
	if _, err := b.Migrate(ctx, bus.DefaultSettings(3)); err != nil {
		t.Fatalf("Migrate to R3: %v", err)
	}
	for _, name := range []string{bus.ArticlesStream, bus.EventsStream, bus.DeadStream, "KV_" + bus.FeedLeaseBucket} {
		s, err := b.JS.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if r := s.CachedInfo().Config.Replicas; r != 3 {
			t.Errorf("%s has %d replicas after Migrate, want 3", name, r)
		}
	}
	if err := b.Declare(ctx, bus.DefaultSettings(3)); err != nil {
		t.Errorf("Declare R3 after Migrate: %v", err)
	}
}

func maxAge(t *testing.T, b *bus.Bus, stream string) time.Duration {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo().Config.MaxAge
}
