// Package fetch is Dateline's polite, bounded and SSRF-guarded HTTP GET:
// connect and total timeouts, a body cap enforced while reading and after
// decompression, a redirect limit, a descriptive User-Agent, conditional
// requests and parsing of the caching headers a poller must honour. The
// poller, the full-text extractor and the alerter share its client.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Defaults applied by Options.withDefaults to zero fields.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxRedirects   = 5
	DefaultMaxBodyBytes   = 10 << 20
	DefaultUserAgent      = "Dateline/dev (+https://github.com/dateline/dateline)"
)

// ErrTooManyRedirects is returned when a response redirects more than
// Options.MaxRedirects times.
var ErrTooManyRedirects = errors.New("too many redirects")

// ErrBodyTooLarge is returned when a response body, after decompression,
// exceeds Options.MaxBodyBytes. Reading stops at the limit.
var ErrBodyTooLarge = errors.New("response body too large")

// Options configures a Client and a Fetcher. The zero value is usable:
// zero fields take the defaults above and the SSRF guard is on.
type Options struct {
	// AllowPrivateNetworks lifts the SSRF guard (intranets, tests).
	AllowPrivateNetworks bool
	// Timeout bounds a whole request, body included.
	Timeout time.Duration
	// ConnectTimeout bounds establishing a connection.
	ConnectTimeout time.Duration
	// MaxRedirects is the most redirects followed; 0 means 5, negative none.
	MaxRedirects int
	// MaxBodyBytes caps a body after decompression; 0 means 10 MiB.
	MaxBodyBytes int64
	// UserAgent is sent with every request.
	UserAgent string
	// IdleConnsPerHost is how many idle keep-alive connections are kept
	// per host (4).
	IdleConnsPerHost int
	// Resolver, if set, resolves host names instead of the system
	// resolver. It exists for tests (a name that points at loopback, DNS
	// rebinding) and leaves the guard unchanged: every address it returns
	// is checked at dial time, like those of the system resolver.
	Resolver Resolver

	allow []netip.Prefix // IPv4 prefixes let through the guard (tests)
	// remap (tests) routes a connection to a public address to a local
	// server after the guard has approved the public address, so a test
	// can play a public host without weakening the guard for anything else.
	remap map[netip.AddrPort]string
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxRedirects == 0 { // negative (none) stays negative: New and NewClient both apply defaults
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

// NewClient returns an http.Client with the SSRF-guarded dialer (unless
// AllowPrivateNetworks), the connect and total timeouts, the redirect limit,
// no proxy from the environment (a proxy would hide the real destination
// from the guard) and transparent gzip. It does not set the User-Agent or cap
// bodies: use Fetcher for that, or do it yourself. The client is safe for
// concurrent use and meant to be shared.
func NewClient(o Options) *http.Client {
	o = o.withDefaults()
	idle := o.IdleConnsPerHost
	if idle <= 0 {
		idle = 4
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           newDialContext(o),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   idle,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	limit := max(o.MaxRedirects, 0)
	return &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > limit {
				return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, limit)
			}
			return nil
		},
	}
}

// UserAgent formats the User-Agent Dateline sends: "Dateline/<version>
// (+<contactURL>)", so feed publishers know who polls them and how to reach
// the operator. Empty arguments fall back to "dev" and the project URL.
func UserAgent(version, contactURL string) string {
	if version == "" {
		version = "dev"
	}
	if contactURL == "" {
		contactURL = "https://github.com/dateline/dateline"
	}
	return "Dateline/" + version + " (+" + contactURL + ")"
}

// Fetcher performs bounded conditional GETs with a shared client. It is safe
// for concurrent use.
type Fetcher struct {
	client *http.Client
	opts   Options
}

// New returns a Fetcher with its own guarded client built from o.
func New(o Options) *Fetcher {
	o = o.withDefaults()
	return &Fetcher{client: NewClient(o), opts: o}
}

// Client returns the Fetcher's guarded client, for callers that need plain
// requests under the same guard and timeouts.
func (f *Fetcher) Client() *http.Client { return f.client }

// MaxBodyBytes returns the body cap in effect.
func (f *Fetcher) MaxBodyBytes() int64 { return f.opts.MaxBodyBytes }

// Request is one GET, with the validators of the last successful response.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	// Accept overrides the Accept header.
	Accept string
}

// Response is what a GET returned. Body is read (capped) only for 2xx.
type Response struct {
	// StatusCode is the final status after redirects.
	StatusCode int
	// URL is the final URL after redirects.
	URL string
	// MovedTo is the final URL when every redirect on the way was permanent
	// (301 or 308) and the URL changed; empty otherwise.
	MovedTo string
	// Header is the final response's header.
	Header http.Header
	// Body is the decompressed body of a 2xx response.
	Body []byte
}

// NotModified reports a 304 response.
func (r *Response) NotModified() bool { return r.StatusCode == http.StatusNotModified }

// StatusError is returned for a final status that is neither 2xx nor 304.
// The Response is returned alongside it so callers can read Retry-After.
type StatusError struct {
	URL        string
	StatusCode int
	Status     string
}

// Error names the status; callers name the URL.
func (e *StatusError) Error() string { return "HTTP " + e.Status }

type redirectKey struct{}

// Get fetches r.URL. For 2xx the body is read up to MaxBodyBytes (a larger
// one fails with ErrBodyTooLarge); for 304 there is no body; any other status
// returns the Response (headers only) and a *StatusError. Refusals by the
// SSRF guard match ErrForbiddenAddress and name the URL. ctx bounds the
// whole request in addition to the Timeout.
func (f *Fetcher) Get(ctx context.Context, r Request) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("unsupported URL scheme %q", req.URL.Scheme)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	accept := r.Accept
	if accept == "" {
		accept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
	}
	req.Header.Set("Accept", accept)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, describe(err)
	}
	defer resp.Body.Close()
	out := &Response{StatusCode: resp.StatusCode, URL: resp.Request.URL.String(), Header: resp.Header}
	out.MovedTo = movedTo(r.URL, resp)
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return out, &StatusError{URL: out.URL, StatusCode: resp.StatusCode, Status: resp.Status}
	}
	if resp.ContentLength > f.opts.MaxBodyBytes {
		return out, fmt.Errorf("%w: Content-Length %d exceeds the limit of %d bytes", ErrBodyTooLarge, resp.ContentLength, f.opts.MaxBodyBytes)
	}
	out.Body, err = ReadLimited(resp.Body, f.opts.MaxBodyBytes)
	if err != nil {
		return out, describe(err)
	}
	return out, nil
}

// movedTo returns the final URL when every hop of the redirect chain was a
// permanent redirect, else "".
func movedTo(orig string, resp *http.Response) string {
	final := resp.Request.URL.String()
	if final == orig {
		return ""
	}
	for r := resp.Request; r.Response != nil; r = r.Response.Request {
		code := r.Response.StatusCode
		if code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
			return ""
		}
	}
	return final
}

// describe shortens transport errors: a guard refusal becomes the
// *ForbiddenAddressError naming the URL; a timeout says so.
func describe(err error) error {
	var fe *ForbiddenAddressError
	if errors.As(err, &fe) {
		cp := *fe
		var ue *url.Error
		if errors.As(err, &ue) {
			cp.URL = ue.URL
		}
		return &cp
	}
	return err
}
