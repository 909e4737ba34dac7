package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline/dateline/pipelines"
)

// copyRules writes the built-in rules to a temporary directory.
func copyRules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, pipelines.FS); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRulesTest(t *testing.T) {
	t.Parallel()
	code, out, errs := runCLI(t, "", "rules", "test")
	if code != 0 || !strings.Contains(out, "0 failed") {
		t.Fatalf("built-in rules: exit %d, out %q, err %q", code, out, errs)
	}

	// An edit that breaks an example is reported with its type, file and
	// line, and the command fails.
	dir := copyRules(t)
	path := filepath.Join(dir, "events.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), `"phone call~", "telephone call~",`, ``, 1)
	broken = strings.Replace(broken, `"spoke with", "speak~ with", "spoke to", "speak~ to",`, ``, 1)
	broken = strings.Replace(broken, `"spoke today with", "spoke yesterday with", "spoke today to", "spoke yesterday to",`, ``, 1)
	if broken == string(b) {
		t.Fatal("the meeting triggers to remove were not found")
	}
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "", "rules", "test", dir)
	if code != 1 || !strings.Contains(out, "FAIL meeting example") || !strings.Contains(out, "events.yaml:") || !strings.Contains(errs, "examples failed") {
		t.Errorf("broken rules: exit %d, out %q, err %q", code, out, errs)
	}

	// A broken rule file is refused naming the file and line.
	if err := os.WriteFile(path, []byte("event_types:\n  - id: x\n    bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, "", "rules", "test", dir)
	if code != 1 || !strings.Contains(errs, "events.yaml:3") {
		t.Errorf("bad rule file: exit %d, err %q", code, errs)
	}
}

func TestExtractExplain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	text := "Russia struck Kharkiv on Wednesday.\nThe talks had stalled on Monday, officials said.\nThe 1951 Convention of 1951 remains in force.\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "extract", "--explain", "--published", "2024-10-29", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"military_strike 2024-10-23",
		`trigger "struck" (group military_strike.attacked), date "Wednesday": a date in its own clause`,
		"The talks had stalled on Monday",
		`"talks" (negotiation.negotiation): the negative phrase "had stalled" of its type (talks that collapsed, stalled or were suspended are no round held)`,
		`"1951" names a document`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
}
