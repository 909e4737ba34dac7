package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// crashItems is how many feed items the crash test ingests.
const crashItems = 2000

var countries = []string{"France", "Germany", "Japan", "Brazil", "Canada", "India", "Kenya", "Mexico", "Norway", "Chile"}
var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// bigFeed writes an RSS feed of n items, each reporting one sanction with
// its own date, so every item yields exactly one event.
func bigFeed(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Crash test</title><link>https://crash.example/</link><description>generated</description>`)
	for i := range n {
		a, c := countries[i%len(countries)], countries[(i/len(countries)+1+i)%len(countries)]
		if a == c {
			c = "Peru"
		}
		// A date of its own per item: reports of the same sanction on the
		// same day would rightly merge into one timeline event.
		d := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		day, month, year := d.Day(), months[d.Month()-1], d.Year()
		fmt.Fprintf(&b, `<item><title>Sanctions number %d</title><link>https://crash.example/item/%d</link><guid isPermaLink="false">crash-%d</guid><pubDate>Mon, 01 Jan 2026 00:00:00 GMT</pubDate><description>%s imposed sanctions on %s on %s %d, %d, over a trade dispute (report %d).</description></item>`,
			i, i, i, a, c, month, day, year, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dateline")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build dateline: %v", err)
	}
	return bin
}

// allEvents pages through GET /api/v1/events with the cursor.
func allEvents(addr string) ([]event.Event, int, error) {
	var out []event.Event
	cursor := ""
	total := 0
	for range 1000 {
		u := "http://" + addr + "/api/v1/events?sort=date&limit=200"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		resp, err := http.Get(u)
		if err != nil {
			return nil, 0, err
		}
		var r struct {
			Total  int           `json:"total"`
			Events []event.Event `json:"events"`
			Next   string        `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil {
			return nil, 0, err
		}
		total = r.Total
		out = append(out, r.Events...)
		if r.Next == "" || len(r.Events) == 0 {
			break
		}
		cursor = r.Next
	}
	return out, total, nil
}

func count(addr string) int {
	resp, err := http.Get("http://" + addr + "/api/v1/events?limit=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var r struct {
		Total int `json:"total"`
	}
	if json.NewDecoder(resp.Body).Decode(&r) != nil {
		return -1
	}
	return r.Total
}

// TestCrashRecovery kills `dateline serve` with SIGKILL while it ingests a
// feed of 2,000 items, restarts it on the same data directory, and checks
// that every item's event is searchable exactly once.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary and ingests 2,000 items; skipped with -short")
	}
	crashIngest(t, crashItems, 1)
}

// TestCrashRecoveryRepeated is the reliability suite's variant: five
// SIGKILLs at random moments while 10,000 articles are ingested.
func TestCrashRecoveryRepeated(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("ingests 10,000 items with five kills; skipped with -short")
	}
	crashIngest(t, 10000, 5)
}

func crashIngest(t *testing.T, items, kills int) {
	feed := bigFeed(items)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feed)
	}))
	defer srv.Close()
	bin := buildBinary(t)
	dir := t.TempDir()
	addr := freePort(t)
	cfgPath := filepath.Join(dir, "dateline.yaml")
	cfg := fmt.Sprintf(`listen: %q
data_dir: %q
log_level: error
rate_limit: 0
nats:
  sync_interval: always
fetch:
  poll_interval: 1s
  allow_private_networks: true
  per_host_spacing: 1ms
  max_body_bytes: 52428800
index:
  batch_size: 500
  batch_wait: 50ms
feeds:
  - url: %q
    name: crash
`, addr, filepath.Join(dir, "data"), srv.URL+"/feed.rss")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--config", cfgPath)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// Kill at random points of the ingest: the first while the first poll
	// publishes, the others once random counts of events are searchable.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var targets []int
	if kills > 1 {
		targets = append(targets, 0)
	}
	for len(targets) < kills {
		targets = append(targets, 1+rng.IntN(items*9/10))
	}
	slices.Sort(targets)
	killed := 0
	for _, target := range targets {
		cmd := run()
		deadline := time.Now().Add(120 * time.Second)
		n := count(addr)
		for (n < 0 || n < target) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
			n = count(addr)
		}
		if target == 0 {
			time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if n >= items {
			t.Logf("kill came after the ingest finished (%d searchable); not counted", n)
			break
		}
		killed++
		t.Logf("kill %d: SIGKILL with about %d of %d events searchable", killed, n, items)
	}
	if killed == 0 {
		t.Fatal("no kill landed mid-ingest")
	}

	cmd := run()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Second)
	defer cancel()
	for count(addr) < items && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // more poll rounds must not add anything
	events, total, err := allEvents(addr)
	if err != nil {
		t.Fatal(err)
	}
	if total != items || len(events) != items {
		t.Errorf("total = %d, paged %d, want %d", total, len(events), items)
	}
	ids := map[string]bool{}
	perArticle := map[string]int{}
	for _, ev := range events {
		if ids[ev.ID] {
			t.Errorf("event %s listed twice", ev.ID)
		}
		ids[ev.ID] = true
		perArticle[ev.Article.URL]++
	}
	bad := 0
	for i := range items {
		u := fmt.Sprintf("https://crash.example/item/%d", i)
		if perArticle[u] != 1 && bad < 20 {
			t.Errorf("item %d has %d events, want exactly 1", i, perArticle[u])
			bad++
		}
	}
}
