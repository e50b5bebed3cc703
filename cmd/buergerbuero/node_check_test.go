package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// storeWith writes n events to a store in a new directory and returns it
// and the position of each event (one segment: position = file offset).
func storeWith(t *testing.T, n int) (string, []engine.Position) {
	t.Helper()
	dir := t.TempDir()
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pos []engine.Position
	for i := 0; i < n; i++ {
		ev := engine.ProposedEvent{ID: uuid.New(), Type: "T", ContentType: "application/json", Data: []byte(`{"i":1}`)}
		res, err := e.Append(context.Background(), "visit-1", engine.Expected{}, []engine.ProposedEvent{ev})
		if err != nil {
			t.Fatal(err)
		}
		pos = append(pos, res.Position)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, pos
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	env, out, errOut := testEnv(nil)
	code := run(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

func TestNodeCheckPassesASoundStore(t *testing.T) {
	dir, pos := storeWith(t, 20)
	code, out, errOut := runCmd(t, "node", "check", "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "ok: ") || !strings.Contains(out, "20 records") || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("last position %d", pos[19])) {
		t.Fatalf("summary %q lacks the head", out)
	}
}

func TestNodeCheckFindsAFlipAndRepairCutsIt(t *testing.T) {
	dir, pos := storeWith(t, 20)
	seg := filepath.Join(dir, "0000000000.seg")
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	bad := int64(pos[10])
	b[bad+30] ^= 0x01
	if err := os.WriteFile(seg, b, 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCmd(t, "node", "check", "--data", dir)
	at := fmt.Sprintf("0000000000.seg:%d", bad)
	if code == 0 || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, fmt.Sprintf("offset %d", bad)) || !strings.Contains(errOut, "--at "+at) {
		t.Fatalf("check of a flipped store: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// Without the confirmation nothing changes.
	code, out, errOut = runCmd(t, "node", "repair", "--data", dir, "--at", at)
	if code == 0 || !strings.Contains(out, "would cut") || !strings.Contains(errOut, "--yes-cut-data") {
		t.Fatalf("repair without confirmation: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if now, _ := os.ReadFile(seg); !bytes.Equal(now, b) {
		t.Fatal("repair without confirmation changed the segment")
	}

	code, out, errOut = runCmd(t, "node", "repair", "--data", dir, "--at", at, "--yes-cut-data")
	side := fmt.Sprintf("%s.removed-%d", seg, bad)
	if code != 0 || !strings.Contains(out, side) {
		t.Fatalf("repair: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if removed, err := os.ReadFile(side); err != nil || !bytes.Equal(removed, b[bad:]) {
		t.Fatalf("side file: %v, %d bytes, want %d", err, len(removed), len(b)-int(bad))
	}
	if code, out, _ := runCmd(t, "node", "check", "--data", dir); code != 0 || !strings.Contains(out, "10 records") {
		t.Fatalf("check after repair: exit %d, %q", code, out)
	}
}

func TestNodeRepairNeedsACutPoint(t *testing.T) {
	dir, _ := storeWith(t, 1)
	for _, at := range []string{"", "0000000000.seg", "x.seg:10", "0:-1"} {
		code, _, errOut := runCmd(t, "node", "repair", "--data", dir, "--at", at, "--yes-cut-data")
		if code != 2 || !strings.Contains(errOut, "--at") {
			t.Fatalf("--at %q: exit %d, stderr %q", at, code, errOut)
		}
	}
}
