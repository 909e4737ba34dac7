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
// start-up, and rewrites the generated section of o.Out. A step that
// fails is recorded in the table (its rows say "not measured") and the
// session goes on; Run then returns an error naming the failed steps,
// after writing the table. The context cancels the running step.
func Run(ctx context.Context, o Options) (*Session, error) {
	if o.Events <= 0 {
		return nil, fmt.Errorf("events: %d, want a positive number", o.Events)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
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
	log.Info("bench: start", "events", o.Events, "raw", o.Raw, "quick", o.Quick, "dir", dir, "load", s.loadStart)

	s.commit = commitOf(ctx, o.Root)
	plan := steps(o, corpus)
	bins, buildErrs := map[string]string{}, map[string]error{}
	for _, st := range plan {
		if _, ok := bins[st.pkg]; ok || buildErrs[st.pkg] != nil {
			continue
		}
		log.Info("bench: build", "pkg", st.pkg)
		bin, err := build(ctx, o.Root, binDir, st.pkg)
		if err != nil {
			log.Error("bench: build failed", "pkg", st.pkg, "err", err)
			buildErrs[st.pkg] = err
			continue
		}
		bins[st.pkg] = bin
	}
	log.Info("bench: build", "pkg", "./cmd/dateline")
	dateline, buildServerErr := buildBinary(ctx, o.Root, binDir, "./cmd/dateline")
	for _, st := range plan {
		r := &stepRun{step: st, results: map[string]Result{}}
		r.load, _ = LoadAverage()
		s.runs[st.name], s.order = r, append(s.order, st.name)
		if err := buildErrs[st.pkg]; err != nil {
			r.err = err
			continue
		}
		log.Info("bench: run", "step", st.name, "command", st.command(o.Quick, o.Root), "load", r.load)
		ex, err := execute(ctx, bins[st.pkg], filepath.Join(o.Root, st.pkg), st.args(o.Quick), st.env, st.procs(), st.sample)
		r.wall, r.mem, r.err = ex.wall, ex.mem, err
		for _, res := range ex.results {
			r.results[res.Name] = res
		}
		if err != nil {
			log.Error("bench: step failed", "step", st.name, "err", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		if st.name == "serve" && err == nil {
			log.Info("bench: start-up of the index on disk")
			s.startup, s.startErr = measureStartup(ctx, corpus, o.Raw)
			s.serverErr = buildServerErr
			if s.serverErr == nil {
				searches := 300
				if o.Quick {
					searches = 20
				}
				log.Info("bench: dateline serve on the index on disk", "searches", searches)
				s.server, s.serverErr = measureServer(ctx, dateline, dir, filepath.Join(corpus, "dateline"), searches)
			}
			if s.serverErr != nil {
				log.Error("bench: dateline serve", "err", s.serverErr)
			}
		}
	}
	if s.runs["serve"].err != nil {
		s.startErr = errors.New("the serve step failed")
		s.serverErr = s.startErr
	}
	s.wall = time.Since(s.started)
	s.loadEnd, _ = LoadAverage()
	log.Info("bench: done", "wall", s.wall.Round(time.Second), "load", s.loadEnd)

	if err := WriteSection(o.Out, s.Markdown()); err != nil {
		return s, err
	}
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
	if len(failed) > 0 {
		return s, fmt.Errorf("steps failed (their rows say so in %s): %s", o.Out, strings.Join(failed, ", "))
	}
	return s, nil
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
