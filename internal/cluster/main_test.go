package cluster_test

import (
	"os"
	"sync"
	"testing"

	"github.com/dateline/dateline/internal/cluster"
)

// shared holds the binaries the tests of this package share: built once,
// on first use, and removed when the tests end.
var shared struct {
	once sync.Once
	dir  string
	bins cluster.Binaries
	err  error
}

// binaries builds nats-server and dateline once for every test here.
func binaries(t *testing.T) cluster.Binaries {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "dateline-cluster-bin-"); shared.err == nil {
			shared.bins, shared.err = cluster.BuildInto(shared.dir)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.bins
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}
