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

// backScanner reads the frames of one segment backwards from off down to
// start, through a buffer, using the trailing length of each frame.
type backScanner struct {
	f     *os.File
	off   int64 // end of the next frame to return
	start int64
	buf   []byte
	b     []byte // file bytes [bOff, bOff+len(b))
	bOff  int64
}

func newBackScanner(f *os.File, start, off int64, buf []byte) *backScanner {
	return &backScanner{f: f, off: off, start: start, buf: buf}
}

// prev returns the record ending at s.off and its offset, io.EOF at start,
// or the error that stops decoding there.
func (s *backScanner) prev() (record, int64, error) {
	for {
		if s.off <= s.start {
			return record{}, s.off, io.EOF
		}
		if s.off-s.start < frameOverhead+fixedPayloadSize {
			return record{}, s.off, errFrameCrossesEnd
		}
		if s.off-frameTrailerSize < s.bOff || s.off > s.bOff+int64(len(s.b)) {
			if err := s.fill(int64(len(s.buf))); err != nil {
				return record{}, s.off, err
			}
		}
		local := s.off - s.bOff
		n := int64(binary.LittleEndian.Uint32(s.b[local-frameTrailerSize:]))
		size := frameOverhead + n
		at := s.off - size
		if n < fixedPayloadSize || n > maxPayloadSize || at < s.start {
			return record{}, s.off, errFrameCrossesEnd
		}
		if at < s.bOff {
			if err := s.fill(size); err != nil {
				return record{}, s.off, err
			}
			continue
		}
		r, _, err := decodeFrame(s.b[at-s.bOff : local])
		if err != nil {
			return record{}, s.off, err
		}
		s.off = at
		return r, at, nil
	}
}

// fill loads up to want bytes (at least the buffer size) ending at s.off.
func (s *backScanner) fill(want int64) error {
	if want > int64(len(s.buf)) {
		s.buf = make([]byte, want)
	}
	size := min(int64(len(s.buf)), s.off-s.start)
	s.bOff = s.off - size
	if _, err := s.f.ReadAt(s.buf[:size], s.bOff); err != nil {
		return fmt.Errorf("engine: read: %w", err)
	}
	s.b = s.buf[:size]
	return nil
}
