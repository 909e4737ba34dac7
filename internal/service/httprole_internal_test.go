package service

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/wait"
)

// TestHTTPListenerIsRestarted: when the HTTP listener fails under the
// running server, the supervisor counts the stop, listens on the same
// address again and serves; after Shutdown the role ends cleanly when the
// service's life does.
func TestHTTPListenerIsRestarted(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })}
	sv := newSupervisor(slog.New(slog.DiscardHandler))
	sv.minBackoff, sv.healthyAfter = 10*time.Millisecond, 50*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		sv.run(ctx, "http", serveHTTP(srv, ln, func() (net.Listener, error) { return net.Listen("tcp", addr) }), nil)
		close(done)
	}()
	get := func() error {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
	wait.For(t, 10*time.Second, get)
	ln.Close() // the listener fails under the server
	wait.For(t, 10*time.Second, func() error {
		if n := restarts(t, sv, "http"); n < 1 {
			return fmt.Errorf("restarts %v, want 1", n)
		}
		return get()
	})
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("the role ended before the service's life did")
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the role did not end with the service's life")
	}
	if n := restarts(t, sv, "http"); n != 1 {
		t.Errorf("restarts %v after a clean stop, want 1", n)
	}
}
