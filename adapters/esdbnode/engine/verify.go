package engine

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Report sums up a store that Verify found sound.
type Report struct {
	Segments int
	Records  int
	Writes   int // atomic writes (transactions)
	Streams  int
	Bytes    int64
	Head     Position // position of the last record, 0 when empty
}

// Verify checks the store in dir offline: every segment header, every
// frame (length, CRC-32C, trailer, payload), the write structure (each
// write ends with its end marker, nothing follows the last write) and each
// record's revision and back-links (prev, skip) against what the engine
// writes. It takes the store's lock, so the node must be stopped, and
// changes nothing. The first problem comes back as a *CorruptError naming
// file and offset; a torn tail, which Open would cut, is one too.
func Verify(dir string) (Report, error) {
	var rep Report
	lock, err := lockDir(filepath.Join(dir, "LOCK"))
	if err != nil {
		return rep, err
	}
	defer lock.Close()
	idxs, err := listSegments(dir)
	if err != nil {
		return rep, err
	}
	v := &verifier{dir: dir, streams: map[string]*writeState{}, buf: make([]byte, 1<<20)}
	for i, idx := range idxs {
		if idx != int64(i) {
			return rep, fmt.Errorf("engine: segment %d missing before %d", i, idx)
		}
		if err := v.segment(idx, &rep); err != nil {
			return rep, err
		}
	}
	rep.Segments, rep.Streams = len(idxs), len(v.streams)
	return rep, nil
}

type verifier struct {
	dir     string
	segSize int64
	streams map[string]*writeState
	buf     []byte
}

func (v *verifier) segment(idx int64, rep *Report) error {
	path := segmentName(v.dir, idx)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("engine: open segment: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("engine: stat %s: %w", path, err)
	}
	size := fi.Size()
	corrupt := func(off int64, reason string) error {
		next, err := nextFrame(f, off+1, size)
		if err != nil {
			return err
		}
		return &CorruptError{Position: Position(idx*v.segSize + off), Reason: reason,
			Dir: v.dir, File: filepath.Base(path), Offset: off, Next: max(next, 0), Size: size}
	}
	segSize, err := readSegmentHeader(f, idx)
	if err != nil {
		return &CorruptError{Reason: err.Error(), Dir: v.dir, File: filepath.Base(path), Size: size}
	}
	if v.segSize != 0 && segSize != v.segSize {
		return &CorruptError{Reason: fmt.Sprintf("segment size %d, earlier segments %d", segSize, v.segSize),
			Dir: v.dir, File: filepath.Base(path), Size: size}
	}
	v.segSize = segSize
	rep.Bytes += size
	sc := newFrameScanner(f, segmentHeaderSize, size, v.buf)
	txStart := int64(-1)
	for {
		r, at, err := sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return corrupt(at, err.Error())
		}
		if txStart < 0 {
			txStart = at
		}
		pos := Position(idx*segSize + at)
		if reason := v.link(&r, pos); reason != "" {
			return corrupt(at, reason)
		}
		rep.Records++
		rep.Head = pos
		if r.flags&flagTxEnd != 0 {
			rep.Writes++
			txStart = -1
		}
	}
	if txStart >= 0 {
		return corrupt(txStart, "write without its end marker (a torn tail; Open cuts it)")
	}
	return nil
}

// link checks r's stream, revision and back-links against the records
// before it, then records it, as reserve and apply do. It returns why r
// is wrong, "" when it is right.
func (v *verifier) link(r *record, pos Position) string {
	if r.stream == "" {
		return "record without stream"
	}
	w := v.streams[r.stream]
	if w == nil {
		w = &writeState{lastRev: NoRevision}
		v.streams[r.stream] = w
	}
	if w.tombstoned {
		return fmt.Sprintf("stream %q has a record after its tombstone", r.stream)
	}
	var prev, skip Position
	if w.lastRev != NoRevision {
		prev = w.lastPos
	}
	tombstone := r.rev == tombstoneRevision && r.typ == eventTypeDeleted
	next := uint64(0)
	if w.lastRev != NoRevision {
		next = w.lastRev + 1
	}
	switch {
	case !tombstone && r.rev != next:
		return fmt.Sprintf("stream %q: revision %d where %d was expected", r.stream, r.rev, next)
	case !tombstone && r.rev > 0:
		skip = w.skipFor(r.rev)
	}
	if r.prev != prev || r.skip != skip {
		return fmt.Sprintf("stream %q revision %d: back-links prev %d skip %d, want %d and %d", r.stream, r.rev, r.prev, r.skip, prev, skip)
	}
	if tombstone {
		w.tombstoned, w.lastPos = true, pos
		return ""
	}
	w.advance(r.rev, pos)
	return ""
}
