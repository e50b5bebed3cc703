package engine_test

import (
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// FuzzReadStreamFromAnyRevision: from any revision, in either direction,
// with any count, a stream read returns exactly the expected revisions,
// with $tb and $maxCount applied.
func FuzzReadStreamFromAnyRevision(f *testing.F) {
	e := open(f, f.TempDir(), engine.Options{SegmentSize: 64 << 10})
	const n = 300
	for i := 0; i < n; i++ {
		mustAppend(f, e, "s", any_, ev("E"))
		mustAppend(f, e, "t", any_, ev("E"))
		if i%5 == 0 {
			mustAppend(f, e, "noise", any_, evs(2)...)
		}
	}
	mustAppend(f, e, "$$t", any_, meta(`{"$tb":40,"$maxCount":200}`)) // t shows 100..299
	for _, from := range []uint64{0, 1, 63, 64, 150, 299, 300, 1 << 40} {
		f.Add(from, true, false, uint16(10), false)
		f.Add(from, false, true, uint16(0), true)
	}
	f.Fuzz(func(t *testing.T, from uint64, forwards, fromEnd bool, max uint16, truncated bool) {
		stream, lo := "s", uint64(0)
		if truncated {
			stream, lo = "t", 100
		}
		dir := engine.Backwards
		if forwards {
			dir = engine.Forwards
		}
		got, err := e.ReadStream(stream, from, fromEnd, dir, uint64(max))
		if err != nil {
			t.Fatal(err)
		}
		var want []uint64
		switch {
		case forwards && !fromEnd:
			for r := max64(from, lo); r < n; r++ {
				want = append(want, r)
			}
		case !forwards:
			start := min(from, n-1)
			if fromEnd {
				start = n - 1
			}
			for r := int64(start); r >= int64(lo); r-- {
				want = append(want, uint64(r))
			}
		}
		if max > 0 && len(want) > int(max) {
			want = want[:max]
		}
		if got := revisions(got); !slices.Equal(got, want) {
			t.Fatalf("%s from %d fwd=%v end=%v max %d: %v, want %v", stream, from, forwards, fromEnd, max, got, want)
		}
	})
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
