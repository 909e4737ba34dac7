package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// supervisor runs the service's roles and restarts one that stops on its
// own. An unexpected stop (an error, a nil return or a panic while the
// role's context is still live) is logged as an error with the role's
// name, counted in dateline_role_restarts_total, and makes the role not
// ready (Ready) until its restart has run for healthyAfter without
// stopping; restarts are spaced by capped exponential backoff with jitter.
// A return after the context is done is a clean stop. Safe for concurrent
// use.
type supervisor struct {
	log *slog.Logger
	// minBackoff and maxBackoff bound the wait before a restart; it
	// doubles with each stop in a row and falls back to minBackoff once a
	// run lasted stableAfter.
	minBackoff, maxBackoff time.Duration
	// healthyAfter is how long a restarted run must last before the role
	// is ready again.
	healthyAfter time.Duration
	// stableAfter is how long a run must last to reset the backoff.
	stableAfter time.Duration

	restarts *prometheus.CounterVec
	up       *prometheus.GaugeVec

	mu sync.Mutex // guards down
	// down holds each role that is not ready, with why it stopped last.
	down map[string]error
}

func newSupervisor(log *slog.Logger) *supervisor {
	return &supervisor{
		log:        log,
		minBackoff: 100 * time.Millisecond, maxBackoff: 30 * time.Second,
		healthyAfter: time.Second, stableAfter: time.Minute,
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_role_restarts_total",
			Help: "Times a role stopped on its own and was restarted.",
		}, []string{"role"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dateline_role_up",
			Help: "Whether a role is running (1) or stopped and waiting to be restarted (0).",
		}, []string{"role"}),
		down: map[string]error{},
	}
}

// collectors are the supervisor's metrics, for the service's registry.
func (sv *supervisor) collectors() []prometheus.Collector {
	return []prometheus.Collector{sv.restarts, sv.up}
}

// run runs role until ctx is done, restarting it whenever it stops on its
// own. before, if not nil, is called before each restart (not before the
// first run); an error from it counts as a stop. run blocks; the caller
// owns the goroutine.
func (sv *supervisor) run(ctx context.Context, role string, fn func(context.Context) error, before func(context.Context) error) {
	sv.restarts.WithLabelValues(role).Add(0)
	backoff := sv.minBackoff
	for attempt := 0; ; attempt++ {
		sv.up.WithLabelValues(role).Set(1)
		start := time.Now()
		healthy := time.AfterFunc(sv.healthyAfter, func() { sv.setDown(role, start, nil) })
		err := protect(ctx, attempt, fn, before)
		healthy.Stop()
		if ctx.Err() != nil {
			sv.setDown(role, time.Time{}, nil)
			return
		}
		if err == nil {
			err = errors.New("returned while it should run")
		}
		sv.up.WithLabelValues(role).Set(0)
		sv.setDown(role, time.Time{}, err)
		sv.restarts.WithLabelValues(role).Inc()
		if time.Since(start) >= sv.stableAfter {
			backoff = sv.minBackoff
		}
		wait := jitter(backoff)
		sv.log.Error("role stopped; restarting", "role", role, "err", err, "restart_in", wait)
		backoff = min(2*backoff, sv.maxBackoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			sv.setDown(role, time.Time{}, nil)
			return
		case <-t.C:
		}
	}
}

// protect calls before (on restarts) and fn, turning a panic into an error.
func protect(ctx context.Context, attempt int, fn, before func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	if attempt > 0 && before != nil {
		if err := before(ctx); err != nil {
			return fmt.Errorf("prepare restart: %w", err)
		}
	}
	return fn(ctx)
}

// jitter returns a duration between d/2 and d.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

// setDown records role as down with err, or, when err is nil, as up. A
// nil err with a non-zero since marks it up only if it went down before
// since (a run that became healthy must not clear a later stop).
func (sv *supervisor) setDown(role string, since time.Time, err error) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if err != nil {
		sv.down[role] = &stopError{at: time.Now(), err: err}
		return
	}
	if prev, ok := sv.down[role].(*stopError); ok && !since.IsZero() && prev.at.After(since) {
		return
	}
	delete(sv.down, role)
}

// stopError is why a role last stopped, and when.
type stopError struct {
	at  time.Time
	err error
}

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }

// Ready returns an error naming every role that stopped and has not yet
// run for healthyAfter since its restart, or nil.
func (sv *supervisor) Ready(context.Context) error {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if len(sv.down) == 0 {
		return nil
	}
	roles := make([]string, 0, len(sv.down))
	for r, err := range sv.down {
		first, _, _ := strings.Cut(err.Error(), "\n") // not a panic's stack
		roles = append(roles, fmt.Sprintf("%s: %s", r, first))
	}
	slices.Sort(roles)
	return fmt.Errorf("roles restarting: %s", strings.Join(roles, "; "))
}
