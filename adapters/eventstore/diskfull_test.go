package eventstore_test

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// On a full disk the embedded node's appends come back as ErrUnavailable
// (503 in the API), its write health fails, and once there is room the
// same client writes again. Runs on a 2 MiB tmpfs.
func TestFullDiskIsUnavailableUntilThereIsRoom(t *testing.T) {
	mnt := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("this test needs to mount a tmpfs (root): %v: %s", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	node := esdbnodetest.StartWith(t, esdbnode.Config{DataDir: filepath.Join(mnt, "events")})
	client := node.Client
	s, err := eventstore.New(client, testRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 32<<10)
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingHappened{N: 1, Note: big}, "")); err != nil {
		t.Fatal(err)
	}

	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = f.Write(make([]byte, 4096))
	}
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatal(err)
	}

	_, err = s.Append(ctx(t), st, eventlog.ExpectRevision(0), newEvent(thingHappened{N: 2, Note: big}, ""))
	if !errors.Is(err, eventlog.ErrUnavailable) || httpapi.StatusOf(err) != http.StatusServiceUnavailable {
		t.Fatalf("append on a full disk: %v (status %d)", err, httpapi.StatusOf(err))
	}
	if node.WriteHealth() == nil {
		t.Fatal("write health ok on a full disk")
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx(t), st, eventlog.ExpectRevision(0), newEvent(thingHappened{N: 2, Note: big}, "")); err != nil {
		t.Fatalf("append once there is room: %v", err)
	}
	if err := node.WriteHealth(); err != nil {
		t.Fatalf("write health after a good write: %v", err)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil || len(got) != 2 {
		t.Fatalf("loaded %d events, %v", len(got), err)
	}
}
