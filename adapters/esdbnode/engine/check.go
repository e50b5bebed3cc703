package engine

import (
	"fmt"

	"github.com/google/uuid"
)

// checkResult is the outcome of checking a write against a stream, after
// EventStoreDB's IndexWriter.CheckCommit.
type checkResult struct {
	idempotent  bool
	softDeleted bool     // the write goes to a soft-deleted stream and undeletes it
	cur         uint64   // current revision, NoRevision when none
	last        uint64   // idempotent: revision of the last matching event
	lastPos     Position // idempotent: its position
	wait        *group   // non-nil: retry once this group is durable
}

// check decides whether ids may be written to the stream st (nil when the
// stream is unknown) under exp. Call with mu held.
//
// Idempotency, as EventStoreDB does it:
//   - any / stream_exists: when the first ID is among the recent IDs and
//     was written to this stream, the write is a duplicate if every other ID
//     was too (success with the original revisions), else wrong expected
//     version; when the first ID is unknown the write goes ahead.
//   - exact / no_stream with an expectation behind the stream: the IDs must
//     equal those of the events right after the expected revision (success
//     with the original revisions); a mismatch on the first is wrong expected
//     version (or, for no_stream on a soft-deleted stream, a write that
//     undeletes), a mismatch later is wrong expected version.
//
// A check that needs records still in flight asks the caller to wait, so
// it only ever looks at durable records.
func (e *Engine) check(st *stream, name string, exp Expected, ids []uuid.UUID) (checkResult, error) {
	res := checkResult{cur: NoRevision}
	if isMetastream(name) {
		// The metastream of a tombstoned stream is deleted with it.
		if orig := e.lookupW(name[len(metastreamPrefix):]); orig != nil && orig.w.tombstoned {
			return res, fmt.Errorf("engine: write to %q: %w", name, ErrStreamDeleted)
		}
	}
	if st != nil {
		if st.w.tombstoned {
			return res, fmt.Errorf("engine: write to %q: %w", name, ErrStreamDeleted)
		}
		res.cur = st.w.lastRev
		res.softDeleted = st.w.meta.softDeleted()
	}
	cur := int64(-1)
	if res.cur != NoRevision {
		cur = int64(res.cur)
	}
	wev := func() (checkResult, error) {
		return res, &WrongExpectedVersionError{Stream: name, Expected: exp, Current: res.cur}
	}
	switch exp.Kind {
	case ExpectAny, ExpectStreamExists:
		if exp.Kind == ExpectStreamExists {
			if res.softDeleted {
				return res, fmt.Errorf("engine: write to soft-deleted %q expecting it to exist: %w", name, ErrStreamDeleted)
			}
			if cur < 0 {
				if ms := e.lookupW(metastreamPrefix + name); ms == nil || ms.w.lastRev == NoRevision {
					return wev()
				}
			}
		}
		return e.checkRecentIDs(st, res, ids, wev)
	case ExpectNoStream, ExpectExact:
	default:
		return res, fmt.Errorf("engine: expected kind %d: %w", exp.Kind, ErrInvalid)
	}
	expected := int64(-1)
	if exp.Kind == ExpectExact {
		if exp.Revision > uint64(1<<63-1) {
			return wev()
		}
		expected = int64(exp.Revision)
	}
	switch {
	case expected > cur:
		return wev()
	case expected == cur:
		return res, nil
	}
	if g := st.busy(); g != nil {
		return checkResult{wait: g}, nil
	}
	if len(ids) == 0 {
		return wev()
	}
	for i, id := range ids {
		rev := uint64(expected + 1 + int64(i))
		pos, same, err := e.eventAt(st, rev, id)
		if err != nil {
			return res, err
		}
		if same {
			res.last, res.lastPos = rev, pos
			continue
		}
		if i == 0 && exp.Kind == ExpectNoStream && res.softDeleted {
			return res, nil
		}
		return wev()
	}
	res.idempotent = true
	return res, nil
}

func (e *Engine) checkRecentIDs(st *stream, res checkResult, ids []uuid.UUID, wev func() (checkResult, error)) (checkResult, error) {
	if len(ids) == 0 {
		return res, nil
	}
	first, ok := e.recent.get(ids[0])
	if !ok || st == nil || first.st != st {
		return res, nil
	}
	if g := st.busy(); g != nil {
		return checkResult{wait: g}, nil
	}
	res.last, res.lastPos = first.rev, first.pos
	for _, id := range ids[1:] {
		ent, ok := e.recent.get(id)
		if !ok || ent.st != st {
			return wev()
		}
		res.last, res.lastPos = ent.rev, ent.pos
	}
	res.idempotent = true
	res.softDeleted = false
	return res, nil
}

// eventAt reports whether the event at rev of st has the given id, and its
// position. st must not be busy. Call with mu held.
func (e *Engine) eventAt(st *stream, rev uint64, id uuid.UUID) (Position, bool, error) {
	if ent, ok := e.recent.get(id); ok && ent.st == st && ent.rev == rev {
		return ent.pos, true, nil
	}
	if rev > st.w.lastRev || st.w.lastRev == NoRevision {
		return 0, false, nil
	}
	r, pos, err := e.findRevision(st.w.lastRev, st.w.lastPos, rev)
	if err != nil {
		return 0, false, err
	}
	return pos, r.id == id, nil
}
