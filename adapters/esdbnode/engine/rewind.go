package engine

import (
	"errors"
	"fmt"
)

// failCommit handles a group whose write or fsync failed (a full disk, an
// I/O error). The writer's view already counts the group, and the writes
// reserved since build on its revisions and positions, so both fail: their
// callers get an error wrapping ErrWriteFailed and nothing of theirs is
// acknowledged. Then the log is cut back to the last durable offset and the
// writer's view rebuilt from it, so the next write starts from a
// consistent state and succeeds once the disk has room again. Only when
// the cut itself fails does the engine stay unusable until reopened.
//
// The rebuild replays the log as Open does (its cost: one open), under mu:
// appends wait for it, reads go on.
func (e *Engine) failCommit(g *group, cause error) {
	err := fmt.Errorf("engine: %w: %w", ErrWriteFailed, cause)
	e.writeErr.Store(&err)
	e.mu.Lock()
	defer e.mu.Unlock()
	later := e.cur
	e.cur = newGroup()
	if rerr := e.rewind(); rerr != nil {
		if e.broken == nil {
			e.broken = errors.Join(err, rerr)
		}
		e.opts.Logger.Error("event store: undoing a failed write failed; reopen the store", "err", e.broken)
	} else {
		e.opts.Logger.Warn("event store: write failed, undone; the next write tries again",
			"err", cause, "tail_segment", e.tailSeg, "tail_offset", e.tailOff)
	}
	fail := func(g *group, err error) {
		g.err = err
		g.release()
		close(g.done)
	}
	fail(g, err)
	fail(later, fmt.Errorf("engine: a write before this one failed: %w", err))
}

// rewind cuts every segment back to its durable end and rebuilds the
// writer's view (stream states, recent IDs, the tail) from the durable log.
// Readers see only durable state throughout. Call with mu held, from the
// writer goroutine.
func (e *Engine) rewind() error {
	segs := e.segmentList()
	for _, s := range segs {
		fi, err := s.f.Stat()
		if err != nil {
			return fmt.Errorf("engine: stat segment %d: %w", s.index, err)
		}
		if fi.Size() == s.end.Load() {
			continue
		}
		if err := s.f.Truncate(s.end.Load()); err != nil {
			return fmt.Errorf("engine: cut failed write from segment %d: %w", s.index, err)
		}
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("engine: sync segment %d: %w", s.index, err)
		}
	}
	e.streams.Range(func(_, v any) bool {
		st := v.(*stream)
		st.w = writeState{lastRev: NoRevision}
		return true
	})
	e.recent = newRecentIDs(e.opts.RecentIDs)
	buf := make([]byte, 1<<20)
	for i, s := range segs {
		if _, err := e.replaySegment(s, i == len(segs)-1, buf); err != nil {
			return err
		}
	}
	last := segs[len(segs)-1]
	e.tailSeg, e.tailOff = last.index, last.end.Load()
	return nil
}
