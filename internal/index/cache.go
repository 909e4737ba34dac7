package index

import (
	"encoding/json"
	"sync"
)

// cacheSize bounds the entries of one cache within one index generation.
const cacheSize = 64

// genCache keeps values computed at one generation of the index
// (Index.gen, advanced by every Apply): the first put of a newer
// generation drops the older entries. Values are shared: callers copy
// what they hand out.
type genCache[V any] struct {
	mu  sync.Mutex // guards gen and m
	gen uint64
	m   map[string]V
}

func (c *genCache[V]) get(key string, gen uint64) (v V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return v, false
	}
	v, ok = c.m[key]
	return v, ok
}

func (c *genCache[V]) put(key string, gen uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return // computed before a later Apply: stale already
	}
	if c.gen != gen || c.m == nil || len(c.m) >= cacheSize {
		c.gen, c.m = gen, make(map[string]V)
	}
	c.m[key] = v
}

// selectionKey identifies the events q selects, whatever their order,
// page or presentation.
func selectionKey(q Query) string {
	q.Sort, q.Cursor, q.Limit, q.Facets, q.Highlight, q.Timeout = "", "", 0, false, false, 0
	raw, _ := json.Marshal(q)
	return string(raw)
}
