// Command dateline turns news feeds into a searchable, live timeline of
// dated events. It only parses flags and wires packages together; how
// the packages, stages, streams and buckets fit together is described in
// docs/architecture.md.
//
//	dateline serve [--config FILE] [--nats URL[,URL…]] [--node NAME] [--roles LIST] [--data DIR] [--listen ADDR]
//	dateline extract [--published RFC3339-or-date] [--title T] [--url U] [--locale en-US|en-GB|en] [--pipelines DIR] [--explain] FILE|-
//	dateline rules test [-v] [DIR]
//	dateline alerts test [--config FILE] [--nats URL] [--data DIR] [--server URL] [--token T] NAME
//	dateline feeds import|export [--server URL] [--token T] [FILE.opml]
//	dateline health [URL]
//	dateline streams migrate [--config FILE] [--nats URL[,URL…]] [--data DIR] [--dry-run]
//	dateline corrections export [--server URL] [--token T] DIR
//	dateline reindex [--server URL] [--token T] [--config FILE] [--nats URL[,URL…]] [--data DIR] [--offline]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: dateline <command> [flags]

commands:
  serve     run the service (all roles by default, embedded NATS unless --nats)
  extract   print the dated events of one plain-text article as JSON
  alerts    "alerts test NAME" sends a sample message to each destination of a rule
            (from the config file, else added through the API)
  feeds     import an OPML file into, or export the feeds of, a running Dateline
  rules     "rules test [DIR]" runs the examples of the extraction rules in DIR
  streams   "streams migrate" applies nats.replicas and nats.streams.* to existing streams
  health    "health [URL]" exits 0 when a running Dateline answers URL (/readyz) with 200
  corrections
            "corrections export DIR" writes analysts' corrections as labelled articles
  reindex   rebuild an api replica's index from EVENTS beside the serving one, then swap

run "dateline <command> -h" for a command's flags
`

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr)
	case "extract":
		err = extractCmd(args[1:], stdin, stdout, stderr)
	case "alerts":
		err = alertsCmd(ctx, args[1:], stdout, stderr)
	case "feeds":
		err = feedsCmd(ctx, args[1:], stdin, stdout, stderr)
	case "rules":
		err = rulesCmd(args[1:], stdout, stderr)
	case "streams":
		err = streamsCmd(ctx, args[1:], stdout, stderr)
	case "health":
		err = healthCmd(ctx, args[1:], stdout, stderr)
	case "corrections":
		err = correctionsCmd(ctx, args[1:], stdout, stderr)
	case "reindex":
		err = reindexCmd(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dateline: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		if err != errUsage {
			fmt.Fprintf(stderr, "dateline %s: %v\n", args[0], err)
		}
		return 1
	}
	return 0
}
