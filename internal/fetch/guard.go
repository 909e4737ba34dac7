package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// ErrForbiddenAddress is matched (with errors.Is) by every error returned
// when the SSRF guard refuses to connect to an address: loopback, private,
// link-local, shared (CGNAT), multicast, unspecified, reserved, or an
// IPv4-mapped IPv6 form of those.
var ErrForbiddenAddress = errors.New("forbidden address")

// ForbiddenAddressError reports a connection the SSRF guard refused. Addr is
// the address that was about to be dialled (after DNS resolution), so a host
// name that resolves to a private address, a redirect or a DNS rebinding is
// caught at the socket. URL is filled in by Fetcher when known.
type ForbiddenAddressError struct {
	// URL is the URL whose connection was refused, if known.
	URL string
	// Addr is the IP address and port that was refused.
	Addr string
	// Reason is the guard's explanation.
	Reason error
}

// Error names the URL, the address and why it was refused.
func (e *ForbiddenAddressError) Error() string {
	target := e.Addr
	if e.URL != "" {
		target += " for " + e.URL
	}
	return fmt.Sprintf("refusing to connect to %s: %v (not a public address; fetch.allow_private_networks: true permits it)", target, e.Reason)
}

// Is makes errors.Is(err, ErrForbiddenAddress) true.
func (e *ForbiddenAddressError) Is(target error) bool { return target == ErrForbiddenAddress }

// Unwrap returns the guard's reason.
func (e *ForbiddenAddressError) Unwrap() error { return e.Reason }

// DialerOptions configures NewDialer.
type DialerOptions struct {
	// AllowPrivateNetworks turns the SSRF guard off.
	AllowPrivateNetworks bool
	// ConnectTimeout bounds establishing one TCP connection; 0 means 10s.
	ConnectTimeout time.Duration

	allow []netip.Prefix // IPv4 prefixes let through the guard (tests)
}

// NewDialer returns a net.Dialer whose Control function refuses, unless
// AllowPrivateNetworks is set, any address that is not public unicast. The
// check runs on each address actually dialled, after name resolution, so it
// holds for redirects and DNS rebinding too. Refusals are
// *ForbiddenAddressError. The dialer is safe for concurrent use; the
// alerter and full-text fetches share it through NewClient.
func NewDialer(o DialerOptions) *net.Dialer {
	timeout := o.ConnectTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if g := newGuardian(o); g != nil {
		d.Control = guardControl(g)
	}
	return d
}

// newGuardian returns the guard NewDialer installs, nil when
// AllowPrivateNetworks turns it off.
func newGuardian(o DialerOptions) *ssrf.Guardian {
	if o.AllowPrivateNetworks {
		return nil
	}
	return ssrf.New(ssrf.WithAnyPort(), ssrf.WithAllowedV4Prefixes(o.allow...))
}

// guardControl adapts the ssrf Guardian to a net.Dialer Control function
// returning typed errors.
func guardControl(g *ssrf.Guardian) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		if err := g.Safe(network, address, c); err != nil {
			return &ForbiddenAddressError{Addr: address, Reason: err}
		}
		return nil
	}
}

// CheckAddr reports whether ip would be refused by the guard, returning a
// *ForbiddenAddressError if so. It lets callers validate an address up front
// (for example when a user submits a URL) with the same rules.
func CheckAddr(ip netip.Addr) error {
	if err := ssrf.New(ssrf.WithAnyPort()).SafeAddr(ip); err != nil {
		return &ForbiddenAddressError{Addr: ip.String(), Reason: err}
	}
	return nil
}
