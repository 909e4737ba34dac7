package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/rules"
)

// errUsage means the flag package already printed what was wrong.
var errUsage = errors.New("usage")

// parseError turns a flag parsing error into errUsage, or flag.ErrHelp
// when help was asked for (-h), which exits 0.
func parseError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return flag.ErrHelp
	}
	return errUsage
}

// maxArticleBytes is the largest article extract accepts: what the
// extractor reads of a document (POST /api/v1/extract refuses bodies over
// the same size), so a larger input is refused rather than silently cut.
const maxArticleBytes = extract.MaxText

func extractCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	published := fs.String("published", "", "publication time, RFC 3339 or YYYY-MM-DD (default: now)")
	title := fs.String("title", "", "article title")
	link := fs.String("url", "", "article URL")
	locale := fs.String("locale", "", "order of numeric dates: en-US (month first), en-GB or en (day first)")
	pipelines := fs.String("pipelines", "", "directory of extraction rules (default: the built-in rules)")
	explain := fs.Bool("explain", false, "print, instead of JSON, what made each event and why each dated sentence gave none")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dateline extract [flags] FILE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if err := config.CheckLocale(*locale); err != nil {
		return fmt.Errorf("--locale: %w", err)
	}
	name := fs.Arg(0)
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	source := name
	if name == "-" {
		source = "stdin"
	}
	text, err := io.ReadAll(io.LimitReader(r, maxArticleBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", source, err)
	}
	if len(text) > maxArticleBytes {
		return fmt.Errorf("%s: larger than the limit of %d MiB (%d bytes) for one article; split it", source, maxArticleBytes>>20, maxArticleBytes)
	}
	ex, err := loadExtractor(*pipelines)
	if err != nil {
		return err
	}
	doc, err := extract.NewDocument(string(text), *title, *link, *published, time.Now())
	if err != nil {
		return fmt.Errorf("--published: %w", err)
	}
	doc.Locale = *locale
	if *explain {
		_, ex := ex.Explain(doc)
		return writeExplanation(stdout, ex)
	}
	events := ex.Extract(doc)
	if events == nil {
		events = []event.Event{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"events": events})
}

// writeExplanation prints an explanation for people editing the rules.
func writeExplanation(w io.Writer, ex extract.Explanation) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%d events\n", len(ex.Events))
	for i, e := range ex.Events {
		ev := e.Event
		date := ev.Date
		if ev.DateEnd != "" {
			date += ".." + ev.DateEnd
		}
		var places []string
		for _, p := range ev.Places {
			places = append(places, p.Name)
		}
		fmt.Fprintf(b, "\n%d. %s %s %s actors=[%s] places=[%s]\n", i+1, ev.Type, date, ev.Status,
			strings.Join(ev.Actors, ", "), strings.Join(places, ", "))
		fmt.Fprintf(b, "   trigger %q (group %s), date %q: %s\n", e.Trigger, e.Group, e.Date, e.Binding)
		fmt.Fprintf(b, "   %s\n", ev.Sentence)
	}
	fmt.Fprintf(b, "\n%d dated sentences gave no event\n", len(ex.Silent))
	for _, s := range ex.Silent {
		fmt.Fprintf(b, "\n- %s\n", s.Sentence)
		fmt.Fprintf(b, "  dates: %s\n", strings.Join(s.Dates, "; "))
		for _, r := range s.Reasons {
			fmt.Fprintf(b, "  because %s\n", r)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// loadExtractor compiles the rules in dir, or the built-in ones.
func loadExtractor(dir string) (*extract.Extractor, error) {
	if dir == "" {
		return extract.Default()
	}
	rs, err := rules.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	return extract.New(rs)
}
