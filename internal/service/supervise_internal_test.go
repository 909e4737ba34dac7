package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/dateline/dateline/internal/wait"
)

// lockedBuffer is a log sink written from the supervisor's goroutine.
type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// restarts reads the supervisor's restart counter of role.
func restarts(t *testing.T, sv *supervisor, role string) float64 {
	t.Helper()
	var m dto.Metric
	if err := sv.restarts.WithLabelValues(role).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestSupervisorRestartsWhatStops: a role that returns an error, returns
// nil or panics while its context is live is logged with its name,
// counted, not ready until its restart has run for healthyAfter, and
// restarted (the before hook runs on restarts only); a return once the
// context is done is a clean stop, neither logged nor counted.
func TestSupervisorRestartsWhatStops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fail    func() error
		wantLog string
	}{
		{"error", func() error { return errors.New("consumer deleted") }, "consumer deleted"},
		{"nil return", func() error { return nil }, "returned while it should run"},
		{"panic", func() error { panic("boom") }, "panic: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedBuffer
			sv := newSupervisor(slog.New(slog.NewTextHandler(&logs, nil)))
			sv.minBackoff, sv.maxBackoff, sv.healthyAfter = time.Millisecond, 4*time.Millisecond, time.Second
			var runs, befores atomic.Int32
			fn := func(ctx context.Context) error {
				if runs.Add(1) <= 3 {
					return tt.fail()
				}
				<-ctx.Done()
				return ctx.Err()
			}
			before := func(context.Context) error { befores.Add(1); return nil }
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { sv.run(ctx, "extractor", fn, before); close(done) }()
			wait.For(t, 5*time.Second, func() error {
				if n := runs.Load(); n < 4 {
					return fmt.Errorf("%d runs, want 4", n)
				}
				return nil
			})
			if err := sv.Ready(ctx); err == nil || !strings.Contains(err.Error(), "extractor: ") {
				t.Errorf("Ready right after the restart = %v, want the extractor named", err)
			}
			if got := restarts(t, sv, "extractor"); got != 3 {
				t.Errorf("restarts = %v, want 3", got)
			}
			if got := befores.Load(); got != 3 {
				t.Errorf("before ran %d times, want 3 (restarts only)", got)
			}
			if l := logs.String(); strings.Count(l, `level=ERROR msg="role stopped; restarting" role=extractor`) != 3 || !strings.Contains(l, tt.wantLog) {
				t.Errorf("logs = %s, want 3 errors naming the role and %q", l, tt.wantLog)
			}
			wait.For(t, 5*time.Second, func() error { return sv.Ready(ctx) })
			cancel()
			<-done
			if got := restarts(t, sv, "extractor"); got != 3 {
				t.Errorf("restarts after a clean stop = %v, want still 3", got)
			}
			if err := sv.Ready(context.Background()); err != nil {
				t.Errorf("Ready after a clean stop = %v", err)
			}
		})
	}
}

// TestSupervisorBackoffIsCapped: the wait before a restart doubles per
// stop in a row up to maxBackoff, with jitter in [d/2, d]: twelve stops in
// a row from 1ms would wait 2s before the last restart uncapped.
func TestSupervisorBackoffIsCapped(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{time.Millisecond, 100 * time.Millisecond, 30 * time.Second} {
		for range 100 {
			if j := jitter(d); j < d/2 || j > d {
				t.Fatalf("jitter(%v) = %v, want within [%v, %v]", d, j, d/2, d)
			}
		}
	}
	sv := newSupervisor(slog.New(slog.DiscardHandler))
	sv.minBackoff, sv.maxBackoff = time.Millisecond, 8*time.Millisecond
	var stamps []time.Time
	ctx, cancel := context.WithCancel(context.Background())
	sv.run(ctx, "poller", func(context.Context) error {
		stamps = append(stamps, time.Now())
		if len(stamps) == 13 {
			cancel()
		}
		return errors.New("down")
	}, nil)
	for i := 1; i < len(stamps); i++ {
		if gap := stamps[i].Sub(stamps[i-1]); gap > 500*time.Millisecond {
			t.Errorf("restart %d came after %v: backoff not capped at 8ms", i, gap)
		}
	}
}
