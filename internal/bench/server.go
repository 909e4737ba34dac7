package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// queryWords are words of the generated corpus's middle vocabulary
// (internal/index/gen_test.go draws its sentences from them), so two of
// them and a year find a few hundred events per 100,000, as the index
// benchmarks' queries do.
var queryWords = strings.Fields(`talks agreement border attack reported according ministry spokesman
capital region army defence foreign international leaders meeting deal troops political economic
police killed statement crisis support nuclear peace conflict sanctions power energy civilians city`)

// serverRun is what `dateline serve` gave on the index corpus.
type serverRun struct {
	ready    time.Duration      // from exec to /readyz answering 200
	mem      memory             // the server's resident memory after the searches
	searches int                // searches of each kind
	latency  [2][]time.Duration // relevance, then sorted by date; sorted
	hits     [2]uint64          // the totals the searches of each kind answered, summed
}

// measureServer starts `dateline serve` (bin) on a new data directory
// under workDir whose index is indexDir, times it from exec to /readyz
// answering 200, then sends searches rounds of requests, one after the
// other: a two-word one-year search of the API (which adds facets and
// highlights), the same sorted by date, and the timeline of everything by
// month; it reads the server's resident memory after each round and
// stops it with SIGTERM. The embedded NATS server starts on an empty
// directory: a server whose streams hold millions of messages takes
// longer to recover them.
func measureServer(ctx context.Context, bin, workDir, indexDir string, searches int) (serverRun, error) {
	var sr serverRun
	srv, err := startServer(ctx, bin, workDir, indexDir)
	if err != nil {
		return sr, err
	}
	sr.ready, sr.searches = srv.ready, searches
	err = srv.search(ctx, &sr)
	if serr := srv.stop(); err == nil && serr != nil {
		var exit *exec.ExitError
		if !errors.As(serr, &exit) {
			err = fmt.Errorf("stop dateline serve: %w", serr)
		}
	}
	for k := range sr.latency {
		slices.Sort(sr.latency[k])
	}
	return sr, err
}

// server is a running `dateline serve` child process.
type server struct {
	cmd    *exec.Cmd
	exited chan error // receives Wait's error once the process has exited
	stderr *strings.Builder
	base   string        // http://addr
	ready  time.Duration // from exec to /readyz 200
	client *http.Client
}

// startServer starts `dateline serve` with a data directory under
// workDir holding a link to indexDir, and waits for /readyz.
func startServer(ctx context.Context, bin, workDir, indexDir string) (*server, error) {
	data := filepath.Join(workDir, "serve")
	if err := os.RemoveAll(data); err != nil {
		return nil, fmt.Errorf("server data directory: %w", err)
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("server data directory: %w", err)
	}
	if err := os.Symlink(indexDir, filepath.Join(data, "index")); err != nil {
		return nil, fmt.Errorf("link the index into the server's data directory: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(workDir, "serve.yaml")
	cfg := fmt.Sprintf("listen: %q\ndata_dir: %q\nrate_limit: 0\nlog_level: warn\n", addr, data)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return nil, fmt.Errorf("server config: %w", err)
	}
	srv := &server{
		cmd: exec.Command(bin, "serve", "--config", cfgPath), exited: make(chan error, 1), stderr: &strings.Builder{},
		base: "http://" + addr, client: &http.Client{Timeout: 30 * time.Second},
	}
	srv.cmd.Dir, srv.cmd.Stderr = workDir, srv.stderr
	for _, e := range os.Environ() { // no DATELINE_* setting may change the config
		if !strings.HasPrefix(e, "DATELINE_") {
			srv.cmd.Env = append(srv.cmd.Env, e)
		}
	}
	start := time.Now()
	if err := srv.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	go func() { srv.exited <- srv.cmd.Wait() }()
	for {
		if code, _ := get(ctx, srv.client, srv.base+"/readyz"); code == http.StatusOK {
			srv.ready = time.Since(start)
			return srv, nil
		}
		select {
		case err := <-srv.exited:
			return nil, fmt.Errorf("dateline serve exited before ready: %v%s", err, tail([]byte(srv.stderr.String()), 15))
		case <-ctx.Done():
			_ = srv.stop()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
		if time.Since(start) > 10*time.Minute {
			_ = srv.stop()
			return nil, fmt.Errorf("dateline serve not ready after 10 minutes%s", tail([]byte(srv.stderr.String()), 15))
		}
	}
}

// search sends sr.searches rounds of requests (see measureServer),
// recording latencies and memory in sr.
func (srv *server) search(ctx context.Context, sr *serverRun) error {
	r := rand.New(rand.NewSource(7))
	for i := range sr.searches {
		w1, w2 := queryWords[r.Intn(len(queryWords))], queryWords[r.Intn(len(queryWords))]
		y := strconv.Itoa(2015 + r.Intn(12))
		v := url.Values{"q": {w1 + " " + w2}, "from": {y}, "to": {y}, "limit": {"20"}}
		for kind, sort := range []string{"", "-date"} {
			if sort != "" {
				v.Set("sort", sort)
			}
			t0 := time.Now()
			var page struct{ Total uint64 }
			code, err := getJSON(ctx, srv.client, srv.base+"/api/v1/events?"+v.Encode(), &page)
			if err == nil && code != http.StatusOK {
				err = fmt.Errorf("status %d", code)
			}
			if err != nil {
				return fmt.Errorf("search %d (%s): %w", i, v.Encode(), err)
			}
			sr.latency[kind] = append(sr.latency[kind], time.Since(t0))
			sr.hits[kind] += page.Total
		}
		if code, err := get(ctx, srv.client, srv.base+"/api/v1/timeline?interval=month"); err != nil || code != http.StatusOK {
			return fmt.Errorf("timeline: status %d, %v", code, err)
		}
		if rss, hwm, ok := readStatus(srv.cmd.Process.Pid); ok {
			sr.mem.peakRSS, sr.mem.hwm = max(sr.mem.peakRSS, rss), max(sr.mem.hwm, hwm)
		}
	}
	return nil
}

// stop sends SIGTERM and waits for the process, killing it after 30 s.
func (srv *server) stop() error {
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-srv.exited:
		return err
	case <-time.After(30 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-srv.exited
		return errors.New("did not stop within 30 s of SIGTERM; killed")
	}
}

// percentile is the p-th percentile of sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[(len(ds)-1)*p/100]
}

// get requests u and returns its status, the body read and dropped.
func get(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// getJSON requests u and decodes its body into v when the status is 200.
func getJSON(ctx context.Context, c *http.Client, u string, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return resp.StatusCode, fmt.Errorf("decode %s: %w", u, err)
	}
	return resp.StatusCode, nil
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
