package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// recentCluster is a merged event the last Apply wrote, as Get would
// decode it from the index, and the index it lives in.
type recentCluster struct {
	shard   string
	event   event.Event
	members []event.Event // sorted, as stored; never modified
}

// recentClusters are the clusters the last successful Apply wrote, by
// cluster id: what Merged answers from without reading the index back.
// A map is never modified once published.
type recentClusters map[string]recentCluster

// lookup returns the merged event of cluster id in shard, a copy the
// caller owns.
func (r recentClusters) lookup(id, shard string) (event.Event, bool) {
	c, ok := r[id]
	if !ok || c.shard != shard {
		return event.Event{}, false
	}
	e := c.event
	e.Actors = slices.Clone(e.Actors)
	e.Places = slices.Clone(e.Places)
	e.Sources = slices.Clone(e.Sources)
	return e, true
}

// invalidUTF8 is how encoding/json writes a string's invalid bytes (a
// valid U+FFFD is written as is, unescaped).
var invalidUTF8 = []byte(`\ufffd`)

// asStored returns e as decoding raw, its JSON, gives it back: what Get
// returns for it. That is e itself but for Published times, which JSON
// keeps to the instant and offset (no monotonic reading, a fixed zone),
// and invalid UTF-8, which it replaces; only then is raw decoded. It
// must follow event.Event: TestMergedAnswersAsStored compares it with a
// decode.
func asStored(e event.Event, raw []byte) (event.Event, error) {
	if e.Corrected != nil || bytes.Contains(raw, invalidUTF8) {
		var out event.Event
		if err := json.Unmarshal(raw, &out); err != nil {
			return out, fmt.Errorf("decode event %s: %w", e.ID, err)
		}
		return out, nil
	}
	var err error
	if e.Article.Published, err = storedTime(e.Article.Published); err != nil {
		return e, fmt.Errorf("event %s: %w", e.ID, err)
	}
	if len(e.Sources) > 0 {
		e.Sources = slices.Clone(e.Sources)
		for i := range e.Sources {
			if e.Sources[i].Published, err = storedTime(e.Sources[i].Published); err != nil {
				return e, fmt.Errorf("event %s: %w", e.ID, err)
			}
		}
	}
	return e, nil
}

// storedTime returns t as its JSON form decodes.
func storedTime(t time.Time) (time.Time, error) {
	if t.Location() == time.UTC {
		return t.Round(0), nil // drops only the monotonic reading
	}
	raw, err := t.MarshalJSON()
	if err != nil {
		return t, err
	}
	var out time.Time
	if err := out.UnmarshalJSON(raw); err != nil {
		return t, err
	}
	return out, nil
}
