// Package cluster runs Dateline the way a scaled-out deployment does, for
// end-to-end tests: it builds nats-server from its Go module and the
// dateline binary, starts a NATS JetStream cluster and Dateline processes
// on loopback ports, kills and restarts them, and stops everything it
// started when the test ends.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Binaries are the executables a test runs.
type Binaries struct {
	// NATSServer is nats-server, built from github.com/nats-io/nats-server/v2.
	NATSServer string
	// Dateline is the dateline command.
	Dateline string
}

// Build builds nats-server (from the module Dateline embeds, the version
// go.mod names) and dateline into a temporary directory of the test. The
// binaries are static (CGO off) ordinary builds, not race builds, whatever
// the test binary is.
func Build(t testing.TB) Binaries {
	t.Helper()
	b, err := BuildInto(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BuildInto is Build into dir, for binaries shared by several tests.
func BuildInto(dir string) (Binaries, error) {
	root, err := moduleRoot()
	if err != nil {
		return Binaries{}, fmt.Errorf("find the module root: %w", err)
	}
	b := Binaries{NATSServer: filepath.Join(dir, "nats-server"), Dateline: filepath.Join(dir, "dateline")}
	for _, target := range []struct{ out, pkg string }{
		{b.NATSServer, "github.com/nats-io/nats-server/v2"},
		{b.Dateline, "./cmd/dateline"},
	} {
		cmd := exec.Command("go", "build", "-o", target.out, target.pkg)
		cmd.Dir = root
		// The children need no race detector; CGO off keeps them static
		// (images FROM scratch run them).
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return Binaries{}, fmt.Errorf("go build %s: %w\n%s", target.pkg, err, out)
		}
	}
	return b, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(mod), nil
}

// Proc is a child process a test started. Its standard output and error
// go to a log file; Log returns them.
type Proc struct {
	// Name names the process in messages.
	Name string
	bin  string
	args []string
	env  []string
	log  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start starts bin with args (and env added to the test's environment),
// logging into a file under dir. The process is killed when the test ends
// if it is still running.
func Start(t testing.TB, dir, name, bin string, env []string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Name: name, bin: bin, args: args, env: env, log: filepath.Join(dir, name+".log")}
	if err := p.start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() { p.Kill() })
	return p
}

func (p *Proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "=== start %s %s\n", p.bin, strings.Join(p.args, " "))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(done)
	}()
	p.cmd, p.done = cmd, done
	return nil
}

// Restart starts the process again with the same arguments; it must have
// exited (Kill or Stop).
func (p *Proc) Restart(t testing.TB) {
	t.Helper()
	if p.Running() {
		t.Fatalf("restart %s: still running", p.Name)
	}
	if err := p.start(); err != nil {
		t.Fatalf("restart %s: %v", p.Name, err)
	}
}

// Running reports whether the process has not exited.
func (p *Proc) Running() bool {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Kill sends SIGKILL (kill -9) and waits for the process to exit.
func (p *Proc) Kill() {
	p.signal(syscall.SIGKILL, 0)
}

// Stop sends SIGTERM and waits up to grace for the process to exit,
// then kills it. It returns false when it had to kill.
func (p *Proc) Stop(grace time.Duration) bool {
	return p.signal(syscall.SIGTERM, grace)
}

func (p *Proc) signal(sig syscall.Signal, grace time.Duration) bool {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return true
	}
	select {
	case <-done:
		return true
	default:
	}
	_ = cmd.Process.Signal(sig)
	if sig != syscall.SIGKILL {
		select {
		case <-done:
			return true
		case <-time.After(grace):
			_ = cmd.Process.Kill()
		}
	}
	<-done
	return sig == syscall.SIGKILL
}

// Log returns what the process wrote so far, over all its runs.
func (p *Proc) Log() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// NATS is a NATS JetStream cluster of nats-server processes on loopback.
type NATS struct {
	// Nodes are the servers, in order.
	Nodes []*Proc
	// Ports are their client ports.
	Ports []int
}

// URLs returns the client URLs of every node, comma-separated.
func (c *NATS) URLs() string {
	urls := make([]string, len(c.Ports))
	for i, p := range c.Ports {
		urls[i] = fmt.Sprintf("nats://127.0.0.1:%d", p)
	}
	return strings.Join(urls, ",")
}

// StartNATS starts n nats-server processes (bin) as one JetStream cluster,
// each with its store under dir, and waits until the cluster answers
// JetStream requests.
func StartNATS(t testing.TB, bin, dir string, n int) *NATS {
	t.Helper()
	ports := FreePorts(t, 2*n)
	client, routes := ports[:n], ports[n:]
	var routeURLs []string
	for _, p := range routes {
		routeURLs = append(routeURLs, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	c := &NATS{Ports: client}
	for i := range n {
		name := fmt.Sprintf("nats%d", i+1)
		conf := filepath.Join(dir, name+".conf")
		body := fmt.Sprintf(`server_name: %s
listen: "127.0.0.1:%d"
jetstream {
  store_dir: %q
  max_memory_store: 64MB
  max_file_store: 4GB
}
cluster {
  name: dateline
  listen: "127.0.0.1:%d"
  routes: [%s]
}
`, name, client[i], filepath.Join(dir, name), routes[i], strings.Join(routeURLs, ", "))
		if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c.Nodes = append(c.Nodes, Start(t, dir, name, bin, nil, "-c", conf))
	}
	c.WaitReady(t, 60*time.Second)
	return c
}

// WaitReady waits until every node accepts connections and JetStream
// answers through the cluster (a meta leader is elected).
func (c *NATS) WaitReady(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if last = c.ready(); last == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, n := range c.Nodes {
		t.Logf("%s log:\n%s", n.Name, tail(n.Log(), 2000))
	}
	t.Fatalf("nats cluster not ready after %v: %v", timeout, last)
}

func (c *NATS) ready() error {
	for i, p := range c.Ports {
		nc, err := nats.Connect(fmt.Sprintf("nats://127.0.0.1:%d", p), nats.Timeout(time.Second))
		if err != nil {
			return fmt.Errorf("node %d: %w", i+1, err)
		}
		js, err := jetstream.New(nc)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, err = js.AccountInfo(ctx)
			cancel()
		}
		nc.Close()
		if err != nil {
			return fmt.Errorf("node %d: jetstream: %w", i+1, err)
		}
	}
	return nil
}

// FreePorts returns n loopback TCP ports free at the time of the call.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// Tail returns the last n bytes of the process's log, for failure messages.
func (p *Proc) Tail(n int) string { return tail(p.Log(), n) }
