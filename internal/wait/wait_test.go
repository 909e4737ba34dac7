package wait

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// recorder is a testing.TB that records a Fatalf instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestFor(t *testing.T) {
	t.Parallel()
	t.Run("met after a few polls", func(t *testing.T) {
		t.Parallel()
		calls := 0
		r := &recorder{TB: t}
		For(r, time.Second, func() error {
			if calls++; calls < 4 {
				return errors.New("not yet")
			}
			return nil
		})
		if r.failed != "" || calls != 4 {
			t.Errorf("failed %q after %d calls, want success on the 4th", r.failed, calls)
		}
	})
	t.Run("never met names the last error", func(t *testing.T) {
		t.Parallel()
		r := &recorder{TB: t}
		start := time.Now()
		For(r, 30*time.Millisecond, func() error { return errors.New("still closed") })
		if got := time.Since(start); got < 30*time.Millisecond {
			t.Errorf("gave up after %v, want at least the timeout", got)
		}
		if want := "condition not met in 30ms: still closed"; r.failed != want {
			t.Errorf("failure %q, want %q", r.failed, want)
		}
	})
}
