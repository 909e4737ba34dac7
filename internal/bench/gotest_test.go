package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBinary writes a shell script standing in for a test binary.
func fakeBinary(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fake.test")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExecuteKeepsFinishedResultsOfAFailedRun(t *testing.T) {
	bin := fakeBinary(t, `printf 'BenchmarkA-2 \t 3\t 10 ns/op\t 5.0 p95-ms\n'
echo "--- FAIL: BenchmarkB" ; echo "boom" >&2; exit 1
`)
	ex, err := execute(context.Background(), bin, t.TempDir(), nil, nil, 2, true)
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "FAIL: BenchmarkB") {
		t.Errorf("err = %v, want the failure with its output", err)
	}
	if len(ex.results) != 1 || ex.results[0].Name != "BenchmarkA" || ex.results[0].Metrics["p95-ms"] != 5 {
		t.Errorf("results = %+v, want BenchmarkA's", ex.results)
	}
}

func TestExecuteReadsMemory(t *testing.T) {
	bin := fakeBinary(t, "sleep 0.3; printf 'BenchmarkA \\t 1\\t 10 ns/op\\n'\n")
	ex, err := execute(context.Background(), bin, t.TempDir(), nil, []string{"X=1"}, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if ex.mem.hwm <= 0 || ex.mem.peakRSS <= 0 || ex.mem.peakRSS > ex.mem.hwm {
		t.Errorf("memory = %+v, want a positive RSS within the peak", ex.mem)
	}
	if len(ex.results) != 1 || ex.wall <= 0 {
		t.Errorf("execution = %+v", ex)
	}
}
