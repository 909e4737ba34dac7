package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGuardRefusesNonPublicAddresses(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	f := New(Options{Timeout: 2 * time.Second, ConnectTimeout: time.Second})
	tests := []struct{ name, url, addr string }{
		{"loopback v4", srv.URL + "/feed", "127.0.0.1:" + port},
		{"private 10/8", "http://10.0.0.1/feed", "10.0.0.1:80"},
		{"link-local metadata", "http://169.254.169.254/latest/meta-data/", "169.254.169.254:80"},
		{"loopback v6", "http://[::1]:" + port + "/feed", "[::1]:" + port},
		{"hostname resolving to loopback", "http://localhost:" + port + "/feed", ":" + port},
		{"cgnat", "http://100.64.1.2/", "100.64.1.2:80"},
		{"ipv4-mapped ipv6 loopback", "http://[::ffff:127.0.0.1]:" + port + "/", ":" + port},
		{"unspecified", "http://0.0.0.0:" + port + "/", ":" + port},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Get(context.Background(), Request{URL: tt.url})
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrForbiddenAddress", tt.url, err)
			}
			var fe *ForbiddenAddressError
			if !errors.As(err, &fe) || fe.URL != tt.url || !strings.Contains(fe.Addr, tt.addr) {
				t.Fatalf("error %q: want URL %s and address containing %s", err, tt.url, tt.addr)
			}
			if !strings.Contains(err.Error(), tt.url) {
				t.Errorf("message %q does not name the URL", err)
			}
		})
	}
}

func TestGuardRefusesRedirectToPrivate(t *testing.T) {
	t.Parallel()
	// 127.0.0.1 stands in for a public host (allowed by the test-only
	// allow-list); its redirect to another loopback address is checked at
	// dial time like any other address.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.2:9/secret", http.StatusFound)
	}))
	defer srv.Close()
	f := New(Options{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	_, err := f.Get(context.Background(), Request{URL: srv.URL + "/feed"})
	var fe *ForbiddenAddressError
	if !errors.As(err, &fe) || fe.URL != "http://127.0.0.2:9/secret" || fe.Addr != "127.0.0.2:9" {
		t.Fatalf("err = %v, want a ForbiddenAddressError for the redirect target", err)
	}
}

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	for addr, bad := range map[string]bool{"127.0.0.1": true, "10.1.2.3": true, "::1": true, "fe80::1": true, "224.0.0.1": true, "8.8.8.8": false, "2606:4700::1111": false} {
		err := CheckAddr(netip.MustParseAddr(addr))
		if (err != nil) != bad {
			t.Errorf("CheckAddr(%s) = %v, want refused=%v", addr, err, bad)
		}
	}
}

func TestAllowPrivateNetworks(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != "Dateline/test (+https://example.org)" {
			t.Errorf("User-Agent = %q", got)
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	f := New(Options{AllowPrivateNetworks: true, UserAgent: "Dateline/test (+https://example.org)"})
	resp, err := f.Get(context.Background(), Request{URL: srv.URL})
	if err != nil || string(resp.Body) != "ok" {
		t.Fatalf("Get = %v, %v", resp, err)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 4096)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte(" "), 8<<20))
	zw.Close()
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"content-length", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, big) }},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			for range 8 {
				fmt.Fprint(w, big[:1024])
				w.(http.Flusher).Flush()
			}
		}},
		{"gzip bomb", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			f := New(Options{AllowPrivateNetworks: true, MaxBodyBytes: 2048})
			_, err := f.Get(context.Background(), Request{URL: srv.URL})
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("err = %v, want ErrBodyTooLarge", err)
			}
		})
	}
}

// TestTooManyRedirects follows a chain of n redirects: up to MaxRedirects
// (default 5) the final page is fetched, one more is refused.
func TestTooManyRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		left, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if left > 0 {
			http.Redirect(w, r, fmt.Sprintf("/%d", left-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, "end")
	}))
	defer srv.Close()
	tests := []struct {
		name      string
		max, hops int
		ok        bool
	}{
		{"default, 5 hops", 0, 5, true},
		{"default, 6 hops", 0, 6, false},
		{"2, 2 hops", 2, 2, true},
		{"2, 3 hops", 2, 3, false},
		{"none, 0 hops", -1, 0, true},
		{"none, 1 hop", -1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{AllowPrivateNetworks: true, MaxRedirects: tt.max})
			resp, err := f.Get(context.Background(), Request{URL: fmt.Sprintf("%s/%d", srv.URL, tt.hops)})
			if tt.ok && (err != nil || string(resp.Body) != "end") {
				t.Fatalf("Get = %v, want the final page", err)
			}
			if !tt.ok && !errors.Is(err, ErrTooManyRedirects) {
				t.Fatalf("err = %v, want ErrTooManyRedirects", err)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	if got, want := UserAgent("1.2", "https://ops.example/contact"), "Dateline/1.2 (+https://ops.example/contact)"; got != want {
		t.Errorf("UserAgent = %q, want %q", got, want)
	}
	if got := UserAgent("", ""); got != DefaultUserAgent {
		t.Errorf("UserAgent(\"\", \"\") = %q, want the default %q", got, DefaultUserAgent)
	}
	var sent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent = r.Header.Get("User-Agent") }))
	defer srv.Close()
	if _, err := New(Options{AllowPrivateNetworks: true}).Get(context.Background(), Request{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if sent != DefaultUserAgent || !strings.HasPrefix(sent, "Dateline/") || !strings.Contains(sent, "(+https://") {
		t.Errorf("User-Agent sent = %q, want Dateline and a contact URL", sent)
	}
}

func TestMovedTo(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusMovedPermanently) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/c", http.StatusPermanentRedirect) })
	mux.HandleFunc("/t", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/c", http.StatusFound) })
	mux.HandleFunc("/p", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/t", http.StatusMovedPermanently) })
	mux.HandleFunc("/c", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "c") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := New(Options{AllowPrivateNetworks: true})
	for path, want := range map[string]string{"/a": "/c", "/t": "", "/p": "", "/c": ""} {
		resp, err := f.Get(context.Background(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		if want != "" {
			want = srv.URL + want
		}
		if resp.MovedTo != want {
			t.Errorf("%s: MovedTo = %q, want %q", path, resp.MovedTo, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			if got := RetryAfter(h, now); got != tt.want {
				t.Errorf("RetryAfter(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestCacheLifetime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=1800"}, 30 * time.Minute},
		{"no-cache wins", map[string]string{"Cache-Control": "no-cache, max-age=1800"}, 0},
		{"expires", map[string]string{"Expires": now.Add(time.Hour).Format(http.TimeFormat)}, time.Hour},
		{"expires against date", map[string]string{"Date": now.Add(-time.Hour).Format(http.TimeFormat), "Expires": now.Format(http.TimeFormat)}, time.Hour},
		{"max-age beats expires", map[string]string{"Cache-Control": "max-age=60", "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, time.Minute},
		{"bad expires", map[string]string{"Expires": "0"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := CacheLifetime(h, now); got != tt.want {
				t.Errorf("CacheLifetime = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzHeaders(f *testing.F) {
	f.Add("120", "max-age=60", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", "no-store", "0")
	f.Add("99999999999999999999", "max-age=99999999999999999", "")
	now := time.Date(2015, 10, 21, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, retryAfter, cacheControl, expires string) {
		h := http.Header{"Retry-After": {retryAfter}, "Cache-Control": {cacheControl}, "Expires": {expires}}
		if d := RetryAfter(h, now); d < 0 {
			t.Fatalf("RetryAfter(%q) = %v", retryAfter, d)
		}
		if d := CacheLifetime(h, now); d < 0 {
			t.Fatalf("CacheLifetime(%q, %q) = %v", cacheControl, expires, d)
		}
	})
}
