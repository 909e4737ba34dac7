// Command bench runs every Dateline benchmark in one session and writes
// the table of figures, each beside its raw library ceiling measured in
// the same run, into the generated section of BENCHMARKS.md:
//
//	go run ./cmd/bench                                # 100,000 events
//	go run ./cmd/bench -events 1000000
//	go run ./cmd/bench -events 10000000 -raw=false    # Dateline only
//
// Run it from the repository root. It builds each package's benchmarks
// with `go test -c` and runs them as child processes (see internal/bench).
// The index is built twice (once timed for indexing, once kept for the
// queries), and raw Bleve twice beside it, so the time grows with
// -events: about 10 minutes at 100,000 on two shared cores, an hour or
// more at 1,000,000 (raw Bleve builds at ~1,100 events/s), and at
// 10,000,000 hours even without raw Bleve, with the generated events
// (~1 KB each) held in the benchmark's memory; BENCHMARKS.md gives the
// durations measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dateline/dateline/internal/bench"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	events := fs.Int("events", 100_000, "generated events for indexing, search, memory, start-up and disk")
	raw := fs.Bool("raw", true, "measure raw Bleve's indexing and queries beside Dateline's")
	quick := fs.Bool("quick", false, "few iterations of each benchmark (development, tests; not figures)")
	dir := fs.String("dir", "", "keep test binaries and the index corpus here (default: a temporary directory, removed)")
	out := fs.String("out", "BENCHMARKS.md", "Markdown file whose generated section is rewritten")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	outPath := *out
	if !filepath.IsAbs(outPath) {
		outPath = filepath.Join(root, outPath)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	_, err = bench.Run(ctx, bench.Options{
		Root: root, Events: *events, Raw: *raw, Quick: *quick, Dir: *dir, Out: outPath,
		Command: strings.TrimSpace("go run ./cmd/bench " + strings.Join(args, " ")), Logger: log,
	})
	if err != nil {
		return err
	}
	log.Info("bench: table written", "file", outPath)
	return nil
}

// moduleRoot is the directory of the main module's go.mod.
func moduleRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(b))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module: run cmd/bench from the repository")
	}
	return filepath.Dir(mod), nil
}
