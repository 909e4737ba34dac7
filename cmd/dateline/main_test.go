package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExtractCommand(t *testing.T) {
	t.Parallel()
	code, out, errs := runCLI(t, "", "extract", "--published", "2024-03-04", "testdata/article.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct{ Events []event.Event }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	found := false
	for _, ev := range r.Events {
		if ev.Type == "military_strike" && ev.Date == "2024-03-03" {
			found = true
		}
	}
	if !found {
		t.Errorf("no military_strike on 2024-03-03 in %s", out)
	}
	// stdin gives the same events as the file.
	text, _ := os.ReadFile("testdata/article.txt")
	_, out2, _ := runCLI(t, string(text), "extract", "--published", "2024-03-04", "-")
	if out2 != out {
		t.Errorf("stdin output differs from file output:\n%s\n%s", out2, out)
	}
}

// TestExtractRefusesOversizedInput: an article over 1 MiB (what the
// extractor reads and the API accepts) is refused, naming the file or
// stdin and the limit, instead of being cut silently; 1 MiB exactly passes.
func TestExtractRefusesOversizedInput(t *testing.T) {
	t.Parallel()
	line := "Russia struck Kharkiv with missiles on March 3, 2024.\n"
	big := strings.Repeat(line, maxArticleBytes/len(line)+1)
	fits := big[:maxArticleBytes]
	file := filepath.Join(t.TempDir(), "huge.txt")
	if err := os.WriteFile(file, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, stdin string
		args        []string
		want        string // in stderr; empty: success
	}{
		{"file", "", []string{"extract", file}, file + ": larger than the limit of 1 MiB"},
		{"stdin", big, []string{"extract", "-"}, "stdin: larger than the limit of 1 MiB"},
		{"exactly 1 MiB", fits, []string{"extract", "-"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.stdin, tt.args...)
			if tt.want == "" {
				if code != 0 || !strings.Contains(out, `"events"`) {
					t.Errorf("exit %d, stderr %q; want events", code, errs)
				}
				return
			}
			if code != 1 || !strings.Contains(errs, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want exit 1 and %q", code, len(out), errs, tt.want)
			}
		})
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"no command", nil, 2, []string{"usage"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"missing article", []string{"extract", "testdata/nope.txt"}, 1, []string{"testdata/nope.txt"}},
		{"bad published", []string{"extract", "--published", "last tuesday", "testdata/article.txt"}, 1, []string{"published", "last tuesday"}},
		{"unknown config key", []string{"serve", "--config", "testdata/bad.yaml"}, 1, []string{"testdata/bad.yaml:4", `unknown key "fetch.max_body"`}},
		{"bad duration", []string{"serve", "--config", "testdata/badduration.yaml"}, 1, []string{"testdata/badduration.yaml:2: fetch.poll_interval:", `"often"`}},
		{"missing config", []string{"serve", "--config", "testdata/none.yaml"}, 1, []string{"testdata/none.yaml"}},
		{"bad role flag", []string{"serve", "--config", "testdata/good.yaml", "--roles", "poller, chef"}, 1, []string{`--roles: roles.1: unknown role "chef"`}},
		{"bad listen flag", []string{"serve", "--config", "testdata/good.yaml", "--listen", "nowhere"}, 1, []string{`--listen: listen: "nowhere"`}},
		{"help", []string{"serve", "-h"}, 0, []string{"-roles"}},
		{"bad pipelines dir", []string{"extract", "--pipelines", "testdata/no-such-dir", "testdata/article.txt"}, 1, []string{"no-such-dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q does not name %q", errs, w)
				}
			}
		})
	}
}

func TestBadConfigStartsNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	data := filepath.Join(dir, "data")
	os.WriteFile(cfg, []byte("data_dir: "+data+"\nfeeds:\n  - url: not-a-url\n"), 0o600)
	code, _, errs := runCLI(t, "", "serve", "--config", cfg)
	if code == 0 || !strings.Contains(errs, "feeds.0.url") {
		t.Fatalf("exit %d, stderr %q; want failure naming feeds.0.url", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("data dir %s was created by a refused config (err %v)", data, err)
	}
}

// TestUsageNeverPrintsTheToken: the admin token from the environment is
// used, but usage and help output never show it.
func TestUsageNeverPrintsTheToken(t *testing.T) {
	const secret = "s3cr3t-admin-token"
	t.Setenv("DATELINE_ADMIN_TOKEN", secret)
	for _, args := range [][]string{
		{"alerts", "test"},
		{"alerts", "test", "-h"},
		{"feeds", "import", "-h"},
		{"feeds", "export", "-h"},
		{"feeds"},
	} {
		_, out, errs := runCLI(t, "", args...)
		if strings.Contains(out+errs, secret) {
			t.Errorf("%v printed the admin token: %q %q", args, out, errs)
		}
		if !strings.Contains(out+errs, "usage") && !strings.Contains(out+errs, "Usage") {
			t.Errorf("%v printed no usage: %q %q", args, out, errs)
		}
	}
	if got := adminToken(""); got != secret {
		t.Errorf("adminToken(\"\") = %q, want the environment's", got)
	}
	if got := adminToken("flag"); got != "flag" {
		t.Errorf("adminToken(\"flag\") = %q, want the flag's", got)
	}
}
