package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Options configure a session. The zero value is not usable: Root,
// Events and Out are required.
type Options struct {
	// Root is the module's root directory (where go.mod is).
	Root string
	// Events is the size of the generated corpus of the index steps
	// (indexing, queries, memory, start-up, disk).
	Events int
	// Raw measures raw Bleve's indexing and queries beside Dateline's.
	// Off, the index steps run Dateline only (for 10,000,000 events, where
	// raw Bleve's build alone takes hours) and the ceilings say so.
	Raw bool
	// Quick runs few iterations of each benchmark: for development and
	// cmd/bench's own test, not for figures.
	Quick bool
	// Dir keeps the test binaries and the index corpus; empty uses a
	// temporary directory removed at the end.
	Dir string
	// Out is the Markdown file whose generated section is rewritten.
	Out string
	// Command is the command line recorded in the table.
	Command string
	// Logger receives progress; nil discards.
	Logger *slog.Logger
}

// stepRun is what one step gave.
type stepRun struct {
	step    step
	results map[string]Result // by name
	wall    time.Duration
	mem     memory
	load    string // load average when the step started
	err     error
}

// Session is a finished run: every step's results and the machine.
type Session struct {
	opts      Options
	machine   Machine
	started   time.Time
	wall      time.Duration
	loadStart string
	loadEnd   string
	runs      map[string]*stepRun // by step name
	order     []string
	startup   startup
	startErr  error
	corpus    string
	commit    string // the code measured, from git
	server    serverRun
	serverErr error
}

// Run builds the benchmark binaries, runs every step in order, measures
// start-up and `dateline serve`, and rewrites the generated section of
// o.Out. A step that fails is recorded in the table (its rows say "not
// measured") and the session goes on; Run then returns an error naming
// the failed steps, after writing the table. The context cancels the
// running step.
func Run(ctx context.Context, o Options) (*Session, error) {
	if o.Events <= 0 {
		return nil, fmt.Errorf("events: %d, want a positive number", o.Events)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "dateline-bench-")
		if err != nil {
			return nil, fmt.Errorf("work directory: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	binDir, corpus := filepath.Join(dir, "bin"), filepath.Join(dir, "corpus")
	for _, d := range []string{binDir, corpus} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("work directory: %w", err)
		}
	}
	s := &Session{opts: o, machine: ReadMachine(), started: time.Now(), runs: map[string]*stepRun{}, corpus: corpus}
	s.loadStart, _ = LoadAverage()
	s.commit = commitOf(ctx, o.Root)
	o.Logger.Info("bench: start", "events", o.Events, "raw", o.Raw, "quick", o.Quick, "dir", dir, "load", s.loadStart)

	plan := steps(o, corpus)
	bins := s.buildAll(ctx, plan, binDir)
	for _, st := range plan {
		s.runStep(ctx, st, bins)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		if st.name == "serve" {
			s.measureServing(ctx, bins, dir)
		}
	}
	s.wall = time.Since(s.started)
	s.loadEnd, _ = LoadAverage()
	o.Logger.Info("bench: done", "wall", s.wall.Round(time.Second), "load", s.loadEnd)
	if err := WriteSection(o.Out, s.Markdown()); err != nil {
		return s, err
	}
	if failed := s.failed(); len(failed) > 0 {
		return s, fmt.Errorf("steps failed (their rows say so in %s): %s", o.Out, strings.Join(failed, ", "))
	}
	return s, nil
}

// datelineBin is the key of the dateline binary among the built ones.
const datelineBin = "./cmd/dateline"

// binary is a built binary, or why it could not be built.
type binary struct {
	path string
	err  error
}

// built is a binary per package path.
type built map[string]binary

// buildAll compiles each package's tests once, and the dateline binary.
func (s *Session) buildAll(ctx context.Context, plan []step, binDir string) built {
	bins := built{}
	for _, st := range plan {
		if _, ok := bins[st.pkg]; ok {
			continue
		}
		s.opts.Logger.Info("bench: build", "pkg", st.pkg)
		path, err := build(ctx, s.opts.Root, binDir, st.pkg)
		if err != nil {
			s.opts.Logger.Error("bench: build failed", "pkg", st.pkg, "err", err)
		}
		bins[st.pkg] = binary{path, err}
	}
	s.opts.Logger.Info("bench: build", "pkg", datelineBin)
	path, err := buildBinary(ctx, s.opts.Root, binDir, datelineBin)
	if err != nil {
		s.opts.Logger.Error("bench: build failed", "pkg", datelineBin, "err", err)
	}
	bins[datelineBin] = binary{path, err}
	return bins
}

// runStep runs one step's benchmarks and records what they gave.
func (s *Session) runStep(ctx context.Context, st step, bins built) {
	r := &stepRun{step: st, results: map[string]Result{}}
	r.load, _ = LoadAverage()
	s.runs[st.name], s.order = r, append(s.order, st.name)
	bin := bins[st.pkg]
	if bin.err != nil {
		r.err = bin.err
		return
	}
	s.opts.Logger.Info("bench: run", "step", st.name, "command", st.command(s.opts.Quick, s.opts.Root), "load", r.load)
	ex, err := execute(ctx, bin.path, filepath.Join(s.opts.Root, st.pkg), st.args(s.opts.Quick), st.env, st.procs(), st.sample)
	r.wall, r.mem, r.err = ex.wall, ex.mem, err
	for _, res := range ex.results {
		r.results[res.Name] = res
	}
	if err != nil {
		s.opts.Logger.Error("bench: step failed", "step", st.name, "err", err)
	}
}

// measureServing measures start-up and `dateline serve` on the corpus
// the serve step read, once that step succeeded.
func (s *Session) measureServing(ctx context.Context, bins built, dir string) {
	if err := s.runs["serve"].err; err != nil {
		s.startErr = errors.New("the serve step failed")
		s.serverErr = s.startErr
		return
	}
	s.opts.Logger.Info("bench: start-up of the index on disk")
	s.startup, s.startErr = measureStartup(ctx, s.corpus, s.opts.Raw)
	if s.serverErr = bins[datelineBin].err; s.serverErr != nil {
		return
	}
	searches := 300
	if s.opts.Quick {
		searches = 20
	}
	s.opts.Logger.Info("bench: dateline serve on the index on disk", "searches", searches)
	s.server, s.serverErr = measureServer(ctx, bins[datelineBin].path, dir, filepath.Join(s.corpus, "dateline"), searches)
	if s.serverErr != nil {
		s.opts.Logger.Error("bench: dateline serve", "err", s.serverErr)
	}
}

// failed names the steps and measurements that failed.
func (s *Session) failed() []string {
	var failed []string
	for _, name := range s.order {
		if s.runs[name].err != nil {
			failed = append(failed, name)
		}
	}
	if s.startErr != nil {
		failed = append(failed, "startup")
	}
	if s.serverErr != nil {
		failed = append(failed, "dateline serve")
	}
	return failed
}

// commitOf names the commit checked out in root, with "+ uncommitted
// changes" when tracked files differ from it; "unknown" without git.
func commitOf(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (no git)"
	}
	c := "`" + strings.TrimSpace(string(out)) + "`"
	if exec.CommandContext(ctx, "git", "-C", root, "diff", "--quiet", "HEAD").Run() != nil {
		c += " + uncommitted changes"
	}
	return c
}
