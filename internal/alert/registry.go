package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/dateline/dateline/internal/rules"
	"log/slog"
	"sort"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// registry holds the compiled rules: those of the config file, fixed, and
// those added through the API, kept in step with RulesBucket by watch.
// It is safe for concurrent use.
type registry struct {
	env func(string) (string, bool)
	// types are the event types rules may name (nil: the built-in rules').
	types rules.Catalog

	mu     sync.RWMutex // guards the maps below
	config map[string]*compiled
	api    map[string]*compiled
	ids    map[string]*compiled // by rule id
	dests  map[string]*dest     // by destination id
}

func newRegistry(rs []Rule, env func(string) (string, bool), types rules.Catalog) (*registry, error) {
	g := &registry{env: env, types: types, config: map[string]*compiled{}, api: map[string]*compiled{}}
	var errs []error
	for i, r := range rs {
		c, err := compile(r, env, types)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := g.config[r.Name]; dup {
			errs = append(errs, &RuleError{Rule: r.Name, Field: "name", Msg: fmt.Sprintf("used by another alert (alerts.%d)", i)})
			continue
		}
		c.Source = "config"
		g.config[r.Name] = c
	}
	g.reindex()
	return g, errors.Join(errs...)
}

// reindex rebuilds ids and dests; the caller holds mu or owns g.
func (g *registry) reindex() {
	g.ids, g.dests = map[string]*compiled{}, map[string]*dest{}
	for _, m := range []map[string]*compiled{g.api, g.config} { // config wins
		for _, c := range m {
			g.ids[c.id] = c
			for _, d := range c.dests {
				g.dests[d.id] = d
			}
		}
	}
}

// all returns every rule, config rules first, by name.
func (g *registry) all() []*compiled {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]*compiled, 0, len(g.config)+len(g.api))
	for i, m := range []map[string]*compiled{g.config, g.api} {
		start := len(out)
		for name, c := range m {
			if i == 1 && g.config[name] != nil {
				continue
			}
			out = append(out, c)
		}
		sort.Slice(out[start:], func(i, j int) bool { return out[start+i].Name < out[start+j].Name })
	}
	return out
}

func (g *registry) byID(id string) *compiled {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.ids[id]
}

func (g *registry) byName(name string) *compiled {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if c := g.config[name]; c != nil {
		return c
	}
	return g.api[name]
}

func (g *registry) dest(id string) *dest {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.dests[id]
}

// setAPI adds or replaces an API rule.
func (g *registry) setAPI(c *compiled) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c.Source = "api"
	g.api[c.Name] = c
	g.reindex()
}

// removeAPI removes the API rule stored under key (its rule id).
func (g *registry) removeAPI(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for name, c := range g.api {
		if c.id == key {
			delete(g.api, name)
		}
	}
	g.reindex()
}

// watch keeps the API rules in step with the bucket until ctx is done.
// ready is closed once the stored rules are loaded.
func (g *registry) watch(ctx context.Context, kv jetstream.KeyValue, log *slog.Logger, ready chan<- struct{}) error {
	w, err := kv.WatchAll(ctx)
	if err != nil {
		close(ready)
		return fmt.Errorf("watch %s: %w", RulesBucket, err)
	}
	defer func() { _ = w.Stop() }()
	loaded := false
	for {
		select {
		case <-ctx.Done():
			if !loaded {
				close(ready)
			}
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				if !loaded {
					close(ready)
				}
				return nil
			}
			if e == nil {
				if !loaded {
					loaded = true
					close(ready)
				}
				continue
			}
			g.apply(e, log)
		}
	}
}

func (g *registry) apply(e jetstream.KeyValueEntry, log *slog.Logger) {
	if e.Operation() != jetstream.KeyValuePut {
		g.removeAPI(e.Key())
		return
	}
	var r Rule
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		log.Error("alerter: stored rule undecodable, ignored", "key", e.Key(), "err", err)
		return
	}
	c, err := compile(r, g.env, g.types)
	if err != nil {
		log.Error("alerter: stored rule invalid, ignored", "rule", r.Name, "err", err)
		return
	}
	g.setAPI(c)
}
