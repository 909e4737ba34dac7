package index

import (
	"context"
)

// Resolve returns the id of the event that id names now: id itself for a
// merged event, the merged event holding a member event of that id, or
// the merged event that absorbed an event of that id when reports of one
// happening that first stood apart were joined (its FormerIDs). moved
// reports that the current id differs from id, so an HTTP handler can
// redirect (GET /api/v1/events/{old} to the current event). found is
// false when no event has or had that id. It is safe for concurrent use.
func (ix *Index) Resolve(ctx context.Context, id string) (current string, moved, found bool, err error) {
	e, found, err := ix.Get(ctx, id)
	if err != nil || !found {
		return "", false, found, err
	}
	return e.ID, e.ID != id, true, nil
}
