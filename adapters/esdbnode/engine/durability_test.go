package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	opts := engine.Options{SegmentSize: 64 << 10}
	e, err := engine.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		mustAppend(t, e, "s", any_, evs(2)...)
		mustAppend(t, e, "t", any_, evs(1)...)
	}
	mustAppend(t, e, "$$t", any_, meta(`{"$maxCount":5}`))
	batch := evs(2)
	orig := mustAppend(t, e, "u", noStream, batch...)
	if _, err := e.Delete(context.Background(), "u", any_); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Tombstone(context.Background(), "x", any_); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, e)
	head := e.Head()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Append(context.Background(), "s", any_, evs(1)); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	if _, err := e.ReadAll(0, false, engine.Forwards, 1); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("read after close: %v", err)
	}

	e = open(t, dir, engine.Options{}) // segment size comes from the store
	if e.Head() != head {
		t.Fatalf("head %d after restart, want %d", e.Head(), head)
	}
	after := readAll(t, e)
	if !slices.Equal(ids(after), ids(before)) {
		t.Fatalf("$all differs after restart: %d vs %d events", len(after), len(before))
	}
	if r := mustAppend(t, e, "s", exact(399), evs(1)...); r.Revision != 400 || r.Position <= head {
		t.Fatalf("revisions do not continue: %+v", r)
	}
	if n := len(readStream(t, e, "t")); n != 5 {
		t.Fatalf("metadata lost: %d events of t", n)
	}
	if _, err := e.ReadStream("u", 0, false, engine.Forwards, 1); !errors.Is(err, engine.ErrStreamNotFound) {
		t.Fatalf("soft delete lost: %v", err)
	}
	if _, err := e.ReadStream("x", 0, false, engine.Forwards, 1); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("tombstone lost: %v", err)
	}
	// Idempotency survives the restart.
	if again, err := e.Append(context.Background(), "u", noStream, batch); err != nil || again != orig {
		t.Fatalf("re-append after restart: %+v %v, want %+v", again, err, orig)
	}
}

func TestOpenRefusesASecondEngine(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, engine.Options{})
	if e, err := engine.Open(dir, engine.Options{}); err == nil {
		e.Close()
		t.Fatal("second open of one store succeeded")
	}
}

func lastSegment(t *testing.T, dir string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no segments: %v", err)
	}
	slices.Sort(m)
	return m[len(m)-1]
}

func TestTornTailIsCutOff(t *testing.T) {
	damage := map[string]func(path string, size int64) error{
		"truncated": func(path string, size int64) error { return os.Truncate(path, size-7) },
		"corrupted": func(path string, size int64) error {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef}, size-30)
			return err
		},
		"garbage appended": func(path string, size int64) error {
			f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write([]byte{200, 0, 0, 0, 1, 2, 3})
			return err
		},
	}
	for name, hurt := range damage {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			e, err := engine.Open(dir, engine.Options{})
			if err != nil {
				t.Fatal(err)
			}
			mustAppend(t, e, "s", noStream, evs(3)...)
			kept := readAll(t, e)
			last := mustAppend(t, e, "s", exact(2), evs(3)...) // the write that gets torn
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			path := lastSegment(t, dir)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := hurt(path, fi.Size()); err != nil {
				t.Fatal(err)
			}
			e = open(t, dir, engine.Options{})
			got := readAll(t, e)
			wantN := len(kept)
			if name == "garbage appended" {
				wantN += 3
			}
			if len(got) != wantN || !slices.Equal(ids(got[:len(kept)]), ids(kept)) {
				t.Fatalf("%d events after reopen, want %d", len(got), wantN)
			}
			if name != "garbage appended" && e.Head() >= last.Position {
				t.Fatalf("head %d still covers the torn write at %d", e.Head(), last.Position)
			}
			// The torn write is all or nothing, and the store takes new writes.
			rev, err := e.StreamRevision("s")
			if err != nil {
				t.Fatal(err)
			}
			r := mustAppend(t, e, "s", exact(rev), evs(1)...)
			if r.Revision != rev+1 {
				t.Fatalf("revision %d after reopen, want %d", r.Revision, rev+1)
			}
			if n := len(readAll(t, e)); n != wantN+1 {
				t.Fatalf("%d events after new append, want %d", n, wantN+1)
			}
		})
	}
}

func TestUnfinishedWriteIsCutOffWhole(t *testing.T) {
	dir := t.TempDir()
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, e, "s", noStream, evs(1)...)
	big := evs(3)
	for i := range big {
		big[i].Data = make([]byte, 1000)
	}
	mustAppend(t, e, "s", exact(0), big...)
	e.Close()
	// Cut inside the last of the three records: the first two are intact
	// frames but their write never ended.
	path := lastSegment(t, dir)
	fi, _ := os.Stat(path)
	if err := os.Truncate(path, fi.Size()-500); err != nil {
		t.Fatal(err)
	}
	e = open(t, dir, engine.Options{})
	if got := readStream(t, e, "s"); len(got) != 1 {
		t.Fatalf("%d events survive, want only the first write", len(got))
	}
}

func TestOpenRepairsATornSegmentHeader(t *testing.T) {
	for _, size := range []int64{0, 10} {
		dir := t.TempDir()
		// A crash while creating the first segment leaves a short file.
		if err := os.WriteFile(filepath.Join(dir, "0000000000.seg"), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := engine.Open(dir, engine.Options{})
		if err != nil {
			t.Fatalf("open with a %d-byte segment: %v", size, err)
		}
		mustAppend(t, e, "s", noStream, evs(1)...)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		e = open(t, dir, engine.Options{})
		if n := len(readStream(t, e, "s")); n != 1 {
			t.Fatalf("%d events after reopen", n)
		}
	}
}

func TestOpenRejectsCorruptionBeforeTheTail(t *testing.T) {
	dir := t.TempDir()
	e, err := engine.Open(dir, engine.Options{SegmentSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	big := evs(1)[0]
	big.Data = make([]byte, 40<<10)
	mustAppend(t, e, "s", any_, big)
	big.ID = evs(1)[0].ID
	mustAppend(t, e, "s", any_, big) // second segment
	e.Close()
	first := filepath.Join(dir, "0000000000.seg")
	f, err := os.OpenFile(first, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{1, 2, 3, 4}, 200); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var ce *engine.CorruptError
	if e, err := engine.Open(dir, engine.Options{}); !errors.As(err, &ce) {
		if e != nil {
			e.Close()
		}
		t.Fatalf("open with a corrupt sealed segment: %v", err)
	}
}
