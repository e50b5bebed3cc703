package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// serveUntilReady starts serve, waits for its ready line and stops it.
func serveUntilReady(t *testing.T, data string) {
	t.Helper()
	env, out, errOut := testEnv(map[string]string{"BUERGERBUERO_HTTP": freeAddr(t), "BUERGERBUERO_DATA": data})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, env) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "ready on") {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not get ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errOut)
	}
}

func TestAMissingKeyOfAnExistingDataDirectoryRefusesStart(t *testing.T) {
	data := t.TempDir()
	serveUntilReady(t, data) // a new data directory gets its keys
	for _, name := range []string{"capability.key", "signing.key"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(data, "secrets", name)
			saved, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(file, saved, 0o600)
			env, _, errOut := testEnv(map[string]string{"BUERGERBUERO_HTTP": freeAddr(t), "BUERGERBUERO_DATA": data})
			code := run(context.Background(), []string{"serve"}, env)
			line := strings.TrimSpace(errOut.String())
			if code == 0 || strings.Count(line, "\n") != 0 || !strings.Contains(line, file) {
				t.Fatalf("exit %d, stderr %q; want one line naming %s", code, line, file)
			}
			if _, err := os.Stat(file); err == nil {
				t.Fatal("the missing key was created anyway")
			}
		})
	}
}

func TestRotationKeepsOldSignaturesVerifiable(t *testing.T) {
	data := t.TempDir()
	before, err := loadSigningKeys(serveConfig{data: data, createMissingKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	msg := eventlog.SignedMessage("case-x", "abc")
	oldSig := eventlog.Signature{KeyID: before.KeyID(), Ed25519: before.Sign(msg)}
	env, out, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"keys", "rotate", "--data", data}, env); code != 0 {
		t.Fatalf("rotate exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), before.KeyID()) {
		t.Fatalf("rotate said %q", out)
	}
	after, err := loadSigningKeys(serveConfig{data: data})
	if err != nil {
		t.Fatal(err)
	}
	if after.KeyID() == before.KeyID() {
		t.Fatal("the key did not change")
	}
	if err := after.Public().Verify(msg, oldSig); err != nil {
		t.Fatalf("old signature after rotation: %v", err)
	}
	pubs, err := readPublicKeys(publicKeysFile(data), false)
	if err != nil || len(pubs) != 2 {
		t.Fatalf("signing.pub: %d keys, %v", len(pubs), err)
	}
}
