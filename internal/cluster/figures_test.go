package cluster_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/cluster"
)

// TestScaleFigures measures end-to-end throughput (feed to searchable) of
// 5,000 articles on the embedded server and on a three-node R3 cluster
// with one and two extractor processes, for docs/scaling.md. It only runs
// with DATELINE_SCALE_FIGURES set:
//
//	DATELINE_SCALE_FIGURES=1 go test ./internal/cluster -run TestScaleFigures -v
func TestScaleFigures(t *testing.T) {
	if os.Getenv("DATELINE_SCALE_FIGURES") == "" {
		t.Skip("a measurement; set DATELINE_SCALE_FIGURES=1 to run it")
	}
	const feeds, perFeed = 20, 250
	bins := binaries(t)
	for _, tc := range []struct {
		name       string
		cluster    bool
		extractors int // extractor processes beside the main one; 0: the main one extracts
	}{
		{"embedded, one process", false, 0},
		{"R3 cluster, one process", true, 0},
		{"R3 cluster, 1 extractor process", true, 1},
		{"R3 cluster, 2 extractor processes", true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fs := newFeedServer(t, "127.0.0.1:0", feeds, perFeed)
			urls, replicas := "", 1
			if tc.cluster {
				urls, replicas = cluster.StartNATS(t, bins.NATSServer, dir, 3).URLs(), 3
			}
			roles := "poller, extractor, indexer, api"
			if tc.extractors > 0 {
				roles = "poller, indexer, api"
			}
			start := time.Now()
			main := startProcess(t, bins.Dateline, dir, "main", urls, replicas, roles, fs, time.Minute)
			procs := []*cluster.Proc{main.Proc}
			for i := range tc.extractors {
				x := startProcess(t, bins.Dateline, dir, fmt.Sprintf("x%d", i+1), urls, replicas, "extractor", fs, time.Minute)
				procs = append(procs, x.Proc)
			}
			waitFor(t, 5*time.Minute, "every article searchable", procs, func() error {
				n, err := main.total()
				if err != nil {
					return err
				}
				if n != feeds*perFeed {
					return fmt.Errorf("%d events", n)
				}
				return nil
			})
			took := time.Since(start)
			t.Logf("%s: %d articles searchable %v after the processes started: %.0f articles/s",
				tc.name, feeds*perFeed, took.Round(10*time.Millisecond), float64(feeds*perFeed)/took.Seconds())
		})
	}
}
