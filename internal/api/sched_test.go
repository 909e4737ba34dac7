package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/httperr"
)

// clock is a settable time source for the scheduler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestScheduler(slots int) (*scheduler, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newScheduler(slots)
	s.now = c.now
	return s, c
}

// waitQueued waits until n requests are queued.
func waitQueued(t *testing.T, s *scheduler, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		got := s.queue.Len()
		s.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSchedulerLightClientFirst: with the one slot busy, a client that
// used little search time gets the slot before a heavy client that asked
// earlier.
func TestSchedulerLightClientFirst(t *testing.T) {
	s, c := newTestScheduler(1)
	ctx := context.Background()
	// The heavy client uses 3 s of search time.
	rel, _, err := s.acquire(ctx, "heavy", false, false)
	if err != nil {
		t.Fatal(err)
	}
	c.add(3 * time.Second)
	rel()

	hold, _, err := s.acquire(ctx, "other", false, false)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 2)
	var wg sync.WaitGroup
	for _, client := range []string{"heavy", "light"} {
		wg.Go(func() {
			r, _, err := s.acquire(ctx, client, false, false)
			if err != nil {
				t.Error(err)
				return
			}
			order <- client
			r()
		})
		waitQueued(t, s, map[string]int{"heavy": 1, "light": 2}[client])
	}
	hold()
	wg.Wait()
	close(order)
	if first := <-order; first != "light" {
		t.Errorf("first admitted %q, want the light client", first)
	}
}

// TestSchedulerCostlyLeavesASlot: costly searches take at most all slots
// but one, and read one index at a time, so a cheap search starts at once
// while they run.
func TestSchedulerCostlyLeavesASlot(t *testing.T) {
	s, _ := newTestScheduler(2)
	ctx := context.Background()
	rel, wide, err := s.acquire(ctx, "a", true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rel()
	if wide {
		t.Error("a costly search may read several indexes at once; want it on one core")
	}
	start := time.Now()
	_, _, err = s.acquire(ctx, "b", true, false)
	var e *httperr.Error
	if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable || e.RetryAfter < 1 {
		t.Fatalf("second costly search: %v, want 503 with Retry-After", err)
	}
	if waited := time.Since(start); waited < costlyWait/2 {
		t.Errorf("refused after %v, want a wait of about %v first", waited, costlyWait)
	}
	cheap, wide, err := s.acquire(ctx, "c", false, false)
	if err != nil {
		t.Fatalf("cheap search beside a costly one: %v", err)
	}
	if !wide {
		t.Error("a cheap search was held to one index at a time")
	}
	cheap()
}

// TestSchedulerCostlyDoesNotBlockCheap: a costly waiter at the head of
// the queue lets a cheap one behind it take a free slot.
func TestSchedulerCostlyDoesNotBlockCheap(t *testing.T) {
	s, _ := newTestScheduler(2)
	ctx := context.Background()
	c1, _, _ := s.acquire(ctx, "a", true, false)
	c2, _, _ := s.acquire(ctx, "b", false, false)
	costlyDone := make(chan error, 1)
	go func() {
		r, _, err := s.acquire(ctx, "light", true, false) // cannot start: one costly runs
		if err == nil {
			r()
		}
		costlyDone <- err
	}()
	waitQueued(t, s, 1)
	cheapDone := make(chan error, 1)
	go func() {
		r, _, err := s.acquire(ctx, "heavy", false, false)
		if err == nil {
			r()
		}
		cheapDone <- err
	}()
	waitQueued(t, s, 2)
	c2() // frees the slot the cheap one can use
	if err := <-cheapDone; err != nil {
		t.Fatalf("cheap waiter: %v", err)
	}
	c1()
	if err := <-costlyDone; err != nil {
		t.Fatalf("costly waiter: %v", err)
	}
}

// TestSchedulerCancelledWaiter: a waiter whose request goes away leaves
// the queue and the slots as they were.
func TestSchedulerCancelledWaiter(t *testing.T) {
	s, _ := newTestScheduler(1)
	rel, _, _ := s.acquire(context.Background(), "a", false, false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := s.acquire(ctx, "b", false, false)
		done <- err
	}()
	waitQueued(t, s, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	waitQueued(t, s, 0)
	rel()
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running != 0 {
		t.Errorf("%d slots held after all released", running)
	}
	r, _, err := s.acquire(context.Background(), "c", false, false)
	if err != nil {
		t.Fatal(err)
	}
	r()
}

// TestSchedulerHeavyClient: a client whose searches take far longer than
// the average is held to the heavy slots, so a light client still starts
// at once while it runs.
func TestSchedulerHeavyClient(t *testing.T) {
	s, c := newTestScheduler(2)
	ctx := context.Background()
	for range 5 {
		for client, took := range map[string]time.Duration{"slow": time.Second, "fast": 10 * time.Millisecond} {
			rel, _, err := s.acquire(ctx, client, false, false)
			if err != nil {
				t.Fatal(err)
			}
			c.add(took)
			rel()
		}
	}
	rel, _, err := s.acquire(ctx, "slow", false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rel()
	if _, _, err := s.acquire(ctx, "slow", false, false); err == nil {
		t.Fatal("a second search of the slow client started beside its first; want it held to one slot")
	}
	fast, _, err := s.acquire(ctx, "fast", false, false)
	if err != nil {
		t.Fatalf("fast client: %v", err)
	}
	fast()
}

// TestBusyRefusalHeaders: a refusal under load says when to retry.
func TestBusyRefusalHeaders(t *testing.T) {
	s := New(Options{})
	rec := httptest.NewRecorder()
	s.fail(rec, httptest.NewRequest(http.MethodGet, "/api/v1/events", nil),
		&httperr.Error{Status: http.StatusServiceUnavailable, Msg: "busy", RetryAfter: 1})
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("got %d with Retry-After %q, want 503 with 1", rec.Code, rec.Header().Get("Retry-After"))
	}
}
