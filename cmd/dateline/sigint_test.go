//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// TestSIGINTStopsWithinLoggedTime: a SIGINT to "dateline serve" ends the
// command within the time its "dateline stopped" line reports, give or
// take 100 ms. It sends a real SIGINT to the test process, which serve's
// handler takes, so it must not run in parallel with another serve.
func TestSIGINTStopsWithinLoggedTime(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dateline.yaml")
	body := fmt.Sprintf("listen: \"127.0.0.1:0\"\ndata_dir: %q\nfeeds: []\n", filepath.Join(dir, "data"))
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	code := make(chan int, 1)
	go func() {
		code <- run(context.Background(), []string{"serve", "--config", cfg}, nil, io.Discard, pw)
		pw.Close()
	}()
	startedRe, tookRe := regexp.MustCompile(`msg="dateline started"`), regexp.MustCompile(`msg="dateline stopped" took=(\S+)`)
	deadline := time.After(60 * time.Second)
	for started := false; !started; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended before it started (exit %d)", <-code)
			}
			started = startedRe.MatchString(l)
		case <-deadline:
			t.Fatal("serve did not start within 60s")
		}
	}
	sent := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var took time.Duration
	for l := range lines {
		if m := tookRe.FindStringSubmatch(l); m != nil {
			d, err := time.ParseDuration(m[1])
			if err != nil {
				t.Fatalf("took=%s: %v", m[1], err)
			}
			took = d
		}
	}
	if c := <-code; c != 0 {
		t.Errorf("exit %d after SIGINT, want 0", c)
	}
	elapsed := time.Since(sent)
	if took == 0 {
		t.Fatal(`no "dateline stopped" line with took=`)
	}
	if diff := elapsed - took; diff > 100*time.Millisecond || diff < -100*time.Millisecond {
		t.Errorf("serve ended %s after SIGINT, its log says it took %s: more than 100ms apart", elapsed.Round(time.Millisecond), took)
	}
}
