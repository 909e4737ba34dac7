package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/fetch/fetchtest"
	"github.com/dateline/dateline/internal/wait"
)

// fakeResolver answers lookups from a table; a name with several answers
// gets them in turn, one per lookup, round and round.
type fakeResolver struct {
	answers map[string][]netip.Addr

	mu    sync.Mutex // guards calls
	calls map[string]int
}

func newFakeResolver(answers map[string][]netip.Addr) *fakeResolver {
	return &fakeResolver{answers: answers, calls: map[string]int{}}
}

// LookupNetIP implements Resolver.
func (r *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq, ok := r.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	n := r.calls[host]
	r.calls[host]++
	return []netip.Addr{seq[n%len(seq)]}, nil
}

func (r *fakeResolver) lookups(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[host]
}

// publicIP stands for a public web server; remap routes connections to it
// to a local test server once the guard has approved it.
var publicIP = netip.MustParseAddr("93.184.215.14")

// TestSSRF proves that every way of reaching a non-public address is
// refused with the typed error and that no connection reaches a loopback
// listener. Two cases need a public first hop (DNS rebinding and a
// redirect): a fake resolver points a name at publicIP, the guard checks
// publicIP as usual, and only then does the test-only remap route that
// one connection to a local server. Every later address, the loopback
// ones included, is dialled for real through the guard.
func TestSSRF(t *testing.T) {
	t.Parallel()
	trap4, err := fetchtest.NewTrap(t, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	trap6, err := fetchtest.NewTrap(t, "[::1]:0")
	if err != nil {
		t.Logf("no IPv6 loopback (%v): the [::1] case targets a closed port", err)
	}
	p4 := trap4.Port()
	p6 := p4
	if trap6 != nil {
		p6 = trap6.Port()
	}
	var publicHits atomic.Int32
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		publicHits.Add(1)
		switch r.Host {
		case "rebind.example:" + p4:
			// Send the client back to the same name on a new connection:
			// its second lookup answers 127.0.0.1.
			w.Header().Set("Connection", "close")
			http.Redirect(w, r, "http://rebind.example:"+p4+"/again", http.StatusFound)
		case "feeds.example":
			http.Redirect(w, r, "http://127.0.0.1:"+p4+"/secret", http.StatusFound)
		default:
			http.Error(w, "unexpected host "+r.Host, http.StatusTeapot)
		}
	}))
	defer public.Close()
	port4, _ := strconv.ParseUint(p4, 10, 16)
	remap := map[netip.AddrPort]string{
		netip.AddrPortFrom(publicIP, 80):            public.Listener.Addr().String(),
		netip.AddrPortFrom(publicIP, uint16(port4)): public.Listener.Addr().String(),
	}
	loopback := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		name       string
		url        string
		wantAddr   string // the address the guard refused
		wantURL    string // the URL the error names; "" means url
		publicHits int32  // requests the public first hop must have served
		lookups    int    // lookups of the URL's host the resolver must have answered
	}{
		{name: "127.0.0.1", url: "http://127.0.0.1:" + p4 + "/feed", wantAddr: "127.0.0.1:" + p4},
		{name: "[::1]", url: "http://[::1]:" + p6 + "/feed", wantAddr: "[::1]:" + p6},
		{name: "0.0.0.0", url: "http://0.0.0.0:" + p4 + "/feed", wantAddr: "0.0.0.0:" + p4},
		{name: "169.254.169.254", url: "http://169.254.169.254:" + p4 + "/latest/meta-data/", wantAddr: "169.254.169.254:" + p4},
		{name: "100.64.0.1", url: "http://100.64.0.1:" + p4 + "/feed", wantAddr: "100.64.0.1:" + p4},
		{name: "[::ffff:10.0.0.1]", url: "http://[::ffff:10.0.0.1]:" + p4 + "/feed", wantAddr: "10.0.0.1:" + p4},
		{name: "name resolving to loopback", url: "http://intranet.example:" + p4 + "/feed", wantAddr: "127.0.0.1:" + p4, lookups: 1},
		{name: "DNS rebinding", url: "http://rebind.example:" + p4 + "/feed", wantAddr: "127.0.0.1:" + p4,
			wantURL: "http://rebind.example:" + p4 + "/again", publicHits: 1, lookups: 2},
		{name: "redirect to loopback", url: "http://feeds.example/feed", wantAddr: "127.0.0.1:" + p4,
			wantURL: "http://127.0.0.1:" + p4 + "/secret", publicHits: 1, lookups: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			publicHits.Store(0)
			res := newFakeResolver(map[string][]netip.Addr{
				"intranet.example": {loopback},
				"rebind.example":   {publicIP, loopback},
				"feeds.example":    {publicIP},
			})
			f := New(Options{Timeout: 5 * time.Second, ConnectTimeout: time.Second, Resolver: res, remap: remap})
			defer f.Client().CloseIdleConnections()
			_, err := f.Get(context.Background(), Request{URL: tt.url})
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrForbiddenAddress", tt.url, err)
			}
			var fe *ForbiddenAddressError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *ForbiddenAddressError", err)
			}
			wantURL := tt.wantURL
			if wantURL == "" {
				wantURL = tt.url
			}
			if fe.Addr != tt.wantAddr || fe.URL != wantURL {
				t.Errorf("refused %s for %s, want %s for %s", fe.Addr, fe.URL, tt.wantAddr, wantURL)
			}
			if got := publicHits.Load(); got != tt.publicHits {
				t.Errorf("public first hop served %d requests, want %d", got, tt.publicHits)
			}
			host := strings.Split(strings.TrimPrefix(tt.url, "http://"), "/")[0]
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			if got := res.lookups(host); got != tt.lookups {
				t.Errorf("%d lookups of %s, want %d", got, host, tt.lookups)
			}
			if n := trap4.Intruders(t); n != 0 {
				t.Errorf("%d connections reached 127.0.0.1:%s", n, p4)
			}
			if trap6 != nil {
				if n := trap6.Intruders(t); n != 0 {
					t.Errorf("%d connections reached [::1]:%s", n, p6)
				}
			}
		})
	}
}

// TestResolverAllowsPublic checks the Resolver path still connects when the
// guard approves, so the refusals above are not an artefact of the hook.
func TestResolverAllowsPublic(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	res := newFakeResolver(map[string][]netip.Addr{"news.example": {publicIP}})
	f := New(Options{Resolver: res, remap: map[netip.AddrPort]string{netip.AddrPortFrom(publicIP, 80): srv.Listener.Addr().String()}})
	defer f.Client().CloseIdleConnections()
	resp, err := f.Get(context.Background(), Request{URL: "http://news.example/"})
	if err != nil || string(resp.Body) != "ok" {
		t.Fatalf("Get = %v, %v; want ok", resp, err)
	}
	if _, err := f.Get(context.Background(), Request{URL: "http://unknown.example/"}); err == nil || !strings.Contains(err.Error(), "no such host") {
		t.Errorf("unknown name: err = %v, want no such host", err)
	}
}

// endless writes block to w until a write fails or ctx ends, then returns
// how many bytes it wrote. It never holds more than block in memory.
func endless(ctx context.Context, w http.ResponseWriter, block []byte) int64 {
	var n int64
	for ctx.Err() == nil {
		k, err := w.Write(block)
		n += int64(k)
		if err != nil {
			break
		}
	}
	return n
}

// TestHostileBodies serves bodies meant to exhaust memory or hold a
// connection forever and checks each is cut off at the configured cap or
// timeout, in well under 20 s, with under 64 MiB allocated and no goroutine
// left behind.
func TestHostileBodies(t *testing.T) {
	const (
		maxBody  = 1 << 20
		timeout  = 2 * time.Second
		tenGB    = 10 << 30
		heapRoom = 64 << 20
	)
	block := []byte(strings.Repeat("<item><title>again</title></item>", 1000))
	// A gzip member of 1 MiB of zeros is about 1 KiB; the stream repeats
	// it, which gzip readers accept as one multi-member body: 10 GiB
	// unpacked from 10 MiB, made in a millisecond.
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	tests := []struct {
		name    string
		handler func(ctx context.Context, w http.ResponseWriter) int64
		want    func(error) bool
		minTime time.Duration // the abort must not come before this
	}{
		{"10 GB stream", func(ctx context.Context, w http.ResponseWriter) int64 {
			w.Header().Set("Content-Type", "application/rss+xml")
			return endless(ctx, w, block)
		}, isTooLarge, 0},
		{"10 GB declared length", func(ctx context.Context, w http.ResponseWriter) int64 {
			w.Header().Set("Content-Length", strconv.Itoa(tenGB))
			return endless(ctx, w, block)
		}, isTooLarge, 0},
		{"gzip bomb", func(ctx context.Context, w http.ResponseWriter) int64 {
			w.Header().Set("Content-Encoding", "gzip")
			var n int64
			for range tenGB / (1 << 20) {
				k, err := w.Write(member.Bytes())
				n += int64(k)
				if err != nil || ctx.Err() != nil {
					break
				}
			}
			return n
		}, isTooLarge, 0},
		{"1 byte/s trickle", func(ctx context.Context, w http.ResponseWriter) int64 {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			var n int64
			for {
				k, err := w.Write([]byte("<"))
				n += int64(k)
				w.(http.Flusher).Flush()
				if err != nil {
					return n
				}
				select {
				case <-ctx.Done():
					return n
				case <-tick.C:
				}
			}
		}, isTimeout, timeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseline := runtime.NumGoroutine()
			var written atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				written.Store(tt.handler(r.Context(), w))
			}))
			f := New(Options{AllowPrivateNetworks: true, MaxBodyBytes: maxBody, Timeout: timeout})

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := f.Get(context.Background(), Request{URL: srv.URL + "/feed"})
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			runtime.GC()
			runtime.ReadMemStats(&after)

			if !tt.want(err) {
				t.Errorf("err = %v", err)
			}
			if took < tt.minTime || took > 20*time.Second {
				t.Errorf("aborted after %v, want between %v and 20s", took, tt.minTime)
			}
			if tt.minTime > 0 && took > tt.minTime+3*time.Second {
				t.Errorf("aborted after %v, want about the %v timeout", took, tt.minTime)
			}
			if allocated > heapRoom {
				t.Errorf("allocated %d MiB during the fetch, want < 64", allocated>>20)
			}
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > heapRoom {
				t.Errorf("heap grew by %d MiB, want < 64", grew>>20)
			}
			f.Client().CloseIdleConnections()
			srv.Close() // waits for the handler, so written is final
			if w := written.Load(); w >= tenGB/2 {
				t.Errorf("server wrote %d bytes: the client kept reading", w)
			}
			wait.For(t, 10*time.Second, func() error {
				if n := runtime.NumGoroutine(); n > baseline {
					return fmt.Errorf("%d goroutines, %d before the fetch:\n%s", n, baseline, stacks())
				}
				return nil
			})
			t.Logf("aborted after %v: %v; %d KiB allocated, server wrote %d bytes", took.Round(time.Millisecond), err, allocated>>10, written.Load())
		})
	}
}

func isTooLarge(err error) bool {
	return errors.Is(err, ErrBodyTooLarge) && strings.Contains(err.Error(), strconv.Itoa(1<<20))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// stacks returns every goroutine's stack, to name a leak.
func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}
