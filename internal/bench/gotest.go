package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// build compiles the tests of pkg (a path such as "./internal/index",
// relative to root) into a binary in binDir and returns its path.
func build(ctx context.Context, root, binDir, pkg string) (string, error) {
	out := filepath.Join(binDir, strings.ReplaceAll(strings.TrimPrefix(pkg, "./"), "/", "_")+".test")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", out, pkg)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c %s: %w: %s", pkg, err, tail(msg, 20))
	}
	return out, nil
}

// buildBinary builds the command pkg (relative to root) into binDir.
func buildBinary(ctx context.Context, root, binDir, pkg string) (string, error) {
	out := filepath.Join(binDir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w: %s", pkg, err, tail(msg, 20))
	}
	return out, nil
}

// memory is what was read of a child's /proc/PID/status while it ran.
type memory struct {
	peakRSS int64 // the largest VmRSS sampled, bytes
	hwm     int64 // the last VmHWM read (the kernel's peak RSS), bytes
}

// execution is one run of a test binary.
type execution struct {
	results []Result
	wall    time.Duration
	mem     memory
}

// execute runs bin in dir with args and extra environment, parses its
// benchmark results and, when sample is set, reads the child's resident
// memory every 50 ms until it exits.
func execute(ctx context.Context, bin, dir string, args, env []string, procs int, sample bool) (execution, error) {
	var ex execution
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return ex, fmt.Errorf("start %s: %w", bin, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	if sample {
		tick := time.NewTicker(50 * time.Millisecond)
	wait:
		for {
			select {
			case err = <-done:
				break wait
			case <-tick.C:
				if rss, hwm, ok := readStatus(cmd.Process.Pid); ok {
					ex.mem.peakRSS = max(ex.mem.peakRSS, rss)
					ex.mem.hwm = max(ex.mem.hwm, hwm)
				}
			}
		}
		tick.Stop()
	} else {
		err = <-done
	}
	ex.wall = time.Since(start)
	// The results of the benchmarks that finished count even when a later
	// one failed: the step is marked failed, its finished rows kept.
	res, perr := ParseResults(bytes.NewReader(stdout.Bytes()), procs)
	ex.results = res
	if err != nil {
		return ex, fmt.Errorf("%s %s: %w: %s%s", filepath.Base(bin), strings.Join(args, " "), err,
			tail(stdout.Bytes(), 15), tail(stderr.Bytes(), 15))
	}
	if perr != nil {
		return ex, fmt.Errorf("%s: %w", filepath.Base(bin), perr)
	}
	return ex, nil
}

// readStatus reads VmRSS and VmHWM, in bytes, from /proc/pid/status.
func readStatus(pid int) (rss, hwm int64, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, false
	}
	for line := range strings.Lines(string(b)) {
		key, val, found := strings.Cut(line, ":")
		if !found || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(val) // "123456 kB"
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		if key == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	return rss, hwm, rss > 0
}

// tail is the last n lines of b, for error messages.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	s := strings.Join(lines, "\n")
	if s == "" {
		return ""
	}
	return "\n" + s
}
