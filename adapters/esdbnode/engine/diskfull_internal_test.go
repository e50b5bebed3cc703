package engine

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/uuid"
)

// diskFull makes the disk under an engine full and frees it again.
type diskFull interface {
	fill(t *testing.T)
	free(t *testing.T)
}

// injectedFull makes the engine's writes fail with ENOSPC after writing
// half their bytes, as a full disk does.
type injectedFull struct{ e *Engine }

func (d injectedFull) fill(*testing.T) {
	d.e.writeAt = func(f *os.File, b []byte, off int64) (int, error) {
		n, _ := f.WriteAt(b[:len(b)/2], off)
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
}
func (d injectedFull) free(*testing.T) { d.e.writeAt = (*os.File).WriteAt }

// tmpfsFull fills a small tmpfs with a filler file.
type tmpfsFull struct{ dir string }

func (d tmpfsFull) fill(t *testing.T) {
	f, err := os.Create(filepath.Join(d.dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

func (d tmpfsFull) free(t *testing.T) {
	if err := os.Remove(filepath.Join(d.dir, "filler")); err != nil {
		t.Fatal(err)
	}
}

// mountTmpfs mounts a 2 MiB tmpfs, false when this machine cannot.
func mountTmpfs(t *testing.T) (string, bool) {
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Logf("no tmpfs (%v: %s), simulating the full disk in the engine", err, strings.TrimSpace(string(out)))
		return "", false
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir, true
}

func TestDiskFullOnTmpfs(t *testing.T) {
	dir, ok := mountTmpfs(t)
	if !ok {
		testDiskFull(t, t.TempDir(), func(e *Engine) diskFull { return injectedFull{e} }, true)
		return
	}
	testDiskFull(t, filepath.Join(dir, "events"), func(*Engine) diskFull { return tmpfsFull{dir} }, true)
}

// Without a probe in between, the next good commit clears the health.
func TestDiskFullInjected(t *testing.T) {
	testDiskFull(t, t.TempDir(), func(e *Engine) diskFull { return injectedFull{e} }, false)
}

// testDiskFull: while the disk is full appends fail (nothing acknowledged,
// nothing visible), Healthy reports it; once there is room the next append
// succeeds without a restart, revisions continue from the durable state,
// and everything survives a reopen. With probe, Healthy turns nil once
// there is room, before any write.
func testDiskFull(t *testing.T, dir string, disk func(*Engine) diskFull, probe bool) {
	var logs bytes.Buffer
	opts := Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	e, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { e.Close() }()
	big := func() []ProposedEvent {
		return []ProposedEvent{{ID: uuid.New(), Type: "T", ContentType: "application/json", Data: bytes.Repeat([]byte("x"), 16<<10)}}
	}
	for i := 0; i < 3; i++ {
		if _, err := e.Append(t.Context(), "s", Expected{}, big()); err != nil {
			t.Fatal(err)
		}
	}
	before, err := e.ReadAll(0, false, Forwards, 0)
	if err != nil {
		t.Fatal(err)
	}
	head := e.Head()
	d := disk(e)
	d.fill(t)

	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := "s"
			if i%2 == 1 {
				stream = "new-" + uuid.NewString()
			}
			_, errs[i] = e.Append(t.Context(), stream, Expected{}, big())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, ErrWriteFailed) {
			t.Fatalf("append %d on a full disk: %v, want ErrWriteFailed", i, err)
		}
	}
	if err := e.Healthy(); !errors.Is(err, ErrWriteFailed) {
		t.Fatalf("Healthy on a full disk: %v", err)
	}
	if e.Head() != head {
		t.Fatalf("head moved to %d on failed writes, was %d", e.Head(), head)
	}
	if !strings.Contains(logs.String(), "write failed, undone") {
		t.Fatalf("failure not logged: %s", logs.String())
	}

	if probe {
		if err := e.Healthy(); !errors.Is(err, ErrWriteFailed) {
			t.Fatalf("Healthy probed a full disk: %v", err)
		}
	}
	d.free(t)
	if probe {
		if err := e.Healthy(); err != nil {
			t.Fatalf("Healthy once there is room: %v", err)
		}
	}
	res, err := e.Append(t.Context(), "s", Expected{Kind: ExpectExact, Revision: 2}, big())
	if err != nil {
		t.Fatalf("append once there is room: %v", err)
	}
	if res.Revision != 3 {
		t.Fatalf("revision %d after recovery, want 3", res.Revision)
	}
	if err := e.Healthy(); err != nil {
		t.Fatalf("Healthy after a good write: %v", err)
	}
	check := func(e *Engine) {
		t.Helper()
		all, err := e.ReadAll(0, false, Forwards, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(before)+1 {
			t.Fatalf("%d events, want %d", len(all), len(before)+1)
		}
		for i := range before {
			if all[i].ID != before[i].ID || !bytes.Equal(all[i].Data, before[i].Data) {
				t.Fatalf("event %d changed", i)
			}
		}
		if all[len(before)].Position != res.Position {
			t.Fatalf("new event at %d, acknowledged at %d", all[len(before)].Position, res.Position)
		}
	}
	check(e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	e, err = Open(dir, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	check(e)
	if strings.Contains(logs.String(), "cut") {
		t.Fatalf("reopen had to cut: %s", logs.String())
	}
}
