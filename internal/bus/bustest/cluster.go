package bustest

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/dateline/dateline/internal/bus"
)

// Cluster is an in-process NATS JetStream cluster of several servers on
// loopback ports, for tests of replicated streams.
type Cluster struct {
	// Servers are the cluster's servers, in start order.
	Servers []*server.Server
}

// URLs returns the client URLs of every server, comma-separated: the seed
// list a client connects with.
func (c *Cluster) URLs() string {
	urls := make([]string, len(c.Servers))
	for i, s := range c.Servers {
		urls[i] = s.ClientURL()
	}
	return strings.Join(urls, ",")
}

// Connect connects to the server at index i (only), named name; the
// connection is closed when the test ends.
func (c *Cluster) Connect(t testing.TB, i int, name string) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, c.Servers[i].ClientURL(), nil, name)
	if err != nil {
		t.Fatalf("connect to cluster server %d: %v", i, err)
	}
	t.Cleanup(b.Close)
	return b
}

// NewCluster starts n servers (3 for a quorum) with JetStream as one
// cluster, their stores under t.TempDir(), and waits until JetStream has
// a meta leader. The servers are shut down when the test ends.
func NewCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	ports := freePorts(t, n)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	dir := t.TempDir()
	c := &Cluster{}
	t.Cleanup(func() {
		for _, s := range c.Servers {
			s.Shutdown()
			s.WaitForShutdown()
		}
	})
	for i := range n {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       -1,
			JetStream:  true,
			StoreDir:   filepath.Join(dir, fmt.Sprintf("n%d", i+1)),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "dateline-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("cluster server %d: %v", i+1, err)
		}
		go s.Start()
		if !s.ReadyForConnections(30 * time.Second) {
			t.Fatalf("cluster server %d not ready", i+1)
		}
		c.Servers = append(c.Servers, s)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ready := true
		for _, s := range c.Servers {
			if !s.JetStreamIsClustered() || !s.JetStreamIsCurrent() {
				ready = false
			}
		}
		if ready && c.leader() != nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatal("cluster has no JetStream meta leader after 60s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Cluster) leader() *server.Server {
	for _, s := range c.Servers {
		if s.JetStreamIsLeader() {
			return s
		}
	}
	return nil
}

// freePorts returns n loopback ports free at the time of the call.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
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
