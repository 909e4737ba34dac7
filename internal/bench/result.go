// Package bench runs Dateline's Go benchmarks as one measured session and
// writes their figures, each beside the raw library's ceiling measured in
// the same session, as a Markdown table (issue 16's "one command").
//
// It holds no measurement of its own except the start-up of an index kept
// on disk and the resident memory of the process serving queries: every
// other figure comes from a benchmark in the package it measures, built
// with `go test -c` and run as a child process, whose output lines are
// parsed here. So each measurement has one copy, in its package's
// bench_test.go, and `go test -bench` and cmd/bench report the same thing.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Result is one benchmark's line of output: its name without the
// GOMAXPROCS suffix, its iteration count and its metrics by unit
// ("ns/op", "MB/s", "p95-ms", …).
type Result struct {
	Name    string
	N       int
	Metrics map[string]float64
}

// benchLine matches a result line: a name, an iteration count, then
// value-unit pairs.
var benchLine = regexp.MustCompile(`^(Benchmark\S+)\s+(\d+)\s+(.+)$`)

// ParseResults reads `go test -bench` output and returns its results in
// order. procs is the GOMAXPROCS the benchmarks ran with: the "-procs"
// suffix the testing package appends to names when it is not 1 is
// removed. Lines that are not results (logs, PASS, ok) are skipped; a
// result line whose metrics do not parse is an error.
func ParseResults(r io.Reader, procs int) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	suffix := ""
	if procs != 1 {
		suffix = "-" + strconv.Itoa(procs)
	}
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil {
			return nil, fmt.Errorf("benchmark %s: iterations %q: %w", m[1], m[2], err)
		}
		f := strings.Fields(m[3])
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("benchmark %s: odd number of fields in %q", m[1], m[3])
		}
		res := Result{Name: strings.TrimSuffix(m[1], suffix), N: n, Metrics: make(map[string]float64, len(f)/2)}
		for i := 0; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark %s: value %q of %s: %w", m[1], f[i], f[i+1], err)
			}
			res.Metrics[f[i+1]] = v
		}
		out = append(out, res)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read benchmark output: %w", err)
	}
	return out, nil
}
