package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/corrections"
)

// correctionsCmd works on the corrections analysts made through the API:
//
//	dateline corrections export [--server URL] [--token T] DIR
//
// export writes each correction as labelled articles (a .txt and its
// gold .json per report of the corrected event, the dev-set format) into
// DIR, prints one line per gold file and a count, and names corrections
// whose event the index no longer has.
func correctionsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(stderr, "usage: dateline corrections export [--server URL] [--token T] DIR")
		return errUsage
	}
	fs := flag.NewFlagSet("corrections export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("DATELINE_URL", "http://127.0.0.1:8080"), "base URL of a running Dateline (env DATELINE_URL)")
	token := fs.String("token", "", "admin token (default: env DATELINE_ADMIN_TOKEN; never printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 {
		return errors.New("export needs one directory to write the labelled articles into")
	}
	base := strings.TrimRight(*server, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/corrections/export", nil)
	if err != nil {
		return fmt.Errorf("--server %q: %w", base, err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken(*token))
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("export corrections from %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("export corrections from %s: %s", base, apiError(resp))
	}
	var body struct {
		Files   []corrections.File `json:"files"`
		Skipped []string           `json:"skipped"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&body); err != nil {
		return fmt.Errorf("export corrections from %s: read the answer: %w", base, err)
	}
	paths, err := corrections.Write(fs.Arg(0), body.Files)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	for _, id := range body.Skipped {
		fmt.Fprintf(stdout, "skipped: event %s is no longer in the index\n", id)
	}
	fmt.Fprintf(stdout, "%d labelled articles written to %s", len(paths), fs.Arg(0))
	if len(body.Skipped) > 0 {
		fmt.Fprintf(stdout, ", %d corrections skipped", len(body.Skipped))
	}
	fmt.Fprintln(stdout)
	return nil
}
