package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParseValid(t *testing.T) {
	src := `listen: "127.0.0.1:9999"
data_dir: /tmp/x
admin_token: "${TOKEN}"
fetch:
  poll_interval: 90s
feeds:
  - url: "https://example.org/rss"
    name: "Example"
alerts:
  - name: treaties
    query: "treaty"
    destinations:
      - kind: slack
        url: "${SLACK:-https://hooks.example/x}"
`
	cfg, err := Parse("t.yaml", []byte(src), env(map[string]string{"TOKEN": "s3cret"}))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if cfg.AdminToken != "s3cret" {
		t.Errorf("admin_token = %q, want expanded", cfg.AdminToken)
	}
	if got := cfg.Fetch.PollInterval.D(); got != 90*time.Second {
		t.Errorf("poll_interval = %v, want 90s", got)
	}
	if cfg.Fetch.MaxBodyBytes != 10<<20 {
		t.Errorf("max_body_bytes = %d, want the default", cfg.Fetch.MaxBodyBytes)
	}
	if got := cfg.Alerts[0].Destinations[0].URL; got != "https://hooks.example/x" {
		t.Errorf("default expansion = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings the error must hold
	}{
		{"unknown top key", "listen: \"127.0.0.1:1\"\nlisten_addr: x\n", []string{"t.yaml:2", `unknown key "listen_addr"`}},
		{"unknown nested key", "fetch:\n  poll_intervall: 1m\n", []string{"t.yaml:2", `unknown key "fetch.poll_intervall"`}},
		{"unknown key in a flow mapping", "fetch: {pol: 1s, timeout: 2s}\n", []string{"t.yaml:1", `unknown key "fetch.pol"`}},
		{"unknown key in a list item", "feeds:\n  - url: https://x.example/a\n    intervall: 5m\n", []string{"t.yaml:3", `unknown key "feeds.0.intervall"`}},
		{"bad duration", "fetch:\n  poll_interval: soon\n", []string{"t.yaml:2: fetch.poll_interval:", `"soon" is not a duration`}},
		{"duration given a list", "index:\n  batch_wait: [1s]\n", []string{"t.yaml:2: index.batch_wait:", "not a duration"}},
		{"wrong type", "fetch:\n  max_body_bytes: lots\n", []string{"t.yaml:2: fetch.max_body_bytes:", `"lots"`, "whole number"}},
		{"list for text", "listen: [a]\n", []string{"t.yaml:1: listen:", "want text, got a list"}},
		{"bool", "fetch:\n  allow_private_networks: maybe\n", []string{"t.yaml:2: fetch.allow_private_networks:", "true or false"}},
		{"key given twice", "listen: a\nlisten: b\n", []string{"t.yaml:2: listen:", "given twice"}},
		{"broken yaml", "feeds: [\n", []string{"t.yaml"}},
		{"two unknown keys reported at once", "a: 1\nb: 2\n", []string{`"a"`, `"b"`, "t.yaml:1", "t.yaml:2"}},
		{"every problem reported at once", "fetch:\n  poll_interval: soon\n  workers: many\nindex:\n  batch_wait: 2x\n", []string{
			"t.yaml:2: fetch.poll_interval:", "t.yaml:3: fetch.workers:", "t.yaml:5: index.batch_wait:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src), nil)
			if err == nil {
				t.Fatal("Parse succeeded, want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"interval below 1s", "fetch:\n  poll_interval: 500ms\n", []string{"t.yaml:2", "fetch.poll_interval"}},
		{"feed url", "feeds:\n  - url: ftp://x\n", []string{"t.yaml:2", "feeds.0.url", "ftp://x"}},
		{"duplicate feed", "feeds:\n  - url: http://a/x\n  - url: http://a/x\n", []string{"t.yaml:3", "listed twice"}},
		{"role", "roles: [poller, cooker]\n", []string{"roles.1", "cooker"}},
		{"destination kind", "alerts:\n  - name: a\n    destinations:\n      - kind: pager\n        url: https://x/y\n", []string{"t.yaml:4", "alerts.0.destinations.0.kind"}},
		{"secret url not echoed", "alerts:\n  - name: a\n    destinations:\n      - kind: slack\n        url: not-a-url-SECRET\n", []string{"alerts.0.destinations.0.url"}},
		{"listen", "listen: nowhere\n", []string{"t.yaml:1", "listen"}},
		{"negative redirects", "fetch:\n  max_redirects: -1\n", []string{"t.yaml:2", "fetch.max_redirects"}},
		{"negative spacing", "fetch:\n  per_host_spacing: -1s\n", []string{"t.yaml:2", "fetch.per_host_spacing", "must not be negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("t.yaml", []byte(tt.src), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = cfg.Validate()
			if err == nil {
				t.Fatal("Validate succeeded, want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q leaks a secret URL", err)
			}
		})
	}
}

func TestValidateNamesTheFlag(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("listen: \"127.0.0.1:1\"\nroles: [api]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen = "nowhere"
	cfg.FromFlag("listen", "--listen")
	cfg.Roles = []string{"api", "chef"}
	cfg.FromFlag("roles", "--roles")
	err = cfg.Validate()
	if err == nil {
		t.Fatal("Validate succeeded, want error")
	}
	for _, want := range []string{`--listen: listen: "nowhere"`, `--roles: roles.1: unknown role "chef"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "t.yaml") {
		t.Errorf("error %q blames the file for values the flags set", err)
	}
}

// TestZeroMeansNone: 0 for max_redirects and per_host_spacing is kept as
// written (no redirect, no spacing), not replaced by the default.
func TestZeroMeansNone(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("fetch:\n  max_redirects: 0\n  per_host_spacing: 0s\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if cfg.Fetch.MaxRedirects != 0 || cfg.Fetch.PerHostSpacing != 0 {
		t.Errorf("max_redirects = %d, per_host_spacing = %v; want both 0 as written", cfg.Fetch.MaxRedirects, cfg.Fetch.PerHostSpacing.D())
	}
	def := Default().Fetch
	if def.MaxRedirects != 5 || def.PerHostSpacing.D() != time.Second {
		t.Errorf("defaults: max_redirects = %d, per_host_spacing = %v; want 5 and 1s (README)", def.MaxRedirects, def.PerHostSpacing.D())
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("Load = %v, want error naming the file", err)
	}
}

func TestDefaultConfigFile(t *testing.T) {
	path := filepath.Join("..", "..", "configs", "dateline.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no %s yet: %v", path, err)
	}
	cfg, err := Load(path, env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// The file documents the defaults: it must not drift from Default.
	if def := Default(); cfg.Fetch != def.Fetch || cfg.Index != def.Index || cfg.NATS.SyncInterval != def.NATS.SyncInterval {
		t.Errorf("%s differs from Default():\nfetch %+v\nwant  %+v\nindex %+v, want %+v", path, cfg.Fetch, def.Fetch, cfg.Index, def.Index)
	}
	if len(cfg.Feeds) < 10 {
		t.Errorf("default config lists %d feeds, want at least 10", len(cfg.Feeds))
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("listen: \"127.0.0.1:8080\"\nfeeds:\n  - url: http://x/y\n"))
	f.Add([]byte("fetch: {poll_interval: 1m}\n${X}: 1\n"))
	f.Add([]byte("- [\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := Parse("f.yaml", b, env(map[string]string{"X": "y"}))
		if err == nil {
			_ = cfg.Validate()
		}
	})
}

// TestParseReportsEveryProblemAtOnce: unknown keys, mistyped values, bad
// values and a variable holding a line break in one file are reported in
// one error, each with its file, line and key.
func TestParseReportsEveryProblemAtOnce(t *testing.T) {
	src := "listen: nowhere\n" +
		"log_level: loud\n" +
		"admin_tokn: x\n" +
		"rate_limit: -1\n" +
		"fetch:\n" +
		"  max_body_bytes: lots\n" +
		"  poll_interval: soon\n" +
		"  max_redirects: 99\n" +
		"feeds:\n" +
		"  - url: https://x.example/a\n" +
		"    locale: fr-FR\n" +
		"public_url: ${TWO_LINES}\n"
	env := func(name string) (string, bool) {
		if name == "TWO_LINES" {
			return "a\nb", true
		}
		return "", false
	}
	_, err := Parse("t.yaml", []byte(src), env)
	if err == nil {
		t.Fatal("Parse succeeded, want every problem")
	}
	for _, want := range []string{
		"t.yaml:1: listen:", `"nowhere" is not host:port`,
		"t.yaml:2: log_level:", `"loud"`,
		"t.yaml:3:", `unknown key "admin_tokn"`,
		"t.yaml:4: rate_limit:",
		"t.yaml:6: fetch.max_body_bytes:", `"lots"`,
		"t.yaml:7: fetch.poll_interval:", `"soon" is not a duration`,
		"t.yaml:8: fetch.max_redirects:", "99 is not between 0 and 20",
		"t.yaml:11: feeds.0.locale:", `"fr-FR" is not one of en-US, en-GB, en`,
		"t.yaml:12: ${TWO_LINES} holds a line break",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
}
