package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/service"
)

const alertsUsage = "usage: dateline alerts test [--config FILE] [--nats URL] [--data DIR] [--server URL] [--token T] NAME"

// alertsCmd runs "dateline alerts test [--config FILE] [--nats URL]
// [--data DIR] [--server URL] [--token T] NAME": it sends a sample message
// to each destination of the named rule, from the config file or else added
// through the API, and prints each result. When a running service holds the
// embedded store of the data directory, the rules added through the API
// are out of reach from here, so the running service (--server) is asked
// to send instead. It fails when the rule is unknown, invalid, or any send
// failed.
func alertsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stderr, alertsUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("alerts test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	natsURL := fs.String("nats", "", "NATS URL holding the rules added through the API (overrides nats.url)")
	dataDir := fs.String("data", "", "data directory whose embedded NATS holds the rules added through the API, when no NATS URL is set (overrides data_dir)")
	server := fs.String("server", "", "base URL of the running Dateline to ask when it holds the data directory (default: the listen address of --config, else env DATELINE_URL, else the default config's listen address)")
	token := fs.String("token", "", "admin token for --server (default: the config's admin_token, else env DATELINE_ADMIN_TOKEN; never printed)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, alertsUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	name := fs.Arg(0)
	cfg, err := loadConfigWithStore(*cfgPath, *natsURL, *dataDir)
	if err != nil {
		return err
	}
	rule, source, err := service.FindAlert(ctx, cfg, name)
	if errors.Is(err, service.ErrDataDirInUse) {
		base := serviceURL(*server, *cfgPath != "", cfg.Listen)
		tok := *token
		if tok == "" {
			tok = cfg.AdminToken
		}
		rep, serr := testOnServer(ctx, base, adminToken(tok), name)
		if serr != nil {
			return fmt.Errorf("%w; asking the running service instead: %w", err, serr)
		}
		return printTest(stdout, rep)
	}
	if err != nil {
		return err
	}
	types, err := service.LoadTypes(cfg.Pipelines)
	if err != nil {
		return err
	}
	results, err := alert.SendTest(ctx, rule, alert.Options{
		PublicURL:            cfg.PublicURL,
		AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
		Env:                  os.LookupEnv,
		Types:                types,
	})
	if err != nil {
		return fmt.Errorf("invalid alert %q (%s):\n%w", name, source, err)
	}
	rep := alert.TestReport{Alert: name, Source: source}
	for _, r := range results {
		res := alert.TestReportResult{Destination: r.Destination, Status: r.Status}
		if r.Err != nil {
			res.Error = r.Err.Error()
			rep.Failed++
		}
		rep.Results = append(rep.Results, res)
	}
	return printTest(stdout, rep)
}

// serviceURL is the base URL of the running service: the --server flag
// when given, else the listen address of a config file given with
// --config (fromFile), else $DATELINE_URL, else the listen address of the
// default config. A listen address on all interfaces (":8080",
// "0.0.0.0:8080", "[::]:8080") is reached on loopback.
func serviceURL(flagValue string, fromFile bool, listen string) string {
	if flagValue != "" {
		return strings.TrimRight(flagValue, "/")
	}
	if !fromFile {
		if v := os.Getenv("DATELINE_URL"); v != "" {
			return strings.TrimRight(v, "/")
		}
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// printTest prints one line per destination of rep and fails when any
// destination failed.
func printTest(stdout io.Writer, rep alert.TestReport) error {
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", r.Destination, r.Error)
			continue
		}
		fmt.Fprintf(stdout, "ok   %s: HTTP %d\n", r.Destination, r.Status)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("alert %q (%s): %d of %d destinations failed", rep.Alert, rep.Source, rep.Failed, len(rep.Results))
	}
	return nil
}

// testOnServer asks the Dateline at base to send rule name's sample
// message (POST /api/v1/alerts/{name}/test) and returns its report.
func testOnServer(ctx context.Context, base, token, name string) (alert.TestReport, error) {
	var rep alert.TestReport
	u := base + "/api/v1/alerts/" + url.PathEscape(name) + "/test"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return rep, fmt.Errorf("--server %q: %w", base, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return rep, fmt.Errorf("--server %q: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return rep, fmt.Errorf("POST %s: %s", u, apiError(resp))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&rep); err != nil {
		return rep, fmt.Errorf("POST %s: read the report: %w", u, err)
	}
	return rep, nil
}
