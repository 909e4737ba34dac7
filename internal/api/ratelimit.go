package api

import (
	"net"
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
	lim  *rate.Limiter
	seen time.Time
}

// newClientLimiter allows perSecond requests a second per client address,
// with bursts of twice that; perSecond <= 0 returns nil (no limit).
func newClientLimiter(perSecond float64) *clientLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &clientLimiter{rate: rate.Limit(perSecond), burst: max(1, int(2*perSecond)), clients: map[string]*clientRate{}}
}

// allow reports whether the client of r may make a request now.
func (c *clientLimiter) allow(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.swept) > time.Minute { // forget clients idle for a minute
		for k, v := range c.clients {
			if now.Sub(v.seen) > time.Minute {
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
	return cr.lim.AllowN(now, 1)
}

// limited reports whether path is subject to the per-client limit: the API
// and feeds are, health, metrics, the page and its assets are not.
func limited(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasSuffix(path, ".atom")
}
