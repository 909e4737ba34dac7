package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// rulesCmd runs "dateline rules test [DIR]": the examples of every event
// type in DIR (default: the built-in rules), one line each, and exits 1 when
// one fails.
func rulesCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stderr, "usage: dateline rules test [-v] [DIR]")
		return errUsage
	}
	fs := flag.NewFlagSet("rules test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print every example, not only failures")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dateline rules test [-v] [DIR]\n\nruns the examples of every event type in DIR (default: the built-in rules)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	var rs *rules.Set
	var err error
	if dir := fs.Arg(0); dir != "" {
		rs, err = rules.LoadDir(dir)
	} else {
		rs, err = rules.Load(pipelines.FS)
	}
	if err != nil {
		return err
	}
	x, err := extract.New(rs)
	if err != nil {
		return err
	}
	results := x.CheckExamples(rs)
	failed := 0
	for _, r := range results {
		if len(r.Failures) == 0 {
			if *verbose {
				fmt.Fprintf(stdout, "ok   %s example %d: %q\n", r.Type, r.Index+1, r.Text)
			}
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL %s example %d (%s:%d): %q\n", r.Type, r.Index+1, r.Source.File, r.Source.Line, r.Text)
		for _, f := range r.Failures {
			fmt.Fprintf(stdout, "     %s\n", f)
		}
	}
	fmt.Fprintf(stdout, "%d examples, %d failed\n", len(results), failed)
	if failed > 0 {
		return fmt.Errorf("%d of %d examples failed", failed, len(results))
	}
	return nil
}
