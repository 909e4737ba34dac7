package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/feedlist"
)

// feedsCmd manages the feeds of a running Dateline through its API:
//
//	dateline feeds import [--server URL] [--token T] FILE.opml|-
//	dateline feeds export [--server URL]
func feedsCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(stderr, "usage: dateline feeds import [--server URL] [--token T] FILE.opml|-\n       dateline feeds export [--server URL]")
		return errUsage
	}
	fs := flag.NewFlagSet("feeds "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("DATELINE_URL", "http://127.0.0.1:8080"), "base URL of a running Dateline (env DATELINE_URL)")
	token := fs.String("token", "", "admin token (default: env DATELINE_ADMIN_TOKEN; never printed)")
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	base := strings.TrimRight(*server, "/")
	if args[0] == "export" {
		return exportFeeds(ctx, client, base, stdout)
	}
	if fs.NArg() != 1 {
		return errors.New("import needs one OPML file (or - for stdin)")
	}
	return importFeeds(ctx, client, base, adminToken(*token), fs.Arg(0), stdin, stdout)
}

func exportFeeds(ctx context.Context, client *http.Client, base string, stdout io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/feeds.opml", nil)
	if err != nil {
		return fmt.Errorf("--server %q: %w", base, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("export from %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("export from %s: %s", base, apiError(resp))
	}
	_, err = io.Copy(stdout, resp.Body)
	return err
}

// importFeeds adds the feeds of the OPML file name ("-": stdin) to the
// Dateline at base, printing for each whether it was added or already
// there, then a count of each.
func importFeeds(ctx context.Context, client *http.Client, base, token, name string, stdin io.Reader, stdout io.Writer) error {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	feeds, err := feedlist.ParseOPML(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	have, err := feedURLs(ctx, client, base)
	if err != nil {
		return err
	}
	var added, there, failed int
	for _, f := range feeds {
		if have[f.URL] {
			there++
			fmt.Fprintf(stdout, "%s\talready there\n", f.URL)
			continue
		}
		body, _ := json.Marshal(map[string]any{"url": f.URL, "name": f.Name})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/feeds", bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("--server %q: %w", base, err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("import into %s: %w", base, err)
		}
		msg := "added"
		if resp.StatusCode != http.StatusCreated {
			msg, failed = "FAILED: "+apiError(resp), failed+1
		} else {
			added++
			have[f.URL] = true
		}
		resp.Body.Close()
		fmt.Fprintf(stdout, "%s\t%s\n", f.URL, msg)
	}
	fmt.Fprintf(stdout, "%d added, %d already there", added, there)
	if failed > 0 {
		fmt.Fprintf(stdout, ", %d failed", failed)
	}
	fmt.Fprintf(stdout, " (%d in %s)\n", len(feeds), name)
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds not imported", failed, len(feeds))
	}
	return nil
}

// feedURLs returns the URLs of the feeds the Dateline at base already
// polls (GET /api/v1/feeds: the config's and those added through the API).
func feedURLs(ctx context.Context, client *http.Client, base string) (map[string]bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/feeds", nil)
	if err != nil {
		return nil, fmt.Errorf("--server %q: %w", base, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("list the feeds of %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("list the feeds of %s: %s", base, apiError(resp))
	}
	var list struct {
		Feeds []struct {
			URL string `json:"url"`
		} `json:"feeds"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&list); err != nil {
		return nil, fmt.Errorf("list the feeds of %s: %w", base, err)
	}
	have := make(map[string]bool, len(list.Feeds))
	for _, f := range list.Feeds {
		have[f.URL] = true
	}
	return have, nil
}

// apiError reads the {"error": …} body of a failed API response.
func apiError(resp *http.Response) string {
	var e struct {
		Error string `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return fmt.Sprintf("%s: %s", resp.Status, e.Error)
	}
	return resp.Status
}

// adminToken is the --token flag, else $DATELINE_ADMIN_TOKEN. The
// environment is read only here, not as the flag's default, so that usage
// output never prints the token.
func adminToken(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv("DATELINE_ADMIN_TOKEN")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
