package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// errFrameCrossesEnd says a frame's length reaches past the end being read.
var errFrameCrossesEnd = errors.New("frame crosses the end of the log")

// frameScanner reads the frames of one segment in order between off and end
// through a buffer, with one read per buffer rather than per record.
type frameScanner struct {
	f   *os.File
	off int64 // offset of the next frame; b starts here
	end int64
	buf []byte
	b   []byte
}

func newFrameScanner(f *os.File, off, end int64, buf []byte) *frameScanner {
	return &frameScanner{f: f, off: off, end: end, buf: buf}
}

// next returns the next record and its offset, io.EOF at end, or the error
// that stops decoding at s.off (s.off then still points at the bad frame).
func (s *frameScanner) next() (record, int64, error) {
	for {
		if s.off >= s.end {
			return record{}, s.off, io.EOF
		}
		if len(s.b) == 0 {
			n := min(int64(len(s.buf)), s.end-s.off)
			if _, err := s.f.ReadAt(s.buf[:n], s.off); err != nil {
				return record{}, s.off, fmt.Errorf("engine: read: %w", err)
			}
			s.b = s.buf[:n]
		}
		r, size, err := decodeFrame(s.b)
		if errors.Is(err, errShortFrame) {
			if s.off+frameHeaderSize > s.end {
				return record{}, s.off, errFrameCrossesEnd
			}
			if len(s.b) >= frameHeaderSize {
				need := int64(frameOverhead) + int64(binary.LittleEndian.Uint32(s.b))
				if s.off+need > s.end {
					return record{}, s.off, errFrameCrossesEnd
				}
				if need > int64(len(s.buf)) {
					s.buf = make([]byte, need)
				}
			}
			s.b = nil // refill from s.off
			continue
		}
		if err != nil {
			return record{}, s.off, err
		}
		at := s.off
		s.b = s.b[size:]
		s.off += int64(size)
		return r, at, nil
	}
}
