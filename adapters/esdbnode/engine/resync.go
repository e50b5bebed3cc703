package engine

import (
	"encoding/binary"
	"fmt"
	"io"
)

// resyncWindow is how many bytes nextFrame reads at a time.
const resyncWindow = 1 << 20

// nextFrame returns the first offset in [from, end) of r at which a
// well-formed frame starts (length in range, trailer equal to the length,
// CRC-32C over the payload and a payload that decodes) and ends at or
// before end; -1 when there is none.
//
// It tells damage from a torn tail: after a torn write nothing well formed
// follows the bad bytes, after a flipped bit the next record does. Zeros
// (a preallocated or never written tail) are never a frame: length 0 is out
// of range. The cost is one pass over [from, end) in resyncWindow reads; a
// position is looked at further only when its length field is in range
// (about 0.4 % of random bytes, none of zeros or text) and, if its trailer
// lies past the window, costs one 4-byte read.
func nextFrame(r io.ReaderAt, from, end int64) (int64, error) {
	le := binary.LittleEndian
	buf := make([]byte, resyncWindow)
	var tmp []byte
	for w := from; w+frameOverhead+fixedPayloadSize <= end; {
		n := min(int64(len(buf)), end-w)
		b := buf[:n]
		if _, err := r.ReadAt(b, w); err != nil && err != io.EOF {
			return -1, fmt.Errorf("engine: read: %w", err)
		}
		// Positions whose header lies wholly in b; the rest start the next window.
		last := n - frameHeaderSize
		for i := int64(0); i <= last; i++ {
			size := le.Uint32(b[i:])
			if size < fixedPayloadSize || size > maxPayloadSize {
				continue
			}
			total := int64(frameOverhead) + int64(size)
			at := w + i
			if at+total > end {
				continue
			}
			var frame []byte
			if i+total <= n {
				frame = b[i : i+total]
			} else {
				var tr [frameTrailerSize]byte
				if _, err := r.ReadAt(tr[:], at+total-frameTrailerSize); err != nil && err != io.EOF {
					return -1, fmt.Errorf("engine: read: %w", err)
				}
				if le.Uint32(tr[:]) != size {
					continue
				}
				if int64(cap(tmp)) < total {
					tmp = make([]byte, total)
				}
				frame = tmp[:total]
				if _, err := r.ReadAt(frame, at); err != nil && err != io.EOF {
					return -1, fmt.Errorf("engine: read: %w", err)
				}
			}
			if le.Uint32(frame[total-frameTrailerSize:]) != size {
				continue
			}
			if _, _, err := decodeFrame(frame); err == nil {
				return at, nil
			}
		}
		if w+n >= end {
			break
		}
		w += last + 1
	}
	return -1, nil
}
