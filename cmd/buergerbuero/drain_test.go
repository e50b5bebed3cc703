package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestStreamDrainEndsStreamsButLetsRequestsFinish: Stop cancels a started
// event stream and one that starts afterwards, never an ordinary request.
func TestStreamDrainEndsStreamsButLetsRequestsFinish(t *testing.T) {
	started := make(chan struct{}, 2)
	ended := make(chan string, 3)
	release := make(chan struct{})
	d := newStreamDrain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stream" {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			started <- struct{}{}
			<-r.Context().Done()
			ended <- "stream"
			return
		}
		started <- struct{}{}
		select {
		case <-r.Context().Done():
			ended <- "request cancelled"
		case <-release:
			ended <- "request"
		}
	}))
	go d.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/stream", nil))
	go d.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/write", nil))
	<-started
	<-started
	d.Stop()
	if got := <-ended; got != "stream" {
		t.Fatalf("first to end after Stop: %q, want the stream", got)
	}
	close(release)
	if got := <-ended; got != "request" {
		t.Fatalf("the ordinary request ended as %q, want it to finish normally", got)
	}

	// A stream that starts after Stop ends at once.
	go d.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/stream", nil))
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("a stream started after Stop was not ended")
	}
}
