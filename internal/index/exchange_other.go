//go:build !linux

package index

import (
	"fmt"
	"os"
)

// exchange swaps the directories a and b with three renames (no atomic
// exchange here): a crash between them leaves b missing, and the index
// is then rebuilt from the stream on the next start.
func exchange(a, b string) error {
	tmp := b + ".swap"
	if err := os.Rename(b, tmp); err != nil {
		return fmt.Errorf("exchange %s and %s: %w", a, b, err)
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(tmp, b)
		return fmt.Errorf("exchange %s and %s: %w", a, b, err)
	}
	if err := os.Rename(tmp, a); err != nil {
		return fmt.Errorf("exchange %s and %s: %w", a, b, err)
	}
	return nil
}
