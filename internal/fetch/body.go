package fetch

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ReadLimited reads r to the end but at most limit bytes; a longer stream
// fails with ErrBodyTooLarge as soon as the limit is crossed, so a
// decompression bomb never grows past limit+1 bytes in memory.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// RetryAfter parses a Retry-After header, in delay-seconds or HTTP-date
// form, into a delay from now. It returns 0 when the header is absent,
// malformed or in the past.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > math.MaxInt64/int64(time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// CacheLifetime returns how long the response says it stays fresh:
// Cache-Control max-age (s-maxage for shared caches is ignored: we are a
// private client), else Expires minus Date (or now). It returns 0 when there
// is no usable hint, including no-cache and no-store.
func CacheLifetime(h http.Header, now time.Time) time.Duration {
	for _, cc := range h.Values("Cache-Control") {
		for _, part := range strings.Split(cc, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch strings.ToLower(k) {
			case "no-cache", "no-store":
				return 0
			case "max-age":
				secs, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
				if err != nil || secs <= 0 {
					return 0
				}
				if secs > math.MaxInt64/int64(time.Second) {
					return time.Duration(math.MaxInt64)
				}
				return time.Duration(secs) * time.Second
			}
		}
	}
	exp := h.Get("Expires")
	if exp == "" {
		return 0
	}
	t, err := http.ParseTime(exp)
	if err != nil {
		return 0
	}
	base := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		base = d
	}
	if !t.After(base) {
		return 0
	}
	return t.Sub(base)
}
