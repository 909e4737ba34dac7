package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// Resolver looks up the IP addresses of a host name. *net.Resolver
// implements it. See Options.Resolver.
type Resolver interface {
	// LookupNetIP returns the addresses of host; network is "ip".
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// dialer is the Transport's DialContext when a Resolver (or a test remap)
// is in use: it resolves the host itself and dials each address, in order,
// through the guarded net.Dialer, so the guard's Control sees every
// address actually dialled, exactly as with the system resolver.
type dialer struct {
	guarded  *net.Dialer
	resolver Resolver // nil: host names go to guarded as they are
	// remap routes a connection to one of its keys to its value instead,
	// after the guard has approved the key (tests only; see Options.remap).
	remap map[netip.AddrPort]string
	// check is the guard's test for a remapped key; nil when the guard is off.
	check func(netip.AddrPort) error
}

// newDialContext returns the DialContext for a Transport built from o: the
// guarded dialer's own, unless o has a Resolver or a remap.
func newDialContext(o Options) func(ctx context.Context, network, address string) (net.Conn, error) {
	do := DialerOptions{AllowPrivateNetworks: o.AllowPrivateNetworks, ConnectTimeout: o.ConnectTimeout, allow: o.allow}
	d := NewDialer(do)
	if o.Resolver == nil && len(o.remap) == 0 {
		return d.DialContext
	}
	dl := &dialer{guarded: d, resolver: o.Resolver, remap: o.remap}
	if g := newGuardian(do); g != nil && len(o.remap) > 0 {
		dl.check = func(ap netip.AddrPort) error {
			if err := g.SafeAddrPort(ap); err != nil {
				return &ForbiddenAddressError{Addr: ap.String(), Reason: err}
			}
			return nil
		}
	}
	return dl.DialContext
}

// DialContext resolves address's host with the Resolver (an IP literal is
// used as is) and dials the addresses in turn, returning the first
// connection or the first address's error.
func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port: %w", address, err)
	}
	var ips []netip.Addr
	if ip, perr := netip.ParseAddr(host); perr == nil {
		ips = []netip.Addr{ip}
	} else if d.resolver == nil {
		return d.guarded.DialContext(ctx, network, address)
	} else if ips, err = d.resolver.LookupNetIP(ctx, "ip", host); err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf("lookup %s: %w", host, err)}
	}
	var first error
	for _, ip := range ips {
		conn, err := d.dialAddr(ctx, network, netip.AddrPortFrom(ip, uint16(port)))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if first == nil {
		first = &net.OpError{Op: "dial", Net: network, Err: errors.New("lookup " + host + ": no addresses")}
	}
	return nil, first
}

// dialAddr dials one address through the guard. A remapped address is
// checked by the guard as itself, then dialled at its local stand-in.
func (d *dialer) dialAddr(ctx context.Context, network string, ap netip.AddrPort) (net.Conn, error) {
	local, ok := d.remap[ap]
	if !ok {
		return d.guarded.DialContext(ctx, network, ap.String())
	}
	if d.check != nil {
		if err := d.check(ap); err != nil {
			return nil, &net.OpError{Op: "dial", Net: network, Err: err}
		}
	}
	plain := *d.guarded
	plain.Control = nil
	return plain.DialContext(ctx, network, local)
}
