package engine_test

import (
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// FuzzReadAllFromAnyPosition: from any position, in either direction, $all
// returns exactly the events at or after it (forwards) or strictly before it
// (backwards), in order, across segment boundaries.
func FuzzReadAllFromAnyPosition(f *testing.F) {
	e := open(f, f.TempDir(), engine.Options{SegmentSize: 64 << 10})
	for i := 0; i < 60; i++ {
		batch := evs(1 + i%4)
		for j := range batch {
			batch[j].Data = make([]byte, 37*i)
		}
		mustAppend(f, e, "s", any_, batch...)
	}
	all := readAll(f, e)
	for _, p := range []uint64{0, 1, 64, uint64(all[5].Position), uint64(all[5].Position) + 1, uint64(e.Head()), 65 << 10, 1 << 62} {
		f.Add(p, true, uint8(10))
		f.Add(p, false, uint8(0))
	}
	f.Fuzz(func(t *testing.T, p uint64, forwards bool, max uint8) {
		dir := engine.Backwards
		if forwards {
			dir = engine.Forwards
		}
		got, err := e.ReadAll(engine.Position(p), false, dir, uint64(max))
		if err != nil {
			t.Fatalf("from %d: %v", p, err)
		}
		var want []engine.RecordedEvent
		if forwards {
			i, _ := slices.BinarySearchFunc(all, p, func(ev engine.RecordedEvent, p uint64) int {
				return cmpU(uint64(ev.Position), p)
			})
			want = slices.Clone(all[i:])
		} else {
			i, _ := slices.BinarySearchFunc(all, p, func(ev engine.RecordedEvent, p uint64) int {
				return cmpU(uint64(ev.Position), p)
			})
			want = slices.Clone(all[:i])
			slices.Reverse(want)
		}
		if max > 0 && len(want) > int(max) {
			want = want[:max]
		}
		if !slices.Equal(ids(got), ids(want)) {
			t.Fatalf("from %d forwards=%v max %d: %d events, want %d", p, forwards, max, len(got), len(want))
		}
	})
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
