package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes the host a session ran on.
type Machine struct {
	Cores     int    // logical CPUs the Go runtime sees
	MemTotal  int64  // bytes, from /proc/meminfo
	CPUModel  string // from /proc/cpuinfo
	GoVersion string // the toolchain that built cmd/bench (and, through `go test -c`, the benchmarks)
	OS        string // GOOS/GOARCH
}

// ReadMachine reads the host's description; fields it cannot read stay
// empty.
func ReadMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(v)
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil && len(f) == 2 {
					m.MemTotal = kb << 10
				}
			}
		}
	}
	return m
}

// LoadAverage reads the 1, 5 and 15-minute load averages from
// /proc/loadavg, as "1.23 0.98 0.50".
func LoadAverage() (string, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "", fmt.Errorf("read load average: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "", fmt.Errorf("read load average: unexpected /proc/loadavg %q", b)
	}
	return strings.Join(f[:3], " "), nil
}
