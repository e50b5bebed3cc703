package engine

import (
	"bytes"
	"testing"
)

// Frames that cross the read window of nextFrame are found too.
func TestNextFrameAcrossWindows(t *testing.T) {
	r := sampleRecord()
	r.data = bytes.Repeat([]byte{'x'}, 3000)
	frame := appendFrame(nil, &r)
	for _, at := range []int{resyncWindow - 5, resyncWindow - len(frame) + 3, resyncWindow - 8, resyncWindow + 17} {
		b := make([]byte, at, at+len(frame)+10)
		for i := range b {
			b[i] = byte(i * 7) // never a frame
		}
		b = append(b, frame...)
		b = append(b, 1, 2, 3)
		got, err := nextFrame(bytes.NewReader(b), 1, int64(len(b)))
		if err != nil || got != int64(at) {
			t.Fatalf("frame at %d: found %d, %v", at, got, err)
		}
		if got, _ := nextFrame(bytes.NewReader(b[:len(b)-4]), 1, int64(len(b)-4)); got != -1 {
			t.Fatalf("frame cut at the end found at %d", got)
		}
	}
}
