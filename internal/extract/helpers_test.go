package extract

import (
	"fmt"
	"strconv"
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

func itoa(n int) string { return strconv.Itoa(n) }

func fmtRatio(a, b int) string { return fmt.Sprintf("%d/%d", a, b) }

func fmtF(f float64) string { return fmt.Sprintf("%.3f", f) }

// gazetteerPlace reports whether name is a country or place of the
// gazetteer; places read from the text alone have no coordinates.
func gazetteerPlace(x *Extractor, name string) bool {
	for _, e := range x.entities {
		if e.name == name && (e.kind == entPlace || e.kind == entCountry) {
			return true
		}
	}
	return false
}
