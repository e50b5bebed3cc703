package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// readAt reads and verifies the record at pos.
func (e *Engine) readAt(pos Position) (record, error) {
	segs := e.segmentList()
	si, off := int64(pos/Position(e.segSize)), int64(pos%Position(e.segSize))
	if si >= int64(len(segs)) || off < segmentHeaderSize {
		return record{}, &CorruptError{Position: pos, Reason: "position outside the log"}
	}
	buf := make([]byte, 1024)
	n, err := segs[si].f.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return record{}, fmt.Errorf("engine: read at %d: %w", pos, err)
	}
	buf = buf[:n]
	if n >= frameHeaderSize {
		if size := frameOverhead + int(binary.LittleEndian.Uint32(buf)); size > n && size <= frameOverhead+maxPayloadSize {
			buf = make([]byte, size)
			if _, err := segs[si].f.ReadAt(buf, off); err != nil {
				return record{}, fmt.Errorf("engine: read at %d: %w", pos, err)
			}
		}
	}
	r, _, err := decodeFrame(buf)
	if err != nil {
		return record{}, &CorruptError{Position: pos, Reason: err.Error()}
	}
	return r, nil
}

// findRevision walks from the event at (fromRev, fromPos) back to revision
// target of the same stream, along skip pointers where they do not
// overshoot and prev pointers otherwise: O(log² n) reads, no index in memory.
func (e *Engine) findRevision(fromRev uint64, fromPos Position, target uint64) (record, Position, error) {
	return e.findRevisionWith(nil, fromRev, fromPos, target)
}

// findRevisionWith is findRevision reading through rr (nil: one read per record).
func (e *Engine) findRevisionWith(rr *recReader, fromRev uint64, fromPos Position, target uint64) (record, Position, error) {
	rev, pos := fromRev, fromPos
	for {
		var r record
		var err error
		if rr != nil {
			r, err = rr.read(pos)
		} else {
			r, err = e.readAt(pos)
		}
		if err != nil {
			return record{}, 0, err
		}
		if r.rev != rev {
			return record{}, 0, &CorruptError{Position: pos, Reason: fmt.Sprintf("revision %d where %d was expected", r.rev, rev)}
		}
		if rev == target {
			return r, pos, nil
		}
		if s := rev & (rev - 1); rev > 0 && s >= target && r.skip != 0 {
			rev, pos = s, r.skip
			continue
		}
		if r.prev == 0 {
			return record{}, 0, &CorruptError{Position: pos, Reason: "stream chain ends early"}
		}
		rev, pos = rev-1, r.prev
	}
}
