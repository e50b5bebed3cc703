package engine_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// fillStore writes n single-event appends to stream s of a store in dir.
func fillStore(t *testing.T, dir string, opts engine.Options, n int) []engine.RecordedEvent {
	t.Helper()
	e, err := engine.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		mustAppend(t, e, "s", any_, evs(1)...)
	}
	all := readAll(t, e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return all
}

// snapshotFiles returns the contents of every file in dir but LOCK.
func snapshotFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, en := range entries {
		if en.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[en.Name()] = b
	}
	return out
}

func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x10
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// assertRefused opens dir expecting a *CorruptError naming file and a
// well-formed record after the damage, and no file changed.
func assertRefused(t *testing.T, dir, file string, off int64) {
	t.Helper()
	before := snapshotFiles(t, dir)
	var logs bytes.Buffer
	e, err := engine.Open(dir, engine.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err == nil {
		e.Close()
		t.Fatalf("open with a flipped byte at %d of %s succeeded", off, file)
	}
	var ce *engine.CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("flip at %d: %v, want a *CorruptError", off, err)
	}
	if ce.File != file || ce.Offset > off || ce.Next <= off || ce.Next >= ce.Size {
		t.Fatalf("flip at %d: error names %s offset %d next %d size %d", off, ce.File, ce.Offset, ce.Next, ce.Size)
	}
	msg := err.Error()
	for _, want := range []string{file, fmt.Sprintf("offset %d", ce.Offset), "well-formed record follows", "nothing was cut", "node check --data", "node repair --data"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("message lacks %q: %s", want, msg)
		}
	}
	after := snapshotFiles(t, dir)
	if len(after) != len(before) {
		t.Fatalf("files %d after the refused open, %d before", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Fatalf("%s changed by the refused open", name)
		}
	}
	if logs.Len() != 0 {
		t.Fatalf("refused open logged a cut: %s", logs.String())
	}
}

// A flipped byte anywhere in one record of the last segment, with records
// after it, is refused: the tester's 2,677 silently cut events.
func TestFlippedByteInLastSegmentIsRefused(t *testing.T) {
	dir := t.TempDir()
	all := fillStore(t, dir, engine.Options{}, 300)
	path := lastSegment(t, dir)
	mid := int64(all[150].Position) // one segment: position = offset
	frame := int64(all[151].Position) - mid
	for off := mid; off < mid+frame; off += 7 {
		flipByte(t, path, off)
		assertRefused(t, dir, filepath.Base(path), off)
		flipByte(t, path, off) // restore
	}
	e := open(t, dir, engine.Options{})
	if n := len(readAll(t, e)); n != len(all) {
		t.Fatalf("%d events after restoring the byte, want %d", n, len(all))
	}
}

func TestFlippedByteInEarlierSegmentIsRefused(t *testing.T) {
	dir := t.TempDir()
	opts := engine.Options{SegmentSize: 64 << 10}
	all := fillStore(t, dir, opts, 800)
	first := filepath.Join(dir, "0000000000.seg")
	if lastSegment(t, dir) == first {
		t.Fatal("test needs two segments")
	}
	off := int64(all[100].Position) + 20
	flipByte(t, first, off)
	assertRefused(t, dir, "0000000000.seg", off)
}

func TestTornTailCutIsLogged(t *testing.T) {
	cases := map[string]struct {
		hurt      func(path string, size int64) error
		lost      int
		savedSide bool
	}{
		"truncated":        {func(p string, n int64) error { return os.Truncate(p, n-7) }, 1, true},
		"garbage appended": {func(p string, _ int64) error { return appendBytes(p, []byte{200, 0, 0, 0, 1, 2, 3, 9, 9, 9}) }, 0, true},
		"zero filled":      {func(p string, _ int64) error { return appendBytes(p, make([]byte, 1<<20)) }, 0, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			all := fillStore(t, dir, engine.Options{}, 20)
			path := lastSegment(t, dir)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.hurt(path, fi.Size()); err != nil {
				t.Fatal(err)
			}
			damaged, _ := os.Stat(path)
			var logs bytes.Buffer
			e := open(t, dir, engine.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if n := len(readAll(t, e)); n != len(all)-c.lost {
				t.Fatalf("%d events after the cut, want %d", n, len(all)-c.lost)
			}
			cut := int64(all[len(all)-1-c.lost].Position) + (fi.Size() - int64(all[len(all)-1].Position))
			if c.lost > 0 {
				cut = int64(all[len(all)-1].Position)
			}
			line := logs.String()
			for _, want := range []string{"cut torn tail", "file=" + path, fmt.Sprintf("offset=%d", cut), fmt.Sprintf("bytes_dropped=%d", damaged.Size()-cut)} {
				if !strings.Contains(line, want) {
					t.Fatalf("log lacks %q: %s", want, line)
				}
			}
			side := fmt.Sprintf("%s.removed-%d", path, cut)
			b, err := os.ReadFile(side)
			switch {
			case c.savedSide && (err != nil || int64(len(b)) != damaged.Size()-cut):
				t.Fatalf("side file %s: %d bytes, %v", side, len(b), err)
			case !c.savedSide && !errors.Is(err, os.ErrNotExist):
				t.Fatalf("zeros saved to %s: %v", side, err)
			}
		})
	}
}

func appendBytes(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(b)
	return err
}
