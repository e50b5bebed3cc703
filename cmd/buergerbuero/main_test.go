package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(vars map[string]string) (environment, *syncBuffer, *syncBuffer) {
	var out, errOut syncBuffer
	return environment{stdout: &out, stderr: &errOut, lookupEnv: func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}}, &out, &errOut
}

func TestBadInvocationsExitNonZeroWithOneLine(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown command", []string{"fly"}, nil, `unknown command "fly"`},
		{"unknown flag", []string{"serve", "--bogus"}, nil, "flag provided but not defined: -bogus"},
		{"stray argument", []string{"node", "extra"}, nil, `unexpected argument "extra"`},
		{"empty listen from env", []string{"serve"}, map[string]string{"BUERGERBUERO_HTTP": ""}, "--http must not be empty"},
		{"bad bool from env", []string{"serve"}, map[string]string{"BUERGERBUERO_DEMO": "vielleicht"}, "BUERGERBUERO_DEMO"},
		{"bad event store URL", []string{"serve", "--eventstore", "http://x"}, nil, "want an esdb://"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, out, errOut := testEnv(c.env)
			code := run(context.Background(), c.args, env)
			if code == 0 {
				t.Fatalf("exit code 0, want non-zero")
			}
			lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.want) {
				t.Errorf("stderr = %q, want one line containing %q", errOut.String(), c.want)
			}
			if out.String() != "" {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
		})
	}
}

func TestHelpListsEveryFlagWithItsEnvironmentVariable(t *testing.T) {
	env, _, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"serve", "--help"}, env); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	for _, want := range []string{"--http", "BUERGERBUERO_HTTP", "--data", "--eventstore", "BUERGERBUERO_NODE_LISTEN"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, errOut)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeAnswersHealthz starts the whole product in-process with the
// embedded node, configured from the environment, and checks it answers.
func TestServeAnswersHealthz(t *testing.T) {
	addr := freeAddr(t)
	env, out, errOut := testEnv(map[string]string{
		"BUERGERBUERO_HTTP": addr,
		"BUERGERBUERO_DATA": t.TempDir(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, env) }()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, errOut)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop after cancel")
		}
	}()
	// /healthz answers 503 while the read models catch up, then 200 "ok".
	url := fmt.Sprintf("http://%s/healthz", addr)
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("%d %q", resp.StatusCode, body)
			if resp.StatusCode == http.StatusOK {
				if strings.TrimSpace(string(body)) != "ok" {
					t.Fatalf("healthz = %s", last)
				}
				break
			}
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("healthz = %s, want 503 while starting or 200", last)
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never became ready: %s; stderr: %s", last, errOut)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "embedded node") {
		t.Errorf("startup line %q does not name the event store", out.String())
	}
}
