package engine

import (
	"context"
	"fmt"
)

// runWriter is the single writer goroutine: it takes the open group, writes
// its chunks, fsyncs once, publishes the new durable state and acknowledges
// every write in the group (group commit). Appends that arrive during the
// fsync gather in the next group.
func (e *Engine) runWriter() {
	defer close(e.wdone)
	for range e.kick {
		for {
			e.mu.Lock()
			g, closed := e.cur, e.closed
			if g.empty() {
				e.mu.Unlock()
				if closed {
					return
				}
				break
			}
			e.cur = newGroup()
			e.mu.Unlock()
			e.commit(g)
		}
	}
}

// commit makes g durable or fails it (see failCommit).
func (e *Engine) commit(g *group) {
	if err := e.writeAndSync(g); err != nil {
		e.failCommit(g, err)
		return
	}
	segs := e.segmentList()
	for _, c := range g.chunks {
		segs[c.seg].end.Store(c.off + int64(len(c.data)))
	}
	for _, p := range g.publish {
		p.st.durable.Store(p.snap)
	}
	e.head.Store(uint64(g.lastPos))
	g.release()
	if e.writeErr.Swap(nil) != nil {
		e.opts.Logger.Info("event store: writes work again")
	}
	next := make(chan struct{})
	close(*e.changed.Swap(&next))
	close(g.done)
}

func (e *Engine) writeAndSync(g *group) error {
	e.mu.Lock()
	broken := e.broken
	e.mu.Unlock()
	if broken != nil {
		return fmt.Errorf("engine: earlier write failed: %w", broken)
	}
	// Chunks come in log order. A segment is synced before the next one is
	// created, so only the last segment can ever hold a torn tail.
	var cur *segment
	for _, c := range g.chunks {
		if cur != nil && cur.index != c.seg {
			if err := datasync(cur.f); err != nil {
				return fmt.Errorf("engine: sync segment %d: %w", cur.index, err)
			}
		}
		s, err := e.segmentForWrite(c.seg)
		if err != nil {
			return err
		}
		if _, err := e.writeAt(s.f, c.data, c.off); err != nil {
			return fmt.Errorf("engine: write segment %d: %w", c.seg, err)
		}
		cur = s
	}
	if err := datasync(cur.f); err != nil {
		return fmt.Errorf("engine: sync segment %d: %w", cur.index, err)
	}
	return nil
}

// segmentForWrite returns segment idx, creating it when it is the next one.
// Only the writer goroutine creates segments.
func (e *Engine) segmentForWrite(idx int64) (*segment, error) {
	segs := e.segmentList()
	if idx < int64(len(segs)) {
		return segs[idx], nil
	}
	if idx != int64(len(segs)) {
		return nil, fmt.Errorf("engine: segment %d requested after %d", idx, len(segs)-1)
	}
	s, err := createSegment(e.dir, idx, e.segSize)
	if err != nil {
		return nil, err
	}
	next := make([]*segment, len(segs), len(segs)+1)
	copy(next, segs)
	next = append(next, s)
	e.segs.Store(&next)
	return s, nil
}

// await waits until g is durable or ctx ends. When ctx ends first the
// write may still become durable: its outcome is unknown to the caller.
func await(ctx context.Context, g *group) error {
	select {
	case <-g.done:
		return g.err
	case <-ctx.Done():
		return fmt.Errorf("engine: waiting for durability: %w", ctx.Err())
	}
}
