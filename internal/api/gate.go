package api

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// gate admits a bounded number of costly searches at once, so that
// clients sending wildcard or fuzzy queries cannot take every core from
// everyone else. A request that cannot get in within gateWait is refused
// with 503 and Retry-After.
type gate chan struct{}

// gateWait is how long a costly search waits for its turn.
const gateWait = 250 * time.Millisecond

func newGate(n int) gate { return make(gate, n) }

// acquire waits for a place; the caller must call release when done.
func (g gate) acquire(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(gateWait)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return func() { <-g }, nil
	case <-t.C:
		return nil, &Error{Status: http.StatusServiceUnavailable, Param: "q", Msg: "too many wildcard or fuzzy searches at once; retry shortly or use whole words"}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// costly reports whether a query string uses prefix or wildcard terms or
// fuzziness, the clauses whose cost grows with the vocabulary.
func costly(q string) bool { return strings.ContainsAny(q, "*?~") }
