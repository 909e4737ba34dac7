package cluster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/cluster"
)

// places are countries and a city of each, as the gazetteer knows them.
var places = []struct{ country, city string }{
	{"France", "Paris"}, {"Germany", "Berlin"}, {"Japan", "Tokyo"}, {"Kenya", "Nairobi"},
	{"Canada", "Ottawa"}, {"Egypt", "Cairo"}, {"Spain", "Madrid"}, {"Italy", "Rome"},
	{"Norway", "Oslo"}, {"Poland", "Warsaw"}, {"Peru", "Lima"}, {"Ghana", "Accra"},
}

// article returns the title and text of generated article i: one treaty
// signing on a day of its own (2000-01-01 plus i days), so no two
// articles report one happening and every article gives one event.
func article(i int) (title, text string) {
	a := places[i%len(places)]
	b := places[(i/len(places)+1+i)%len(places)]
	if a == b {
		b = places[(i+1)%len(places)]
	}
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	title = fmt.Sprintf("%s and %s sign treaty no. %d", a.country, b.country, i)
	text = fmt.Sprintf("%s and %s signed a treaty in %s on %s.", a.country, b.country, a.city, day.Format("January 2, 2006"))
	return title, text
}

// feedServer serves feeds feeds of perFeed articles each at /f<n>.rss,
// with an ETag (a repeat poll gets 304), and records who polled which feed
// when. Grow adds articles to every feed.
type feedServer struct {
	*httptest.Server
	feeds int
	mu    sync.Mutex
	// perFeed is the number of articles in each feed now.
	perFeed int
	hits    map[string][]hit
}

type hit struct {
	at time.Time
	by string
}

// newFeedServer starts the feed server listening on addr ("127.0.0.1:0";
// "0.0.0.0:0" for containers).
func newFeedServer(t *testing.T, addr string, feeds, perFeed int) *feedServer {
	t.Helper()
	fs := &feedServer{feeds: feeds, perFeed: perFeed, hits: map[string][]hit{}}
	fs.Server = httptest.NewUnstartedServer(http.HandlerFunc(fs.serve))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fs.Listener.Close()
	fs.Listener = l
	fs.Start()
	t.Cleanup(fs.Close)
	return fs
}

// Grow makes every feed hold perFeed articles.
func (fs *feedServer) Grow(perFeed int) {
	fs.mu.Lock()
	fs.perFeed = perFeed
	fs.mu.Unlock()
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	var f int
	if _, err := fmt.Sscanf(r.URL.Path, "/f%d.rss", &f); err != nil || f < 0 || f >= fs.feeds {
		http.NotFound(w, r)
		return
	}
	fs.mu.Lock()
	fs.hits[r.URL.Path] = append(fs.hits[r.URL.Path], hit{time.Now(), r.Header.Get("User-Agent")})
	n := fs.perFeed
	fs.mu.Unlock()
	etag := fmt.Sprintf(`"f%d-%d"`, f, n)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title><link>https://news.example/</link>`, f)
	for j := range n {
		i := j*fs.feeds + f // articles 0..feeds*n-1, whatever n is
		title, text := article(i)
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://news.example/a/%d</link><guid>a-%d</guid><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate><description>%s</description></item>`,
			html.EscapeString(title), i, i, html.EscapeString(text))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	_, _ = w.Write(b.Bytes())
}

// replica is one Dateline process (poller, extractor, indexer and api)
// with its own data directory.
type replica struct {
	*cluster.Proc
	base string // http://127.0.0.1:port
	dir  string
}

func startReplica(t *testing.T, bin, dir, name, natsURLs string, feeds *feedServer, poll time.Duration) *replica {
	t.Helper()
	return startProcess(t, bin, dir, name, natsURLs, 3, "poller, extractor, indexer, api", feeds, poll)
}

// startProcess starts a dateline serve with the roles given (a YAML list's
// items), on natsURLs (empty: the embedded server) with streams of
// replicas replicas, polling feeds every poll.
func startProcess(t *testing.T, bin, dir, name, natsURLs string, replicas int, roles string, feeds *feedServer, poll time.Duration) *replica {
	t.Helper()
	data := filepath.Join(dir, name)
	port := cluster.FreePorts(t, 1)[0]
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `listen: "127.0.0.1:%d"
data_dir: %q
log_level: warn
rate_limit: 0
roles: [%s]
nats:
  url: %q
  replicas: %d
fetch:
  allow_private_networks: true
  poll_interval: %s
  per_host_concurrency: 4
  per_host_spacing: 0s
  user_agent: %q
index:
  batch_wait: 50ms
feeds:
`, port, data, roles, natsURLs, replicas, poll, "dateline-"+name)
	for f := range feeds.feeds {
		fmt.Fprintf(&cfg, "  - url: %q\n    name: \"Feed %d\"\n", fmt.Sprintf("%s/f%d.rss", feeds.URL, f), f)
	}
	conf := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(conf, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	p := cluster.Start(t, dir, name, bin, nil, "serve", "--config", conf)
	return &replica{Proc: p, base: fmt.Sprintf("http://127.0.0.1:%d", port), dir: data}
}

// ready reports whether the replica answers /readyz with 200.
func (r *replica) ready() error {
	resp, err := http.Get(r.base + "/readyz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s /readyz: %d %s", r.Name, resp.StatusCode, b)
	}
	return nil
}

// node is the replica's node id, kept in its data directory.
func (r *replica) node(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, "node-id"))
	if err != nil {
		t.Fatalf("%s node id: %v", r.Name, err)
	}
	return strings.TrimSpace(string(b))
}

// total is the replica's event count (GET /api/v1/events total).
func (r *replica) total() (int, error) {
	var page struct {
		Total int `json:"total"`
	}
	err := getJSON(r.base+"/api/v1/events?limit=1", &page)
	return page.Total, err
}

// ids lists every event id the replica serves, page by page.
func (r *replica) ids(t *testing.T) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		var page struct {
			Events []struct {
				ID string `json:"id"`
			} `json:"events"`
			Next string `json:"next"`
		}
		if err := getJSON(r.base+"/api/v1/events?limit=200&sort=date&cursor="+cursor, &page); err != nil {
			t.Fatalf("%s: list events: %v", r.Name, err)
		}
		for _, e := range page.Events {
			ids = append(ids, e.ID)
		}
		if page.Next == "" || len(page.Events) == 0 {
			return ids
		}
		cursor = page.Next
	}
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// waitFor polls cond every 200ms until it returns nil or timeout passes,
// then fails with its last error and the tails of the processes' logs.
func waitFor(t *testing.T, timeout time.Duration, what string, procs []*cluster.Proc, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = cond(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, p := range procs {
		t.Logf("%s log:\n%s", p.Name, p.Tail(8000))
	}
	t.Fatalf("%s: not after %v: %v", what, timeout, err)
}

func streamMsgs(ctx context.Context, b *bus.Bus, name string) (uint64, error) {
	s, err := b.JS.Stream(ctx, name)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// TestScaleOutOnThreeNATSNodes is the processes test of issue 15: three
// nats-server processes as one JetStream cluster (streams and buckets
// with three replicas), two Dateline processes (poller, extractor,
// indexer and api each, separate data directories) polling one feed
// server. During ingest one NATS node and one Dateline process are killed
// with SIGKILL and restarted. In the end ARTICLES and EVENTS hold every
// article once, both api replicas serve exactly the same event ids, each
// once, one per article, and no feed was polled by two pollers in one
// round.
func TestScaleOutOnThreeNATSNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nats-server and dateline and runs five processes for about a minute; run without -short")
	}
	const (
		feeds, perFeed = 20, 250
		articles       = feeds * perFeed
		poll           = 4 * time.Second
	)
	started := time.Now()
	bins := binaries(t)
	t.Logf("built nats-server and dateline in %v", time.Since(started).Round(time.Millisecond))
	dir := t.TempDir()
	nc := cluster.StartNATS(t, bins.NATSServer, dir, 3)
	fs := newFeedServer(t, "127.0.0.1:0", feeds, perFeed)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	watch, err := bus.Dial(ctx, bus.Options{URLs: nc.URLs(), Name: "test-watch"})
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()

	ingest := time.Now()
	a := startReplica(t, bins.Dateline, dir, "a", nc.URLs(), fs, poll)
	b := startReplica(t, bins.Dateline, dir, "b", nc.URLs(), fs, poll)
	procs := append([]*cluster.Proc{a.Proc, b.Proc}, nc.Nodes...)
	for _, r := range []*replica{a, b} {
		waitFor(t, 60*time.Second, r.Name+" ready", procs, r.ready)
	}

	// Kill one NATS node and replica a (its poller, extractor, indexer
	// and api) once a fifth of the articles have their events.
	waitFor(t, 90*time.Second, "ingest under way", procs, func() error {
		n, err := streamMsgs(ctx, watch, bus.EventsStream)
		if err != nil {
			return err
		}
		if n < articles/5 {
			return fmt.Errorf("EVENTS holds %d sets", n)
		}
		return nil
	})
	atKill, _ := streamMsgs(ctx, watch, bus.EventsStream)
	nc.Nodes[1].Kill()
	a.Kill()
	t.Logf("killed nats2 and replica a at %d of %d event sets, %v into ingest", atKill, articles, time.Since(ingest).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	nc.Nodes[1].Restart(t)
	a.Restart(t)
	waitFor(t, 60*time.Second, "a ready again", procs, a.ready)

	nodes := map[string]string{a.Name: a.node(t), b.Name: b.node(t)}
	if nodes["a"] == nodes["b"] {
		t.Fatalf("both replicas have node id %q", nodes["a"])
	}
	// Done: both streams hold every article once, and each replica's own
	// indexer consumer has nothing pending.
	waitFor(t, 150*time.Second, "every article extracted and indexed by both replicas", procs, func() error {
		for _, s := range []string{bus.ArticlesStream, bus.EventsStream} {
			n, err := streamMsgs(ctx, watch, s)
			if err != nil {
				return err
			}
			if n != articles {
				return fmt.Errorf("%s holds %d messages, want %d", s, n, articles)
			}
		}
		for name, node := range nodes {
			cons, err := watch.JS.Consumer(ctx, bus.EventsStream, "indexer-"+node)
			if err != nil {
				return fmt.Errorf("replica %s: %w", name, err)
			}
			info, err := cons.Info(ctx)
			if err != nil {
				return err
			}
			if info.NumPending > 0 || info.NumAckPending > 0 {
				return fmt.Errorf("replica %s: %d events pending, %d unacknowledged", name, info.NumPending, info.NumAckPending)
			}
		}
		return nil
	})
	t.Logf("ingest of %d articles done in %v", articles, time.Since(ingest).Round(time.Millisecond))

	idsA, idsB := a.ids(t), b.ids(t)
	for _, r := range []struct {
		name string
		ids  []string
	}{{"a", idsA}, {"b", idsB}} {
		seen := map[string]int{}
		for _, id := range r.ids {
			seen[id]++
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("replica %s serves event %s %d times", r.name, id, n)
			}
		}
		if len(seen) != articles {
			t.Errorf("replica %s serves %d distinct events, want %d (one per article)", r.name, len(seen), articles)
		}
		if total, err := (map[string]*replica{"a": a, "b": b})[r.name].total(); err != nil || total != articles {
			t.Errorf("replica %s total = %d, %v; want %d", r.name, total, err, articles)
		}
	}
	sort.Strings(idsA)
	sort.Strings(idsB)
	if strings.Join(idsA, ",") != strings.Join(idsB, ",") {
		onlyA, onlyB := diff(idsA, idsB), diff(idsB, idsA)
		t.Errorf("replicas differ: %d events only in a (%.5v), %d only in b (%.5v)", len(onlyA), onlyA, len(onlyB), onlyB)
	}

	// No feed was polled by both pollers in one round.
	fs.mu.Lock()
	defer fs.mu.Unlock()
	by := map[string]int{}
	for path, hs := range fs.hits {
		for i, h := range hs {
			by[h.by]++
			if i > 0 && h.by != hs[i-1].by {
				if gap := h.at.Sub(hs[i-1].at); gap < poll/2 {
					t.Errorf("%s polled by %s and %s %v apart (the round is %v)", path, hs[i-1].by, h.by, gap, poll)
				}
			}
		}
	}
	t.Logf("polls by poller: %v", by)
	if by["dateline-a"] == 0 || by["dateline-b"] == 0 {
		t.Errorf("polls by poller %v: want both to take part", by)
	}
}

// diff returns the members of sorted a missing from sorted b.
func diff(a, b []string) []string {
	var out []string
	j := 0
	for _, s := range a {
		for j < len(b) && b[j] < s {
			j++
		}
		if j >= len(b) || b[j] != s {
			out = append(out, s)
		}
	}
	return out
}
