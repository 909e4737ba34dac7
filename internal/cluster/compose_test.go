package cluster_test

import (
	"context"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/cluster"
)

// compose returns the command that runs Docker Compose here ("docker
// compose", else the older "docker-compose" with --compatibility, which
// honours deploy.replicas), or nil when Docker or Compose is missing.
func compose() []string {
	if exec.Command("docker", "info").Run() != nil {
		return nil
	}
	if exec.Command("docker", "compose", "version").Run() == nil {
		return []string{"docker", "compose"}
	}
	if exec.Command("docker-compose", "version").Run() == nil {
		return []string{"docker-compose", "--compatibility"}
	}
	return nil
}

// run runs name with args, failing the test with its output on error.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// scratchImage builds an image FROM scratch holding the binaries files
// (path in the image: binary here), whose entry point is entry, tagged
// tag: nothing is pulled.
func scratchImage(t *testing.T, tag, entry string, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	dockerfile := "FROM scratch\nENV PATH=/usr/local/bin\n"
	for _, path := range slices.Sorted(maps.Keys(files)) {
		data, err := os.ReadFile(files[path])
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
		dockerfile += fmt.Sprintf("COPY %s %s\n", name, path)
	}
	dockerfile += fmt.Sprintf("ENTRYPOINT [%q]\n", entry)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "docker", "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
}

// TestComposeCluster is the compose test of issue 15: it builds the
// nats-server and Dateline images from scratch (static binaries, nothing
// pulled), runs the project's docker-compose.yml (three NATS nodes, two
// pollers, two extractors, an alerter, two api replicas) with an override
// that puts those images in and the feeds of a local feed server, waits
// until both api replicas hold every article's event, stops one NATS
// container and one extractor container, adds articles, and checks that
// ingest goes on and both replicas end with the same events. Then, with
// both back, it cuts nats3 off the network (docker network disconnect)
// while articles arrive and connects it again: both replicas still end
// with exactly one event per article, the same ids. Before the kills,
// "dateline reindex" in api1 rebuilds its index; the later checks find
// each event once in it. "down -v" runs at the
// end, whatever happened. Skipped without Docker and Compose,
// unless DATELINE_REQUIRE_DOCKER is set.
func TestComposeCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("runs docker compose; run without -short")
	}
	dc := compose()
	if dc == nil {
		if os.Getenv("DATELINE_REQUIRE_DOCKER") != "" {
			t.Fatal("docker with compose is required (DATELINE_REQUIRE_DOCKER is set) but not available")
		}
		t.Skip("docker or docker compose is not available")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	const feeds, first, second, third, fourth, fifth = 4, 100, 200, 250, 300, 350
	id := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	project := "dltest" + id
	natsImage, datelineImage := "dateline-test/nats-server:"+id, "dateline-test/dateline:"+id

	bins := binaries(t)
	// As Dockerfile.nats builds it: nats-server, and dateline as the
	// health probe.
	scratchImage(t, natsImage, "/nats-server", map[string]string{"/nats-server": bins.NATSServer, "/usr/local/bin/dateline": bins.Dateline})
	scratchImage(t, datelineImage, "/usr/local/bin/dateline", map[string]string{"/usr/local/bin/dateline": bins.Dateline})

	fs := newFeedServer(t, "0.0.0.0:0", feeds, first)
	port := fs.Listener.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("log_level: warn\nrate_limit: 0\nadmin_token: \"${DATELINE_ADMIN_TOKEN}\"\nfetch:\n  allow_private_networks: true\n  poll_interval: 2s\n  per_host_spacing: 0s\n  per_host_concurrency: 4\nindex:\n  batch_wait: 50ms\nfeeds:\n")
	for f := range feeds {
		fmt.Fprintf(&cfg, "  - url: \"http://host.docker.internal:%d/f%d.rss\"\n", port, f)
	}
	cfgFile := filepath.Join(dir, "dateline.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var override strings.Builder
	override.WriteString("services:\n")
	for _, s := range []string{"nats1", "nats2", "nats3"} {
		fmt.Fprintf(&override, "  %s:\n    image: %s\n", s, natsImage)
	}
	for _, s := range []string{"poller", "extractor", "alerter", "api1", "api2"} {
		fmt.Fprintf(&override, "  %s:\n    image: %s\n    volumes: [%q]\n    extra_hosts: [\"host.docker.internal:host-gateway\"]\n",
			s, datelineImage, cfgFile+":/etc/dateline/dateline.yaml:ro")
	}
	overrideFile := filepath.Join(dir, "docker-compose.override.yml")
	if err := os.WriteFile(overrideFile, []byte(override.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ports := cluster.FreePorts(t, 2)
	env := []string{"COMPOSE_PROJECT_NAME=" + project, "DATELINE_ADMIN_TOKEN=compose-test-token",
		fmt.Sprintf("DATELINE_API1_PORT=%d", ports[0]), fmt.Sprintf("DATELINE_API2_PORT=%d", ports[1])}
	dcArgs := func(args ...string) []string {
		return append(append(dc[1:], "-f", filepath.Join(root, "docker-compose.yml"), "-f", overrideFile, "--project-directory", root), args...)
	}
	t.Cleanup(func() {
		if t.Failed() {
			logs := exec.Command(dc[0], dcArgs("logs", "--tail", "40")...)
			logs.Env = append(os.Environ(), env...) // the project's name: without it compose finds no containers
			out, _ := logs.CombinedOutput()
			t.Logf("compose logs:\n%s", out)
		}
		cmd := exec.Command(dc[0], dcArgs("down", "-v", "--remove-orphans", "--timeout", "5")...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("compose down: %v\n%s", err, out)
		}
	})
	started := time.Now()
	run(t, env, dc[0], dcArgs("up", "-d", "--no-build")...)

	apis := []*replica{
		{Proc: &cluster.Proc{Name: "api1"}, base: fmt.Sprintf("http://127.0.0.1:%d", ports[0])},
		{Proc: &cluster.Proc{Name: "api2"}, base: fmt.Sprintf("http://127.0.0.1:%d", ports[1])},
	}
	converged := func(want int) func() error {
		return func() error {
			for _, r := range apis {
				n, err := r.total()
				if err != nil {
					return err
				}
				if n != want {
					return fmt.Errorf("%s holds %d events, want %d", r.Name, n, want)
				}
			}
			return nil
		}
	}
	waitFor(t, 4*time.Minute, "both api replicas hold the first articles", nil, converged(feeds*first))
	t.Logf("first %d articles in both replicas %v after compose up", feeds*first, time.Since(started).Round(time.Second))

	// The health checks pass: the api replicas' (dateline health on
	// /readyz) and the NATS nodes' (dateline health on /healthz of the
	// monitoring port).
	for _, svc := range []string{"api1", "api2", "nats1", "nats2", "nats3"} {
		ids := strings.Fields(run(t, env, dc[0], dcArgs("ps", "-q", svc)...))
		if len(ids) != 1 {
			t.Fatalf("want one %s container, got %q", svc, ids)
		}
		waitFor(t, 90*time.Second, svc+" healthy", nil, func() error {
			out, err := exec.Command("docker", "inspect", "-f", "{{.State.Health.Status}}", ids[0]).Output()
			if got := strings.TrimSpace(string(out)); err != nil || got != "healthy" {
				return fmt.Errorf("health %q, %v", got, err)
			}
			return nil
		})
	}

	// dateline reindex inside api1 asks api1 (the config's listen
	// address, the container's admin token) to rebuild its index from
	// EVENTS; the later checks find every event once in it.
	api1 := strings.Fields(run(t, env, dc[0], dcArgs("ps", "-q", "api1")...))
	if out := run(t, nil, "docker", "exec", api1[0], "dateline", "reindex"); !strings.Contains(out, fmt.Sprintf("%d events", feeds*first)) {
		t.Errorf("dateline reindex in api1: %s", out)
	}
	waitFor(t, time.Minute, "both api replicas hold the first articles after the reindex", nil, converged(feeds*first))

	run(t, env, dc[0], dcArgs("kill", "nats2")...)
	extractors := strings.Fields(run(t, env, dc[0], dcArgs("ps", "-q", "extractor")...))
	if len(extractors) != 2 {
		t.Fatalf("want 2 extractor containers, got %q", extractors)
	}
	run(t, nil, "docker", "kill", extractors[0])
	fs.Grow(second)
	grown := time.Now()
	waitFor(t, 4*time.Minute, "ingest goes on without nats2 and one extractor", nil, converged(feeds*second))
	t.Logf("next %d articles in both replicas %v after stopping nats2 and an extractor", feeds*(second-first), time.Since(grown).Round(time.Second))

	same := func(want int) {
		t.Helper()
		a, b := apis[0].ids(t), apis[1].ids(t)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, ",") != strings.Join(b, ",") || len(a) != want {
			t.Fatalf("replicas differ or miss events: %d and %d ids (want %d), %d only in api1, %d only in api2", len(a), len(b), want, len(diff(a, b)), len(diff(b, a)))
		}
	}
	same(feeds * second)

	// Partition: nats2 and the extractor come back; then nats3 is cut off
	// the network while articles arrive, and joins again. Nothing is lost
	// or doubled.
	run(t, env, dc[0], dcArgs("start", "nats2")...)
	run(t, nil, "docker", "start", extractors[0])
	fs.Grow(third)
	waitFor(t, 4*time.Minute, "ingest with nats2 and the extractor back", nil, converged(feeds*third))
	nats3 := strings.Fields(run(t, env, dc[0], dcArgs("ps", "-q", "nats3")...))
	if len(nats3) != 1 {
		t.Fatalf("want one nats3 container, got %q", nats3)
	}
	network := project + "_default"
	run(t, nil, "docker", "network", "disconnect", network, nats3[0])
	cut := time.Now()
	fs.Grow(fourth)
	waitFor(t, 4*time.Minute, "ingest while nats3 is cut off", nil, converged(feeds*fourth))
	t.Logf("%d articles in both replicas %v after cutting nats3 off", feeds*(fourth-third), time.Since(cut).Round(time.Second))
	run(t, nil, "docker", "network", "connect", "--alias", "nats3", network, nats3[0])
	fs.Grow(fifth)
	waitFor(t, 4*time.Minute, "ingest after nats3 joins again", nil, converged(feeds*fifth))
	same(feeds * fifth)
}
