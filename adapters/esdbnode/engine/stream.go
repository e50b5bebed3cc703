package engine

import (
	"math/bits"
	"sync/atomic"
)

// stream is the in-memory state of one stream: a few words whatever its
// length (per-event data stays on disk, reached through prev/skip pointers).
type stream struct {
	name string
	// w is the writer's view, including reserved but not yet durable
	// writes. Guarded by Engine.mu.
	w writeState
	// durable is what readers see: only fsynced writes. Replaced, never
	// mutated, by the writer goroutine.
	durable atomic.Pointer[snapshot]
}

type writeState struct {
	lastRev    uint64 // NoRevision when no event
	lastPos    Position
	pos0       Position   // position of revision 0
	levels     []Position // levels[k]: position of the latest revision > 0 divisible by 2^k
	tombstoned bool
	meta       streamMeta // parsed from the last event of $$name
	metaRaw    []byte     // data of the last event of $$name, for soft undelete
	inflight   *group     // last group holding a write to this stream
}

// snapshot is the durable state of a stream as readers see it.
type snapshot struct {
	lastRev    uint64
	lastPos    Position
	tombstoned bool
	meta       streamMeta
}

func newStream(name string) *stream {
	return &stream{name: name, w: writeState{lastRev: NoRevision}}
}

func (s *stream) snapshot() *snapshot {
	return &snapshot{lastRev: s.w.lastRev, lastPos: s.w.lastPos, tombstoned: s.w.tombstoned, meta: s.w.meta}
}

// busy reports whether a write to the stream is reserved but not yet durable.
func (s *stream) busy() *group {
	if g := s.w.inflight; g != nil && !g.isDone() {
		return g
	}
	return nil
}

// skipFor returns the position of revision rev&(rev-1), the skip target of
// a new event at revision rev > 0.
func (w *writeState) skipFor(rev uint64) Position {
	k := bits.TrailingZeros64(rev) + 1
	if k < len(w.levels) {
		return w.levels[k]
	}
	return w.pos0
}

// advance records a new event at rev, pos.
func (w *writeState) advance(rev uint64, pos Position) {
	w.lastRev, w.lastPos = rev, pos
	if rev == 0 {
		w.pos0, w.levels = pos, w.levels[:0]
		return
	}
	t := bits.TrailingZeros64(rev)
	for len(w.levels) <= t {
		w.levels = append(w.levels, 0)
	}
	for k := 0; k <= t; k++ {
		w.levels[k] = pos
	}
}
