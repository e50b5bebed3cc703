package engine

import "fmt"

// ReadStream reads up to max events of stream (max 0: no limit) from
// revision from (or from the end), forwards or backwards. Only durable
// events are returned. Stream metadata applies: events before $tb, beyond
// $maxCount or older than $maxAge are hidden (metastreams keep only their
// last event). A missing or soft-deleted stream is ErrStreamNotFound, a
// tombstoned one ErrStreamDeleted; a stream whose events are all hidden
// reads as empty.
func (e *Engine) ReadStream(stream string, from uint64, fromEnd bool, dir Direction, max uint64) ([]RecordedEvent, error) {
	if err := validateStreamName(stream); err != nil {
		return nil, err
	}
	e.closeMu.RLock()
	defer e.closeMu.RUnlock()
	if e.readClosed {
		return nil, ErrClosed
	}
	sn := e.snapshotOf(stream)
	switch {
	case sn == nil:
		return nil, fmt.Errorf("engine: read %q: %w", stream, ErrStreamNotFound)
	case sn.tombstoned:
		return nil, fmt.Errorf("engine: read %q: %w", stream, ErrStreamDeleted)
	case sn.lastRev == NoRevision || sn.meta.softDeleted():
		return nil, fmt.Errorf("engine: read %q: %w", stream, ErrStreamNotFound)
	}
	if max == 0 {
		max = ^uint64(0)
	}
	v := visibility{lo: sn.meta.tb}
	if isMetastream(stream) {
		v.lo = maxU(v.lo, sn.lastRev)
	} else if mc := sn.meta.maxCount; mc > 0 && sn.lastRev+1 > mc {
		v.lo = maxU(v.lo, sn.lastRev+1-mc)
	}
	if sn.meta.maxAge > 0 {
		v.cutoff, v.aged = ticksAgo(e.opts.Now(), sn.meta.maxAge)
	}
	if dir == Backwards {
		start := from
		if fromEnd || start > sn.lastRev {
			start = sn.lastRev
		}
		return e.readStreamBackwards(sn, v, start, max)
	}
	if fromEnd {
		return nil, nil
	}
	return e.readStreamForwards(sn, v, from, max)
}

// visibility is what stream metadata hides: revisions below lo, and events
// created before cutoff when aged.
type visibility struct {
	lo     uint64
	cutoff int64
	aged   bool
}

func (v visibility) hides(r *record) bool { return v.aged && r.created < v.cutoff }

func (e *Engine) readStreamForwards(sn *snapshot, v visibility, start, max uint64) ([]RecordedEvent, error) {
	start = maxU(start, v.lo)
	var out []RecordedEvent
	for start <= sn.lastRev && uint64(len(out)) < max {
		need := max - uint64(len(out))
		hi := sn.lastRev
		if need-1 < sn.lastRev-start {
			hi = start + need - 1
		}
		batch, err := e.collect(sn, start, hi)
		if err != nil {
			return nil, err
		}
		for i := range batch {
			if !v.hides(&batch[i].r) {
				out = append(out, batch[i].r.toEvent(batch[i].pos))
			}
		}
		if !v.aged {
			break
		}
		start = hi + 1 // aged events were skipped: fill up from further on
	}
	return out, nil
}

func (e *Engine) readStreamBackwards(sn *snapshot, v visibility, start, max uint64) ([]RecordedEvent, error) {
	if start < v.lo {
		return nil, nil
	}
	rr := e.newRecReader()
	defer rr.release()
	r, pos, err := e.findRevisionWith(rr, sn.lastRev, sn.lastPos, start)
	if err != nil {
		return nil, err
	}
	var out []RecordedEvent
	for {
		if v.hides(&r) {
			break // events are in time order: everything before is older
		}
		out = append(out, r.toEvent(pos))
		if uint64(len(out)) >= max || r.rev == v.lo || r.prev == 0 {
			break
		}
		pos = r.prev
		if r, err = rr.read(pos); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type posRecord struct {
	r   record
	pos Position
}

// collect returns revisions lo..hi of the stream, ascending.
func (e *Engine) collect(sn *snapshot, lo, hi uint64) ([]posRecord, error) {
	rr := e.newRecReader()
	defer rr.release()
	r, pos, err := e.findRevisionWith(rr, sn.lastRev, sn.lastPos, hi)
	if err != nil {
		return nil, err
	}
	out := make([]posRecord, hi-lo+1)
	for i := len(out) - 1; ; i-- {
		out[i] = posRecord{r: r, pos: pos}
		if i == 0 {
			break
		}
		pos = r.prev
		if r, err = rr.read(pos); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
