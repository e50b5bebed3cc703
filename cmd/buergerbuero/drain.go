package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// streamDrain ends live event streams when the server shuts down.
// http.Server.Shutdown waits for every active request, and a server-sent
// event stream (API or page) never ends on its own, so without this a
// SIGTERM with one waiting page open waited out the whole shutdown timeout.
// A response that starts as text/event-stream gets its request context
// cancelled once shutdown begins (Stop, registered with
// http.Server.RegisterOnShutdown); every other request drains normally, so
// a command in flight still completes its write.
type streamDrain struct {
	mu       sync.Mutex
	stopped  bool
	next     uint64
	streams  map[uint64]context.CancelFunc
	delegate http.Handler
}

func newStreamDrain(h http.Handler) *streamDrain {
	return &streamDrain{delegate: h, streams: map[uint64]context.CancelFunc{}}
}

// ServeHTTP implements http.Handler.
func (d *streamDrain) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	sw := &streamWatch{ResponseWriter: w, drain: d, cancel: cancel}
	defer sw.forget()
	d.delegate.ServeHTTP(sw, r.WithContext(ctx))
}

// Stop cancels every open stream and any stream that starts later.
func (d *streamDrain) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true
	for id, cancel := range d.streams {
		cancel()
		delete(d.streams, id)
	}
}

// track registers a started stream; after Stop it is cancelled at once.
func (d *streamDrain) track(cancel context.CancelFunc) (id uint64, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		cancel()
		return 0, false
	}
	d.next++
	d.streams[d.next] = cancel
	return d.next, true
}

func (d *streamDrain) untrack(id uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.streams, id)
}

// streamWatch notices a response that starts as an event stream.
type streamWatch struct {
	http.ResponseWriter
	drain   *streamDrain
	cancel  context.CancelFunc
	once    sync.Once
	id      uint64
	tracked bool
}

func (w *streamWatch) WriteHeader(code int) {
	w.watch()
	w.ResponseWriter.WriteHeader(code)
}

func (w *streamWatch) Write(b []byte) (int, error) {
	w.watch()
	return w.ResponseWriter.Write(b)
}

func (w *streamWatch) watch() {
	w.once.Do(func() {
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
			w.id, w.tracked = w.drain.track(w.cancel)
		}
	})
}

func (w *streamWatch) forget() {
	if w.tracked {
		w.drain.untrack(w.id)
	}
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *streamWatch) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// FlushError flushes the stream (http.ResponseController prefers it).
func (w *streamWatch) FlushError() error {
	return http.NewResponseController(w.ResponseWriter).Flush()
}
