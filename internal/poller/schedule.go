package poller

import (
	"fmt"
	"time"
)

// retryAfterCap bounds how long a Retry-After may silence a feed, so a
// bogus header cannot stop polling for good.
const retryAfterCap = 7 * 24 * time.Hour

// afterSuccess returns the delay before the next poll after a successful
// poll (200 or 304) and the reason: the feed's interval, lengthened by the
// feed's hint (RSS ttl, sy:updatePeriod) or the response's cache lifetime
// (Cache-Control max-age, Expires), capped at maxInterval, plus 0–10% jitter
// (j in [0,1)) so feeds drift apart.
func afterSuccess(interval, maxInterval, hint time.Duration, hintSource string, cache time.Duration, j float64) (time.Duration, string) {
	d, reason := interval, "interval"
	if hint > d {
		d, reason = hint, hintSource
	}
	if cache > d {
		d, reason = cache, "cache lifetime hint"
	}
	if limit := max(maxInterval, interval); d > limit {
		d, reason = limit, reason+" (capped)"
	}
	return d + time.Duration(j*float64(d)/10), reason
}

// afterError returns the delay before the next poll after the n-th
// consecutive failure: interval × 2^(n-1), capped at maxBackoff, minus 0–10%
// jitter (j in [0,1)) so the cap never exceeds maxBackoff. A Retry-After
// (429 and 503) longer than that wins, up to a week.
func afterError(interval, maxBackoff time.Duration, n int, retryAfter time.Duration, j float64) (time.Duration, string) {
	limit := max(maxBackoff, interval)
	d := interval
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	d -= time.Duration(j * float64(d) / 10)
	reason := fmt.Sprintf("backoff after %d error", n)
	if n != 1 {
		reason += "s"
	}
	if retryAfter > 0 {
		ra := min(retryAfter, retryAfterCap)
		if ra >= d {
			return ra, "retry-after"
		}
	}
	return d, reason
}
