package alert

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/wait"
)

// BenchmarkAlertLatency measures, at 100 matching events a second, the
// time from an event set being published on EVENTS to the webhook POST
// reaching the receiver: consume, match (query on the in-memory index),
// claim in KV, dispatch, sign and post. It reports p50 and p99.
func BenchmarkAlertLatency(b *testing.B) {
	bs := bustest.New(b, "")
	var mu sync.Mutex // guards sent and lat
	sent := map[string]time.Time{}
	var lat []time.Duration
	rc := newReceiver(b, func(_ int, w http.ResponseWriter, r *http.Request) {})
	rc.respond = func(n int, w http.ResponseWriter, _ *http.Request) {
		now := time.Now()
		var p webhookPayload
		if err := json.Unmarshal(rc.requests()[n-1].Body, &p); err != nil {
			b.Error(err)
			return
		}
		mu.Lock()
		lat = append(lat, now.Sub(sent[p.Data.Events[0].Sources[0].EventID]))
		mu.Unlock()
	}
	r := rule("arms", `shells +russia`, webhookDest(rc.URL))
	r.Types = []string{"arms_transfer"}
	opts := testOptions(&syncBuffer{})
	opts.Limits = nil // the production default for webhooks
	opts.Timeout = 10 * time.Second
	startAlerter(b, bs, []config.Alert{r}, opts)

	const every = 10 * time.Millisecond // 100 events a second
	start := time.Now()
	i := 0
	for b.Loop() {
		if wait := time.Until(start.Add(time.Duration(i) * every)); wait > 0 {
			time.Sleep(wait) // pacing the load, not waiting for a result
		}
		e := happening(i)
		mu.Lock()
		sent[e.ID] = time.Now()
		mu.Unlock()
		publish(b, bs, setOf(e))
		i++
	}
	b.StopTimer()
	wait.For(b, 30*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(lat) < i {
			return fmt.Errorf("%d of %d alerts arrived", len(lat), i)
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
