package pipelines

import (
	"fmt"
	"sync"

	"github.com/dateline/dateline/internal/rules"
)

// catalog holds the facts of the embedded event types, read once: they
// are part of the binary and never change.
var catalog = sync.OnceValues(func() (rules.Catalog, error) {
	rs, err := rules.LoadFiles(FS, "events.yaml")
	if err != nil {
		return nil, fmt.Errorf("built-in event types: %w", err)
	}
	return rs.Catalog(), nil
})

// Catalog returns the facts of the event types of the embedded
// events.yaml (label, codes, anchor, colour), in rule order: what the
// index, the exports and the API use when not given the types of other
// rules. The result is shared: do not modify it. It is safe for concurrent
// use and cheap after the first call.
func Catalog() (rules.Catalog, error) {
	return catalog()
}
