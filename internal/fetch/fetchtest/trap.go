// Package fetchtest helps tests prove that the SSRF guard lets nothing
// through: a Trap is a loopback listener that records every connection.
package fetchtest

import (
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Trap is a listener that records every connection it accepts, so a test
// can prove that nothing reached it. Safe for concurrent use.
type Trap struct {
	ln   net.Listener
	done chan struct{} // closed when the accept loop has returned

	mu       sync.Mutex // guards accepted and counted
	accepted []string   // remote addresses, in accept order
	counted  int        // accepted[:counted] were reported by Intruders
}

// NewTrap listens on addr ("127.0.0.1:0", "[::1]:0") until the test ends.
func NewTrap(t testing.TB, addr string) (*Trap, error) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	tr := &Trap{ln: ln, done: make(chan struct{})}
	go func() {
		defer close(tr.done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tr.mu.Lock()
			tr.accepted = append(tr.accepted, c.RemoteAddr().String())
			tr.mu.Unlock()
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-tr.done })
	return tr, nil
}

// Addr is the host:port the trap listens on.
func (tr *Trap) Addr() string { return tr.ln.Addr().String() }

// Port is the port the trap listens on.
func (tr *Trap) Port() string { return strconv.Itoa(tr.ln.Addr().(*net.TCPAddr).Port) }

// Intruders returns how many connections reached the trap since the last
// call, other than a probe of its own: it connects once and waits until
// that connection is accepted. Accepts are first in, first out, so by then
// any connection made before the probe has been counted too; no sleeping
// and hoping.
func (tr *Trap) Intruders(t testing.TB) int {
	t.Helper()
	c, err := net.Dial("tcp", tr.Addr())
	if err != nil {
		t.Fatalf("probe the trap: %v", err)
	}
	defer c.Close()
	probe := c.LocalAddr().String()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if n, saw := tr.newArrivals(probe); saw {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the trap never accepted its probe")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newArrivals reports whether the trap has accepted probe and, once it
// has, how many connections other than probe arrived since the last call
// that saw its probe.
func (tr *Trap) newArrivals(probe string) (n int, sawProbe bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, a := range tr.accepted[tr.counted:] {
		if a == probe {
			sawProbe = true
		} else {
			n++
		}
	}
	if sawProbe {
		tr.counted = len(tr.accepted)
	}
	return n, sawProbe
}
