package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/config"
)

// TestExtractLocale: "extract --locale" takes the locales the config
// takes and refuses any other, naming the flag and the locales it knows.
func TestExtractLocale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		locale   string
		wantCode int
		want     string
	}{
		{"fr-FR", 1, `--locale: "fr-FR" is not one of en-US, en-GB, en`},
		{"en_GB", 1, `--locale: "en_GB" is not one of en-US, en-GB, en`},
		{"en-GB", 0, ""},
		{"en-US", 0, ""},
		{"en", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.locale, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "extract", "--locale", tc.locale, "--published", "2024-03-04", "testdata/article.txt")
			if code != tc.wantCode || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d naming %q", code, errs, tc.wantCode, tc.want)
			}
			if tc.wantCode != 0 && out != "" {
				t.Errorf("stdout %q: a refused locale extracts nothing", out)
			}
		})
	}
}

// TestFeedsImportSaysWhatWasThere: "feeds import" says which feeds it
// added and which the service already had (in its config or added before),
// and counts both.
func TestFeedsImportSaysWhatWasThere(t *testing.T) {
	t.Parallel()
	want := parseOPMLFile(t, "testdata/feeds.opml")
	cfg := apiConfig(t)
	cfg.Feeds = []config.Feed{{URL: want[0].URL, Name: "from the config"}}
	base, _ := startService(t, cfg)
	args := []string{"feeds", "import", "--server", base, "--token", "t0ken", "testdata/feeds.opml"}

	code, out, errs := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("first import: exit %d: %s", code, errs)
	}
	for i, f := range want {
		status := "added"
		if i == 0 {
			status = "already there"
		}
		if !strings.Contains(out, f.URL+"\t"+status+"\n") {
			t.Errorf("first import: output %q does not say %s %s", out, f.URL, status)
		}
	}
	if summary := fmt.Sprintf("%d added, 1 already there (%d in testdata/feeds.opml)", len(want)-1, len(want)); !strings.Contains(out, summary) {
		t.Errorf("first import: output %q, want the summary %q", out, summary)
	}

	code, out, errs = runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("second import: exit %d: %s", code, errs)
	}
	if strings.Contains(out, "\tadded") || strings.Count(out, "\talready there\n") != len(want) ||
		!strings.Contains(out, fmt.Sprintf("0 added, %d already there", len(want))) {
		t.Errorf("second import: output %q; want every feed already there", out)
	}
}

// TestAlertsTestConfigReachesService: while a service holds the data
// directory, "alerts test --config FILE" asks it through FILE's listen
// address with FILE's admin_token, with no --server or --token.
func TestAlertsTestConfigReachesService(t *testing.T) {
	t.Parallel()
	good := newReceiver(t, http.StatusOK)
	cfg := apiConfig(t)
	cfg.Fetch.AllowPrivateNetworks = true
	base, _ := startService(t, cfg)
	addAlert(t, base, `{"name":"strikes","query":"strike","destinations":[{"kind":"slack","url":"`+good.URL+`/slack"}]}`)
	listen := strings.TrimPrefix(base, "http://")
	file := func(token string) string {
		path := filepath.Join(t.TempDir(), "dateline.yaml")
		body := fmt.Sprintf("listen: %q\nadmin_token: %q\ndata_dir: %q\nfetch:\n  allow_private_networks: true\n", listen, token, cfg.DataDir)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	code, out, errs := runCLI(t, "", "alerts", "test", "--config", file("t0ken"), "strikes")
	if code != 0 || !strings.Contains(out, "ok   slack "+good.URL+"/***: HTTP 200") {
		t.Errorf("config's listen and token: exit %d, stdout %q, stderr %q; want the service to send", code, out, errs)
	}
	if n := good.take(); n != 1 {
		t.Errorf("the receiver got %d requests, want 1", n)
	}

	code, _, errs = runCLI(t, "", "alerts", "test", "--config", file("wrong"), "strikes")
	if code != 1 || !strings.Contains(errs, base+"/api/v1/alerts/strikes/test") || !strings.Contains(errs, "401") {
		t.Errorf("config's wrong token: exit %d, stderr %q; want 1 naming the service's address and the 401", code, errs)
	}
}

// TestServiceURL checks where "alerts test" finds the running service.
func TestServiceURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag     string
		fromFile bool
		listen   string
		want     string
	}{
		{"http://other:9000/", true, "127.0.0.1:8080", "http://other:9000"},
		{"", true, "127.0.0.1:8181", "http://127.0.0.1:8181"},
		{"", true, ":8181", "http://127.0.0.1:8181"},
		{"", true, "0.0.0.0:8181", "http://127.0.0.1:8181"},
		{"", true, "[::]:8181", "http://[::1]:8181"},
	}
	for _, tc := range tests {
		if got := serviceURL(tc.flag, tc.fromFile, tc.listen); got != tc.want {
			t.Errorf("serviceURL(%q, %v, %q) = %q, want %q", tc.flag, tc.fromFile, tc.listen, got, tc.want)
		}
	}
}
