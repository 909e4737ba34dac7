package extract

import (
	"sync"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

var (
	defaultOnce sync.Once
	defaultX    *Extractor
	defaultErr  error
)

// testExtractor returns the Extractor of the embedded rules, built once.
func testExtractor(t testing.TB) *Extractor {
	t.Helper()
	defaultOnce.Do(func() { defaultX, defaultErr = Default() })
	if defaultErr != nil {
		t.Fatalf("Default() error: %v", defaultErr)
	}
	return defaultX
}

func placeNames(ev event.Event) []string {
	out := make([]string, len(ev.Places))
	for i, p := range ev.Places {
		out[i] = p.Name
	}
	return out
}
