// Package wait lets a test wait for a condition by polling it, instead of
// sleeping and hoping: the one checkFor-style helper of Dateline's tests.
package wait

import (
	"testing"
	"time"
)

// Poll intervals of For: the first poll comes after minInterval, and the
// interval doubles up to maxInterval, so a condition that holds soon is
// seen soon and a long wait does not busy a loaded machine.
const (
	minInterval = 5 * time.Millisecond
	maxInterval = 50 * time.Millisecond
)

// For calls cond until it returns nil, and fails t with cond's last error
// when it has not by the time timeout has passed. cond is called at least
// once, and once more after the deadline, so a condition that becomes
// true while the test was descheduled still passes. For calls t.Fatalf:
// call it from the test's own goroutine.
func For(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	interval := minInterval
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met in %v: %v", timeout, err)
			return // for a testing.TB whose Fatalf returns
		}
		time.Sleep(interval)
		interval = min(2*interval, maxInterval)
	}
}
