package engine

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// recover opens the segments, replays every committed write into the
// writer's view, cuts off an unfinished or torn tail of the last segment
// and publishes the result as the durable state.
func (e *Engine) recover() error {
	idxs, err := listSegments(e.dir)
	if err != nil {
		return err
	}
	for i, idx := range idxs {
		if idx != int64(i) {
			return fmt.Errorf("engine: segment %d missing before %d", i, idx)
		}
	}
	e.segSize = e.opts.SegmentSize
	segs := make([]*segment, 0, len(idxs)+1)
	defer func() { e.segs.Store(&segs) }()
	for i := range idxs {
		last := i == len(idxs)-1
		s, size, err := openSegment(e.dir, int64(i), last)
		if err != nil {
			return err
		}
		segs = append(segs, s)
		if size != 0 {
			if i > 0 && size != e.segSize {
				return fmt.Errorf("engine: segment %d has size %d, earlier ones %d", i, size, e.segSize)
			}
			e.segSize = size
		}
	}
	if len(segs) == 0 {
		s, err := createSegment(e.dir, 0, e.segSize)
		if err != nil {
			return err
		}
		segs = append(segs, s)
	}
	if n := len(segs); n > 0 && segs[n-1].end.Load() == 0 {
		// The last segment was being created when the process died.
		_ = segs[n-1].f.Close()
		s, err := createSegment(e.dir, int64(n-1), e.segSize)
		if err != nil {
			return err
		}
		segs[n-1] = s
	}
	buf := make([]byte, 1<<20)
	for i, s := range segs {
		head, err := e.replaySegment(s, i == len(segs)-1, buf)
		if err != nil {
			return err
		}
		if head != 0 {
			e.head.Store(uint64(head))
		}
	}
	last := segs[len(segs)-1]
	e.tailSeg, e.tailOff = last.index, last.end.Load()
	e.streams.Range(func(_, v any) bool {
		st := v.(*stream)
		st.durable.Store(st.snapshot())
		return true
	})
	return nil
}

// openSegment opens segment index and reads its header. A last segment with
// a torn header (end 0 on return) is recreated by the caller.
func openSegment(dir string, index int64, last bool) (*segment, int64, error) {
	f, err := os.OpenFile(segmentName(dir, index), os.O_RDWR, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("engine: open segment: %w", err)
	}
	s := &segment{index: index, f: f}
	size, err := readSegmentHeader(f, index)
	if err != nil {
		if fi, serr := f.Stat(); last && serr == nil && fi.Size() <= segmentHeaderSize {
			return s, 0, nil
		}
		f.Close()
		return nil, 0, fmt.Errorf("engine: segment %d: %w", index, err)
	}
	s.end.Store(segmentHeaderSize)
	return s, size, nil
}

// replaySegment applies the committed writes of s. Whatever follows the
// last complete write of the last segment is cut off, logged, and the cut
// made durable, but only when it is a torn tail: an unfinished write, or
// bad bytes with no well-formed record after them. Bad bytes followed by a
// well-formed record, and anything left over in an earlier segment, are
// corruption: Open refuses with a *CorruptError and changes nothing. It
// returns the position of the last committed record, 0 when none.
func (e *Engine) replaySegment(s *segment, last bool, buf []byte) (Position, error) {
	fi, err := s.f.Stat()
	if err != nil {
		return 0, fmt.Errorf("engine: stat segment %d: %w", s.index, err)
	}
	size := fi.Size()
	var head Position
	sc := newFrameScanner(s.f, segmentHeaderSize, size, buf)
	var pending []posRecord
	committed := int64(segmentHeaderSize)
	var stopErr error
	for {
		r, at, err := sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			stopErr = err
			break
		}
		if r.stream == "" {
			stopErr = errors.New("record without stream")
			break
		}
		pending = append(pending, posRecord{r: r, pos: Position(s.index*e.segSize + at)})
		if r.flags&flagTxEnd == 0 {
			continue
		}
		for i := range pending {
			p := &pending[i]
			if p.r.created > e.lastTick {
				e.lastTick = p.r.created
			}
			e.apply(e.streamW(p.r.stream), &p.r, p.pos)
			head = p.pos
		}
		pending = pending[:0]
		committed = sc.off
	}
	if committed == size {
		s.end.Store(committed)
		return head, nil
	}
	reason := "write without its end marker"
	bad, next := committed, int64(-1)
	if stopErr != nil {
		reason, bad = stopErr.Error(), sc.off
		if next, err = nextFrame(s.f, bad+1, size); err != nil {
			return 0, err
		}
	}
	if !last || next >= 0 {
		return 0, &CorruptError{
			Position: Position(s.index*e.segSize + bad), Reason: reason,
			Dir: e.dir, File: filepath.Base(segmentName(e.dir, s.index)), Offset: bad, Next: max(next, 0), Size: size,
		}
	}
	path := segmentName(e.dir, s.index)
	side, err := saveAndCut(s.f, path, committed, size)
	if err != nil {
		return 0, err
	}
	e.opts.Logger.Warn("event store: cut torn tail of the last segment",
		"file", path, "offset", committed, "bytes_dropped", size-committed, "reason", reason, "saved_to", side)
	s.end.Store(committed)
	return head, nil
}
