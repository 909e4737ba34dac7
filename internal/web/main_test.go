package web_test

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
)

// skippedForChromium counts the browser tests skipped because no Chromium
// was found.
var skippedForChromium atomic.Int32

// TestMain says, after the tests, how many browser tests were skipped for
// want of Chromium and how to install it. go test shows a passing
// package's output only with -v, so the note also goes to the terminal
// when there is one: a user of plain `go test ./...` sees it.
func TestMain(m *testing.M) {
	code := m.Run()
	if n := skippedForChromium.Load(); n > 0 {
		note := fmt.Sprintf("internal/web: %d browser tests skipped: %s (or set DATELINE_CHROMIUM to its path)\n", n, noChromium)
		fmt.Fprint(os.Stderr, note)
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, note)
			tty.Close()
		}
	}
	os.Exit(code)
}
