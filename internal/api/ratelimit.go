package api

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clientLimiter bounds the request rate of each client address, so that a
// few clients in a tight loop cannot take the CPU from everyone else.
// Behind a reverse proxy every request comes from the proxy: raise the
// limit or switch it off there.
type clientLimiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex // guards clients and swept
	clients map[string]*clientRate
	swept   time.Time
}

type clientRate struct {
	lim    *rate.Limiter
	seen   time.Time
	parked int // refused requests being held back (see check)
}

// maxParked is how many refused requests of one client are held back at
// once; past it refusals are answered at once.
const maxParked = 4

// maxHold is the longest a refused request is held back.
const maxHold = time.Second

// newClientLimiter allows perSecond requests a second per client address,
// with bursts of twice that; perSecond <= 0 returns nil (no limit).
func newClientLimiter(perSecond float64) *clientLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &clientLimiter{rate: rate.Limit(perSecond), burst: max(1, int(2*perSecond)), clients: map[string]*clientRate{}}
}

// check reports whether the client of r may make a request now. When it
// may not, it returns how long the client should wait and a hold: the
// caller holds the refusal back for that long (at most maxHold) before
// answering 429, then calls the hold's release. A client that ignores
// 429 and loops is thus slowed to the pace of its own refusals instead of
// taking the CPU with them; at most maxParked refusals per client are
// held, so holding costs a few parked goroutines per client.
func (c *clientLimiter) check(r *http.Request) (ok bool, retry, hold time.Duration, release func()) {
	host := clientKey(r)
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.swept) > time.Minute { // forget clients idle for a minute
		for k, v := range c.clients {
			if now.Sub(v.seen) > time.Minute && v.parked == 0 {
				delete(c.clients, k)
			}
		}
		c.swept = now
	}
	cr := c.clients[host]
	if cr == nil {
		cr = &clientRate{lim: rate.NewLimiter(c.rate, c.burst)}
		c.clients[host] = cr
	}
	cr.seen = now
	res := cr.lim.ReserveN(now, 1)
	retry = res.DelayFrom(now)
	if retry == 0 {
		return true, 0, 0, nil
	}
	res.CancelAt(now)
	if cr.parked >= maxParked {
		return false, retry, 0, func() {}
	}
	cr.parked++
	return false, retry, min(retry, maxHold), func() {
		c.mu.Lock()
		cr.parked--
		c.mu.Unlock()
	}
}

// limited reports whether path is subject to the per-client limit: the API
// and feeds are, health, metrics, the page and its assets are not.
func limited(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasSuffix(path, ".atom")
}
