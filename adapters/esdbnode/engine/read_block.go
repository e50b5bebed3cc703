package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// A stream is read by walking prev pointers backwards through the log, one
// record per step. Reading each record with its own pread cost a system
// call and a buffer per event; but a stream's events are often near each
// other (a case written in a burst, a batch append), so recReader reads a
// block ending just after the record and serves the records that follow
// (earlier in the log) from it. It reads a whole block only once the walk
// has shown a short step; after a long one it reads a small block, which
// still holds the rest of a run of adjacent records (one append's events),
// so a stream spread thinly over the log costs one small read per run.
const (
	blockSize  = 64 << 10 // bytes read at once when records are near
	smallRead  = 8 << 10  // bytes read after a long step
	blockAhead = 4 << 10  // bytes after the record in a block: frames up to this size need no second read
)

var blockBuffers = sync.Pool{New: func() any { b := make([]byte, blockSize); return &b }}

// recReader reads the records of one read call; it is not safe for
// concurrent use. release returns its buffer.
type recReader struct {
	e    *Engine
	segs []*segment
	bp   *[]byte
	seg  int64  // segment of b
	off  int64  // offset of b in seg
	b    []byte // bytes of seg at off
	last Position
}

func (e *Engine) newRecReader() *recReader {
	return &recReader{e: e, segs: e.segmentList(), seg: -1}
}

func (rr *recReader) release() {
	if rr.bp != nil {
		blockBuffers.Put(rr.bp)
		rr.bp, rr.b = nil, nil
	}
}

// read reads and verifies the record at pos, as Engine.readAt.
func (rr *recReader) read(pos Position) (record, error) {
	e := rr.e
	si, off := int64(pos/Position(e.segSize)), int64(pos%Position(e.segSize))
	if si >= int64(len(rr.segs)) || off < segmentHeaderSize {
		return e.readAt(pos) // reports it
	}
	last := rr.last
	rr.last = pos
	if r, ok, err := rr.fromBlock(si, off, pos); ok || err != nil {
		return r, err
	}
	s := rr.segs[si]
	end := s.end.Load()
	if off >= end {
		return e.readAt(pos) // not in the durable part this reader knows of
	}
	near := last > pos && last-pos <= blockSize-blockAhead && int64(last/Position(e.segSize)) == si
	if rr.bp == nil {
		rr.bp = blockBuffers.Get().(*[]byte)
	}
	hi := min(end, off+blockAhead)
	lo := max(segmentHeaderSize, hi-smallRead)
	if near {
		lo = max(segmentHeaderSize, hi-blockSize)
	}
	buf := (*rr.bp)[:hi-lo]
	n, err := s.f.ReadAt(buf, lo)
	if err != nil && !errors.Is(err, io.EOF) {
		rr.seg, rr.b = -1, nil
		return record{}, fmt.Errorf("engine: read at %d: %w", pos, err)
	}
	rr.seg, rr.off, rr.b = si, lo, buf[:n]
	if r, ok, err := rr.fromBlock(si, off, pos); ok || err != nil {
		return r, err
	}
	return e.readAt(pos) // a frame larger than the block
}

// fromBlock decodes the record at off of segment si from the block, if the
// block holds all of it.
func (rr *recReader) fromBlock(si, off int64, pos Position) (record, bool, error) {
	if si != rr.seg || off < rr.off || off+frameHeaderSize > rr.off+int64(len(rr.b)) {
		return record{}, false, nil
	}
	b := rr.b[off-rr.off:]
	size := frameOverhead + int64(binary.LittleEndian.Uint32(b))
	if size > int64(len(b)) {
		return record{}, false, nil
	}
	r, _, err := decodeFrame(b[:size])
	if err != nil {
		return record{}, true, &CorruptError{Position: pos, Reason: err.Error()}
	}
	return r, true, nil
}
