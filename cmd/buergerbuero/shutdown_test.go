package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeStopsPromptlyWithALiveStreamOpen opens the start page's live
// door stream (API and page), then stops serve as SIGTERM does (main turns
// the signal into this context's end): the streams must end, serve must
// exit 0 well within the shutdown timeout, and the policies' checkpoint
// must be on disk.
func TestServeStopsPromptlyWithALiveStreamOpen(t *testing.T) {
	addr := freeAddr(t)
	data := t.TempDir()
	env, _, errOut := testEnv(map[string]string{"BUERGERBUERO_HTTP": addr, "BUERGERBUERO_DATA": data, "BUERGERBUERO_DEMO": "true"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, env) }()
	waitHealthy(t, addr, errOut)

	var streams []*bufio.Reader
	for _, path := range []string{"/api/v1/doors/events", "/live/doors"} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Accept", "text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("GET %s = %d %s, want an event stream", req.URL.Path, resp.StatusCode, ct)
		}
		r := bufio.NewReader(resp.Body)
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		streams = append(streams, r)
	}

	cancel() // what SIGTERM does
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d after stop with a stream open: %s", code, errOut)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not exit within 5 s of the stop with a live stream open")
	}
	for i, r := range streams {
		if _, err := r.ReadString(0); err == nil {
			t.Errorf("stream %d still open after serve exited", i)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "checkpoints", "policies.json")); err != nil {
		t.Errorf("policy checkpoint not flushed on stop: %v", err)
	}
}

// waitHealthy waits until /healthz answers 200.
func waitHealthy(t *testing.T, addr string, errOut *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never became ready; stderr: %s", errOut)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
