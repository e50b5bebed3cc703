package engine

import (
	"fmt"
	"time"
)

// txRecord is one record of an atomic write being reserved.
type txRecord struct {
	st *stream
	r  record
}

// reserve assigns positions to recs, encodes them into the open group and
// applies them to the writer's view; the last record ends the transaction.
// All of recs land in one segment. Call with mu held; recs must not be empty.
func (e *Engine) reserve(recs []txRecord) ([]Position, *group, error) {
	total := int64(0)
	for i := range recs {
		total += int64(recs[i].r.frameSize())
	}
	if total > e.segSize-segmentHeaderSize {
		return nil, nil, fmt.Errorf("engine: write of %d bytes exceeds segment size: %w", total, ErrTooLarge)
	}
	if e.tailOff+total > e.segSize {
		e.tailSeg++
		e.tailOff = segmentHeaderSize
	}
	g := e.cur
	g.reserveBytes(e.tailSeg, e.tailOff, int(total))
	positions := make([]Position, len(recs))
	touched := make([]*stream, 0, 2)
	for i := range recs {
		st, r := recs[i].st, &recs[i].r
		pos := Position(e.tailSeg*e.segSize + e.tailOff)
		if st.w.lastRev != NoRevision || st.w.tombstoned {
			r.prev = st.w.lastPos
		}
		if r.rev != tombstoneRevision && r.rev > 0 {
			r.skip = st.w.skipFor(r.rev)
		}
		if i == len(recs)-1 {
			r.flags |= flagTxEnd
		}
		r.created = e.tick()
		g.appendFrame(e.tailSeg, e.tailOff, r)
		e.tailOff += int64(r.frameSize())
		touched = appendUnique(touched, st)
		if target := e.apply(st, r, pos); target != nil {
			touched = appendUnique(touched, target)
		}
		positions[i] = pos
	}
	for _, st := range touched {
		st.w.inflight = g
		g.publish = append(g.publish, publication{st: st, snap: st.snapshot()})
	}
	g.lastPos = positions[len(positions)-1]
	return positions, g, nil
}

// apply records r at pos in the writer's view of st. It returns the stream
// whose metadata changed when st is a metastream. Used by reserve and by
// recovery, so both build the same state.
func (e *Engine) apply(st *stream, r *record, pos Position) *stream {
	tombstone := r.rev == tombstoneRevision && r.typ == eventTypeDeleted
	if tombstone {
		st.w.tombstoned = true
		st.w.lastPos = pos
	} else {
		st.w.advance(r.rev, pos)
	}
	e.recent.put(r.id, recentEntry{st: st, rev: r.rev, pos: pos})
	if tombstone || !isMetastream(st.name) {
		return nil
	}
	target := e.streamW(st.name[len(metastreamPrefix):])
	target.w.meta = parseMetadata(r.data)
	target.w.metaRaw = append([]byte(nil), r.data...)
	return target
}

// tick returns the Created value for a new record: 100 ns ticks since the
// Unix epoch, never below the previous one.
func (e *Engine) tick() int64 {
	t := e.opts.Now().UTC().UnixNano() / 100
	if t < e.lastTick {
		t = e.lastTick
	}
	e.lastTick = t
	return t
}

// ticksAgo returns the Created value seconds before now; ok is false when
// that lies before the Unix epoch (nothing is that old).
func ticksAgo(now time.Time, seconds uint64) (int64, bool) {
	nowTicks := now.UTC().UnixNano() / 100
	const perSecond = int64(time.Second / 100)
	if seconds > uint64(nowTicks/perSecond) {
		return 0, false
	}
	return nowTicks - int64(seconds)*perSecond, true
}

func appendUnique(list []*stream, st *stream) []*stream {
	for _, s := range list {
		if s == st {
			return list
		}
	}
	return append(list, st)
}
