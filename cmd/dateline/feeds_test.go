package main

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/feedlist"
	"github.com/dateline/dateline/internal/service"
)

// startService runs a Dateline service on cfg (embedded NATS under
// cfg.DataDir unless cfg.NATS.URL is set) and returns its base URL and a
// function that stops it; the test's end stops it too.
func startService(t *testing.T, cfg config.Config) (string, func()) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Start(context.Background(), cfg, ex, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatalf("start service: %v", err)
	}
	stopped := false
	stop := func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.Stop(ctx); err != nil {
			t.Errorf("stop service: %v", err)
		}
	}
	t.Cleanup(stop)
	return "http://" + svc.Addr().String(), stop
}

// apiConfig is a service with only the api role (nothing is polled), an
// admin token and its data under a temporary directory.
func apiConfig(t *testing.T) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.AdminToken = "t0ken"
	cfg.Roles = []string{"api"}
	cfg.Feeds = nil
	return cfg
}

func parseOPMLFile(t *testing.T, name string) []feedlist.Feed {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feeds, err := feedlist.ParseOPML(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return feeds
}

// TestFeedsImportExport: "feeds import" adds an OPML file's feeds to a
// running Dateline and "feeds export" gives them back; a file with one bad
// outline is refused whole, naming the file and the outline; a wrong
// token fails every feed and exits 1.
func TestFeedsImportExport(t *testing.T) {
	t.Parallel()
	base, _ := startService(t, apiConfig(t))
	server := []string{"--server", base}

	export := func() []feedlist.Feed {
		t.Helper()
		code, out, errs := runCLI(t, "", append([]string{"feeds", "export"}, server...)...)
		if code != 0 {
			t.Fatalf("export: exit %d: %s", code, errs)
		}
		feeds, err := feedlist.ParseOPML(strings.NewReader(out))
		if err != nil {
			t.Fatalf("export is not OPML: %v\n%s", err, out)
		}
		return feeds
	}

	t.Run("bad outline", func(t *testing.T) {
		code, out, errs := runCLI(t, "", append(append([]string{"feeds", "import"}, server...), "--token", "t0ken", "testdata/bad-feeds.opml")...)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, want := range []string{"testdata/bad-feeds.opml", `outline[1]/outline[1] "Old FTP mirror"`, "ftp://mirror.example/world.xml"} {
			if !strings.Contains(errs, want) {
				t.Errorf("stderr %q does not name %q", errs, want)
			}
		}
		if out != "" {
			t.Errorf("stdout %q: nothing may be imported from a refused file", out)
		}
		if got := export(); len(got) != 0 {
			t.Errorf("after a refused import the server lists %v", got)
		}
	})

	t.Run("wrong token", func(t *testing.T) {
		code, out, errs := runCLI(t, "", append(append([]string{"feeds", "import"}, server...), "--token", "nope", "testdata/feeds.opml")...)
		if code != 1 || !strings.Contains(errs, "3 of 3 feeds not imported") || strings.Count(out, "FAILED: 401") != 3 {
			t.Errorf("exit %d, stdout %q, stderr %q; want 3 feeds refused with 401 and exit 1", code, out, errs)
		}
	})

	want := parseOPMLFile(t, "testdata/feeds.opml")
	code, out, errs := runCLI(t, "", append(append([]string{"feeds", "import"}, server...), "--token", "t0ken", "testdata/feeds.opml")...)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	for _, f := range want {
		if !strings.Contains(out, f.URL+"\tadded") {
			t.Errorf("import output %q does not report %s added", out, f.URL)
		}
	}
	// The server may list feeds in its own order.
	byURL := func(a, b feedlist.Feed) int { return strings.Compare(a.URL, b.URL) }
	got := export()
	slices.SortFunc(got, byURL)
	slices.SortFunc(want, byURL)
	if len(got) != len(want) {
		t.Fatalf("exported %d feeds %+v, want the %d imported", len(got), got, len(want))
	}
	for i := range want {
		if got[i].URL != want[i].URL || got[i].Name != want[i].Name {
			t.Errorf("exported %s %q, want %s %q", got[i].URL, got[i].Name, want[i].URL, want[i].Name)
		}
	}
}
