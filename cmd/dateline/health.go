package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

const healthUsage = "usage: dateline health [URL]   (default http://127.0.0.1:8080/readyz)"

// healthCmd runs "dateline health [URL]": it GETs URL (a running
// Dateline's /readyz or /healthz) and succeeds on 200, for container
// health checks in images that have no shell or curl.
func healthCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	url := "http://127.0.0.1:8080/readyz"
	switch len(args) {
	case 0:
	case 1:
		url = args[0]
		if url == "-h" || url == "--help" {
			fmt.Fprintln(stdout, healthUsage)
			return nil
		}
	default:
		fmt.Fprintln(stderr, healthUsage)
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("health URL %q: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s %s", url, resp.Status, body)
	}
	fmt.Fprintf(stdout, "ok %s\n", url)
	return nil
}
