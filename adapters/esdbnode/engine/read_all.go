package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ReadAll reads up to max events (max 0: no limit) of the whole log, all
// streams including system streams and events hidden by stream metadata,
// like EventStoreDB's $all before a scavenge. Forwards from a position
// includes the event at that position; backwards from a position returns
// the events strictly before it. Forwards from the end is empty; backwards
// from the end starts with the last event. Only durable events are returned.
func (e *Engine) ReadAll(from Position, fromEnd bool, dir Direction, max uint64) ([]RecordedEvent, error) {
	e.closeMu.RLock()
	defer e.closeMu.RUnlock()
	if e.readClosed {
		return nil, ErrClosed
	}
	if max == 0 {
		max = ^uint64(0)
	}
	if dir == Backwards {
		if fromEnd {
			segs := e.segmentList()
			last := segs[len(segs)-1]
			from = Position(last.index*e.segSize + last.end.Load())
		}
		return e.scanBackwards(from, max)
	}
	if fromEnd {
		return nil, nil
	}
	return e.scanForwards(from, max)
}

const scanBufferSize = 256 << 10

// scanBuffers recycles the scan buffers of $all reads: a subscription or
// paged read scans one page per call, and a fresh, zeroed 256 KiB buffer
// per page cost more than decoding the page.
var scanBuffers = sync.Pool{New: func() any { b := make([]byte, scanBufferSize); return &b }}

func getScanBuffer() *[]byte { return scanBuffers.Get().(*[]byte) }

// putScanBuffer returns b; the scanners may have swapped in a larger
// buffer for one large frame, which is left to the collector.
func putScanBuffer(b *[]byte) { scanBuffers.Put(b) }

// resultCap is the capacity to start a result of up to max events with:
// a page is usually filled, an unbounded read grows from there.
func resultCap(max uint64) int { return int(min(max, 1024)) }

func (e *Engine) scanForwards(from Position, max uint64) ([]RecordedEvent, error) {
	segs := e.segmentList()
	si, off := int64(from/Position(e.segSize)), int64(from%Position(e.segSize))
	if off < segmentHeaderSize {
		off = segmentHeaderSize
	}
	if si >= int64(len(segs)) {
		return nil, nil
	}
	out := make([]RecordedEvent, 0, resultCap(max))
	bp := getScanBuffer()
	defer putScanBuffer(bp)
	buf := *bp
	first := true
	for ; si < int64(len(segs)); si, off = si+1, segmentHeaderSize {
		sc := newFrameScanner(segs[si].f, off, segs[si].end.Load(), buf)
		for {
			r, at, err := sc.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if first && at > segmentHeaderSize {
					// from is not a record boundary: rescan the segment
					// from its start and skip what lies before from.
					first = false
					sc = newFrameScanner(segs[si].f, segmentHeaderSize, sc.end, buf)
					continue
				}
				return nil, &CorruptError{Position: Position(si*e.segSize + at), Reason: err.Error()}
			}
			first = false
			if pos := Position(si*e.segSize + at); pos >= from {
				out = append(out, r.toEvent(pos))
				if uint64(len(out)) >= max {
					return out, nil
				}
			}
		}
		first = false
	}
	return nonEmpty(out), nil
}

func (e *Engine) scanBackwards(before Position, max uint64) ([]RecordedEvent, error) {
	segs := e.segmentList()
	if len(segs) == 0 || before == 0 {
		return nil, nil
	}
	si, off := int64(before/Position(e.segSize)), int64(before%Position(e.segSize))
	if si >= int64(len(segs)) {
		si = int64(len(segs)) - 1
		off = segs[si].end.Load()
	}
	if end := segs[si].end.Load(); off > end {
		off = end
	}
	out := make([]RecordedEvent, 0, resultCap(max))
	bp := getScanBuffer()
	defer putScanBuffer(bp)
	buf := *bp
	first := true
	for ; si >= 0; si-- {
		s := segs[si]
		if !first {
			off = s.end.Load()
		}
		sc := newBackScanner(s.f, segmentHeaderSize, off, buf)
		for {
			r, at, err := sc.prev()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if !first {
					return nil, &CorruptError{Position: Position(si*e.segSize + at), Reason: err.Error()}
				}
				// before is not a record boundary: move to the next one.
				first = false
				next, err := e.nextBoundary(s, sc.off)
				if err != nil {
					return nil, err
				}
				sc = newBackScanner(s.f, segmentHeaderSize, next, buf)
				continue
			}
			first = false
			out = append(out, r.toEvent(Position(si*e.segSize+at)))
			if uint64(len(out)) >= max {
				return out, nil
			}
		}
		first = false
	}
	return nonEmpty(out), nil
}

// nextBoundary returns the first record boundary at or after off in s.
func (e *Engine) nextBoundary(s *segment, off int64) (int64, error) {
	end := s.end.Load()
	at := int64(segmentHeaderSize)
	var h [frameHeaderSize]byte
	for at < off && at < end {
		if _, err := s.f.ReadAt(h[:], at); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("engine: read segment %d: %w", s.index, err)
		}
		at += frameOverhead + int64(binary.LittleEndian.Uint32(h[:]))
	}
	return min(at, end), nil
}

// nonEmpty keeps "nothing found" a nil result, as before results were pre-sized.
func nonEmpty(evs []RecordedEvent) []RecordedEvent {
	if len(evs) == 0 {
		return nil
	}
	return evs
}
