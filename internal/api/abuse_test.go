package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

var (
	abuseWords  = strings.Fields("missile strike treaty talks sanctions protest election aid ceasefire troops drone shelling border summit minister army rebels port city capital agreement convoy")
	abuseTypes  = []string{"military_strike", "treaty_signing", "negotiation", "sanction", "protest", "election", "aid", "ceasefire"}
	abuseActors = []string{"Russia", "Ukraine", "China", "United States", "Iran", "Israel", "North Korea", "Sudan", "France", "India"}
)

// abuseIndex fills an index with n generated events (DATELINE_ABUSE_EVENTS,
// default 20,000; the reliability suite's long variant uses 1,000,000).
func abuseIndex(t testing.TB) *index.Index {
	t.Helper()
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("DATELINE_ABUSE_EVENTS")); err == nil && v > 0 {
		n = v
	}
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	rng := rand.New(rand.NewPCG(1, 2))
	var sets []event.Set
	for i := range n {
		ref := event.ArticleRef{ID: fmt.Sprintf("a%d", i), URL: fmt.Sprintf("https://x.example/%d", i), Feed: "f", Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		words := make([]string, 12)
		for j := range words {
			words[j] = abuseWords[rng.IntN(len(abuseWords))]
		}
		d := time.Date(2015+rng.IntN(11), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		sets = append(sets, event.Set{Article: ref, Events: []event.Event{{
			ID: fmt.Sprintf("e%d", i), Type: abuseTypes[rng.IntN(len(abuseTypes))], Title: strings.Join(words[:5], " "),
			Sentence: strings.Join(words, " "), Date: d.Format("2006-01-02"), Precision: event.Day, Status: event.Occurred,
			Actors: []string{abuseActors[rng.IntN(len(abuseActors))]}, Article: ref, Mentions: 1,
		}}})
		if len(sets) == 1000 || i == n-1 {
			if err := ix.Apply(context.Background(), sets, uint64(i+1)); err != nil {
				t.Fatal(err)
			}
			sets = sets[:0]
		}
	}
	return ix
}

var abusive = []string{
	"q=" + url.QueryEscape("/.*/"),
	"q=" + url.QueryEscape("*a*"),
	"q=" + url.QueryEscape("a*"),
	"q=" + url.QueryEscape("foo~2"),
	"q=" + url.QueryEscape("s* m* t* p* c*"),
	"limit=100000",
	"cursor=" + url.QueryEscape("eyJzIjpbIjk5OTk5Il0sImkiOiJ6enp6In0"),
	"q=" + strings.Repeat("treaty+", 100<<10/7),
}

// TestSearchAbuse sends each abusive query: every one gets 400, an answer,
// or — when a loaded machine makes it reach the search deadline (2 s) — a
// 503 saying it took too long, never more than a few seconds after the
// deadline; and the heap grows by less than 256 MB.
func TestSearchAbuse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,000-event index")
	}
	ix := abuseIndex(t)
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix}))
	defer srv.Close()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, q := range abusive {
		name := q[:min(len(q), 40)]
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			resp, err := http.Get(srv.URL + "/api/v1/events?" + q)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			took := time.Since(start)
			t.Logf("status %d in %v", resp.StatusCode, took.Round(time.Millisecond))
			switch resp.StatusCode {
			case http.StatusBadRequest, http.StatusOK, http.StatusRequestURITooLong, http.StatusServiceUnavailable:
			default:
				t.Errorf("status %d, want 400, an answer or 503 at the deadline", resp.StatusCode)
			}
			if took > 5*time.Second {
				t.Errorf("took %v, want the 2 s search deadline to hold (under 5 s)", took)
			}
		})
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d MB", grew>>20)
	if grew > 256<<20 {
		t.Errorf("heap grew by %d MB", grew>>20)
	}
}

// BenchmarkSearchUnderAbuse measures normal queries (two words, a year,
// limit 20) from one client while 50 other clients, each from its own
// loopback address, send abusive ones in a tight loop; it reports the
// normal queries' p50 and p99, and what the abusers got per second by
// status. The server runs with a per-client rate limit of 20 requests a
// second; the normal client sends 15.
//
//	go test ./internal/api -run '^$' -bench SearchUnderAbuse -benchtime 150x
func BenchmarkSearchUnderAbuse(b *testing.B) {
	ix := abuseIndex(b)
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix, RateLimit: 20}))
	defer srv.Close()
	for _, clients := range []int{0, 50} {
		b.Run(fmt.Sprintf("abusers=%d", clients), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[int]int{} // abusive requests answered, by status
			for i := range clients {
				wg.Go(func() {
					// Each abuser dials from its own address in 127.0.0.0/8.
					d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(2+i))}}
					c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
					for j := i; ctx.Err() == nil; j++ {
						if resp, err := c.Get(srv.URL + "/api/v1/events?" + abusive[j%len(abusive)]); err == nil {
							resp.Body.Close()
							mu.Lock()
							codes[resp.StatusCode]++
							mu.Unlock()
						}
					}
				})
			}
			var lat []time.Duration
			i := 0
			began := time.Now()
			pace := time.NewTicker(time.Second / 15) // a normal client, under the limit
			defer pace.Stop()
			for b.Loop() {
				<-pace.C
				q := fmt.Sprintf("q=%s+%s&from=%d&to=%d&limit=20", abuseWords[i%len(abuseWords)], abuseWords[(i*7+3)%len(abuseWords)], 2016+i%9, 2016+i%9)
				start := time.Now()
				resp, err := http.Get(srv.URL + "/api/v1/events?" + q)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				lat = append(lat, time.Since(start))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("normal query got %d", resp.StatusCode)
				}
				i++
			}
			cancel()
			wg.Wait()
			secs := time.Since(began).Seconds()
			slices.Sort(lat)
			if clients > 0 {
				// What the abusers got, per second: answers, refusals as
				// bad requests, rate-limited, and turned away as busy.
				b.ReportMetric(float64(codes[http.StatusOK])/secs, "abuse-200/s")
				b.ReportMetric(float64(codes[http.StatusBadRequest])/secs, "abuse-400/s")
				b.ReportMetric(float64(codes[http.StatusTooManyRequests])/secs, "abuse-429/s")
				b.ReportMetric(float64(codes[http.StatusServiceUnavailable])/secs, "abuse-503/s")
			}
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
