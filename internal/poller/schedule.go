package poller

import (
	"fmt"
	"slices"
	"time"
)

// retryAfterCap bounds how long a Retry-After may silence a feed, so a
// bogus header cannot stop polling for good.
const retryAfterCap = 7 * 24 * time.Hour

// hint is a polling interval suggested by the feed, its server or its
// publishing rhythm, with a reason for Status.
type hint struct {
	d      time.Duration
	reason string
}

// afterSuccess returns the delay before the next poll after a successful
// poll (200 or 304) and the reason: the feed's interval, lengthened by the
// longest hint (RSS ttl, sy:updatePeriod, Cache-Control max-age, Expires,
// adaptive rhythm), capped at maxInterval, plus 0–10% jitter (j in [0,1))
// so feeds drift apart.
func afterSuccess(interval, maxInterval time.Duration, j float64, hints ...hint) (time.Duration, string) {
	d, reason := interval, "interval"
	for _, h := range hints {
		if h.d > d {
			d, reason = h.d, h.reason
		}
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

// rhythm suggests polling at half the median gap between a feed's recent
// item dates (the newest 20), so a feed that publishes weekly is not polled
// every ten minutes. Fewer than 3 dated items give no hint (0).
func rhythm(dates []time.Time) time.Duration {
	slices.SortFunc(dates, func(a, b time.Time) int { return b.Compare(a) })
	dates = dates[:min(len(dates), 20)]
	if len(dates) < 3 {
		return 0
	}
	gaps := make([]time.Duration, 0, len(dates)-1)
	for i := 1; i < len(dates); i++ {
		gaps = append(gaps, dates[i-1].Sub(dates[i]))
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2] / 2
}
