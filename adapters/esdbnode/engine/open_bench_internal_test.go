package engine

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
)

// writeFullSegment writes a ~256 MiB segment of 1 KiB events, one write
// each, straight to dir (no engine, no fsync per event). It returns the
// offset of every frame.
func writeFullSegment(b *testing.B, dir string) []int64 {
	b.Helper()
	buf := bytes.NewBuffer(encodeSegmentHeader(0, DefaultSegmentSize))
	var offs []int64
	data := bytes.Repeat([]byte("x"), 1024)
	for rev := uint64(0); int64(buf.Len()) < DefaultSegmentSize-4096; rev++ {
		offs = append(offs, int64(buf.Len()))
		r := record{flags: flagTxEnd, rev: rev, id: uuid.New(), stream: "s", typ: "T", ctype: contentTypeJSON, data: data}
		buf.Write(appendFrame(nil, &r))
	}
	if err := os.WriteFile(segmentName(dir, 0), buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return offs
}

// BenchmarkOpen256MiB: the cost of Open on a full 256 MiB segment, intact,
// with a torn tail (cut and logged), and with a flipped byte early on
// (refused: the scan for a well-formed record after it stops at the next
// frame).
//
//	go test -run '^$' -bench Open256MiB -benchtime 1x ./adapters/esdbnode/engine/
func BenchmarkOpen256MiB(b *testing.B) {
	dir := b.TempDir()
	offs := writeFullSegment(b, dir)
	path := segmentName(dir, 0)
	orig, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		hurt func() []byte
		ok   bool
	}{
		{"intact", func() []byte { return orig }, true},
		{"torn tail", func() []byte { return orig[:len(orig)-100] }, true},
		{"flip early", func() []byte {
			d := bytes.Clone(orig)
			d[offs[1000]+40] ^= 1
			return d
		}, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				if err := os.WriteFile(path, c.hurt(), 0o644); err != nil {
					b.Fatal(err)
				}
				os.Remove(filepath.Join(dir, "LOCK"))
				b.StartTimer()
				e, err := Open(dir, Options{})
				if (err == nil) != c.ok {
					b.Fatalf("open: %v", err)
				}
				if e != nil {
					e.Close()
				}
			}
		})
	}
}

// BenchmarkNextFrame256MiB: the worst case of the scan after a bad record
// in the last segment, nothing well formed in the 256 MiB after it.
//
//	go test -run '^$' -bench NextFrame256MiB -benchtime 1x ./adapters/esdbnode/engine/
func BenchmarkNextFrame256MiB(b *testing.B) {
	for _, c := range []struct {
		name string
		fill func([]byte)
	}{
		{"zeros", func([]byte) {}},
		{"random", func(p []byte) { _, _ = rand.Read(p) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := make([]byte, DefaultSegmentSize)
			c.fill(p)
			path := filepath.Join(b.TempDir(), "seg")
			if err := os.WriteFile(path, p, 0o644); err != nil {
				b.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				if at, err := nextFrame(f, 0, int64(len(p))); err != nil || at != -1 {
					b.Fatalf("nextFrame = %d, %v", at, err)
				}
			}
		})
	}
}
