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
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/service"
)

const reindexUsage = `usage: dateline reindex [--server URL] [--token T] [--config FILE] [--nats URL[,URL…]] [--data DIR] [--offline]

Rebuilds an api replica's index from the EVENTS stream beside the one that
serves, then swaps it in. A running Dateline (--server, else $DATELINE_URL,
else the config's listen address) is asked to do it through its admin API
and keeps answering from the old index meanwhile; when none answers there,
or with --offline, the index under the data directory is rebuilt here (no
process may be serving it). Progress goes to stderr.`

// reindexPoll is how often the progress of a running Dateline's rebuild
// is asked for.
const reindexPoll = 500 * time.Millisecond

// reindexCmd runs "dateline reindex".
func reindexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "base URL of the running Dateline to ask (default: $DATELINE_URL, else http:// and the config's listen address)")
	token := fs.String("token", "", "admin token (default: env DATELINE_ADMIN_TOKEN, else the config's admin_token; never printed)")
	cfgPath := fs.String("config", "", "config file (default: "+defaultConfigPath+" if present, else built-in defaults)")
	natsURL := fs.String("nats", "", "offline: external NATS URL or comma-separated seeds (overrides nats.url)")
	dataDir := fs.String("data", "", "offline: data directory of the replica (overrides data_dir)")
	offline := fs.Bool("offline", false, "rebuild here without asking a running Dateline")
	fs.Usage = func() {
		fmt.Fprintln(stderr, reindexUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfigWithStore(*cfgPath, *natsURL, *dataDir)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	bar := newProgress(stderr)
	if !*offline {
		base, chosen := *server, *server != ""
		if !chosen {
			base = envOr("DATELINE_URL", "")
			chosen = base != ""
		}
		if !chosen {
			base = "http://" + localAddr(cfg.Listen)
		}
		tok := adminToken(*token)
		if tok == "" {
			tok = cfg.AdminToken
		}
		st, err := reindexRemote(ctx, strings.TrimRight(base, "/"), tok, bar)
		if err == nil {
			return reindexDone(stdout, st, "the Dateline at "+base)
		}
		// Nobody listens at the default address: the replica is not
		// running, so rebuild here. An address the user chose must answer.
		if chosen || !errors.Is(err, syscall.ECONNREFUSED) {
			return err
		}
		fmt.Fprintf(stderr, "no Dateline answers at %s; rebuilding %s here\n", base, filepath.Join(cfg.DataDir, "index"))
	}
	log := newLogger(stderr, "warn")
	st, err := service.Reindex(ctx, cfg, log, bar.update)
	if err != nil {
		bar.end()
		return err
	}
	bar.update(st)
	bar.end()
	return reindexDone(stdout, st, filepath.Join(cfg.DataDir, "index"))
}

// reindexDone prints the summary of a finished rebuild.
func reindexDone(stdout io.Writer, st api.ReindexStatus, where string) error {
	took := st.Finished.Sub(st.Started)
	fmt.Fprintf(stdout, "reindexed %s: %d events from %d event sets (EVENTS up to seq %d) in %s, %.0f events/s\n",
		where, st.Events, st.Sets, st.Seq, took.Round(100*time.Millisecond), st.EventsPerSecond)
	return nil
}

// localAddr turns a listen address into one to dial on this host: an
// unspecified host (":8080", "0.0.0.0:8080") is the loopback.
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// reindexRemote asks the Dateline at base to rebuild its index (or
// follows the rebuild it is already running) and reports the progress
// until it ends.
func reindexRemote(ctx context.Context, base, token string, bar *progress) (api.ReindexStatus, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	st, code, err := reindexCall(ctx, client, http.MethodPost, base, token)
	if err != nil {
		return st, err
	}
	switch code {
	case http.StatusAccepted:
	case http.StatusConflict:
		fmt.Fprintf(bar.w, "a rebuild is already running at %s; following it\n", base)
	default:
		return st, fmt.Errorf("POST %s/api/v1/admin/reindex: %s", base, st.Error)
	}
	defer bar.end()
	t := time.NewTicker(reindexPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return st, fmt.Errorf("stopped following the rebuild (it goes on at %s): %w", base, ctx.Err())
		case <-t.C:
		}
		st, code, err = reindexCall(ctx, client, http.MethodGet, base, token)
		if err != nil {
			return st, err
		}
		if code != http.StatusOK {
			return st, fmt.Errorf("GET %s/api/v1/admin/reindex: %s", base, st.Error)
		}
		bar.update(st)
		switch st.State {
		case api.ReindexDone:
			return st, nil
		case api.ReindexFailed:
			return st, fmt.Errorf("the rebuild at %s failed (the old index still serves): %s", base, st.Error)
		}
	}
}

// reindexCall sends one request to the reindex endpoint. A status other
// than 2xx is returned with the server's message in the status's Error.
func reindexCall(ctx context.Context, client *http.Client, method, base, token string) (api.ReindexStatus, int, error) {
	var st api.ReindexStatus
	req, err := http.NewRequestWithContext(ctx, method, base+"/api/v1/admin/reindex", nil)
	if err != nil {
		return st, 0, fmt.Errorf("--server %q: %w", base, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return st, 0, fmt.Errorf("%s %s/api/v1/admin/reindex: %w", method, base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		st.Error = apiError(resp)
		if resp.StatusCode == http.StatusNotFound {
			st.Error += " (a Dateline without the reindex endpoint, or without the api role?)"
		}
		return st, resp.StatusCode, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, resp.StatusCode, fmt.Errorf("%s %s/api/v1/admin/reindex: decode: %w", method, base, err)
	}
	return st, resp.StatusCode, nil
}
