package service

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"
)

// drainGrace is how long requests other than live streams may run on once
// the service stops. Searches give up after a few seconds of their own.
const drainGrace = 5 * time.Second

// drainer ends the HTTP requests still running when the service stops. A
// live stream (a response of type text/event-stream) never finishes on its
// own, so it ends as soon as the stop begins, and its client reconnects to
// the next process; any other request may finish within drainGrace. Without
// it, one open web page holds a shutdown for its whole timeout.
type drainer struct {
	// streams is done when the stop begins.
	streams    context.Context
	endStreams context.CancelFunc
	// all is the base of every request's context: done after the grace.
	all    context.Context
	endAll context.CancelFunc
}

func newDrainer() *drainer {
	d := &drainer{}
	d.streams, d.endStreams = context.WithCancel(context.Background())
	d.all, d.endAll = context.WithCancel(context.Background())
	return d
}

// serve configures srv to drain this way: call it before srv serves.
func (d *drainer) serve(srv *http.Server) {
	srv.BaseContext = func(_ net.Listener) context.Context { return d.all }
	h := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		sw := &streamWatch{ResponseWriter: w, streams: d.streams, cancel: cancel}
		defer sw.release()
		h.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// shutdown stops srv: no new connections, live streams ended at once, other
// requests given drainGrace (or until ctx is done) before they are ended.
func (d *drainer) shutdown(ctx context.Context, srv *http.Server) error {
	d.endStreams()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	t := time.NewTimer(drainGrace)
	defer t.Stop()
	select {
	case err := <-done:
		d.endAll()
		return err
	case <-t.C:
		d.endAll()
		return <-done
	}
}

// streamWatch ends its request when the stop begins if the response turns
// out to be an event stream.
type streamWatch struct {
	http.ResponseWriter
	streams context.Context
	cancel  context.CancelFunc
	// stop unhooks the request from streams once it is hooked.
	stop func() bool
}

func (s *streamWatch) hook() {
	if s.stop == nil && strings.HasPrefix(s.Header().Get("Content-Type"), "text/event-stream") {
		s.stop = context.AfterFunc(s.streams, s.cancel)
	}
}

func (s *streamWatch) release() {
	if s.stop != nil {
		s.stop()
	}
}

func (s *streamWatch) WriteHeader(code int) {
	s.hook()
	s.ResponseWriter.WriteHeader(code)
}

func (s *streamWatch) Write(b []byte) (int, error) {
	s.hook()
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (the
// stream flushes and clears its write deadline through it).
func (s *streamWatch) Unwrap() http.ResponseWriter { return s.ResponseWriter }
