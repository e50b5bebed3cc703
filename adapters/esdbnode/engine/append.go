package engine

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// Append writes events to the end of stream if exp holds, atomically, and
// returns once they are durable. See check for idempotent re-appends. An
// append of zero events writes nothing and returns the current revision
// (NoRevision when none) and the position of the stream's last event (0
// when none); only the expectation is checked. An append to a soft-deleted
// stream undeletes it: revisions continue, and a $metadata event with
// $tb = first new revision follows the events in the same atomic write.
func (e *Engine) Append(ctx context.Context, stream string, exp Expected, events []ProposedEvent) (AppendResult, error) {
	if err := e.validateAppend(stream, events); err != nil {
		return AppendResult{}, err
	}
	ids := make([]uuid.UUID, len(events))
	for i := range events {
		ids[i] = events[i].ID
	}
	for {
		if err := ctx.Err(); err != nil {
			return AppendResult{}, err
		}
		e.mu.Lock()
		if err := e.usableLocked(); err != nil {
			e.mu.Unlock()
			return AppendResult{}, err
		}
		st := e.lookupW(stream)
		cr, err := e.check(st, stream, exp, ids)
		if err == nil && cr.wait == nil && !cr.idempotent && len(events) == 0 && st != nil {
			cr.wait = st.busy() // report only durable state for a no-op
		}
		switch {
		case err != nil:
			e.mu.Unlock()
			return AppendResult{}, err
		case cr.wait != nil:
			e.mu.Unlock()
			if err := await(ctx, cr.wait); err != nil {
				return AppendResult{}, err
			}
			continue
		case cr.idempotent:
			e.mu.Unlock()
			return AppendResult{Revision: cr.last, Position: cr.lastPos}, nil
		case len(events) == 0 && !cr.softDeleted:
			e.mu.Unlock()
			res := AppendResult{Revision: cr.cur}
			if st != nil && cr.cur != NoRevision {
				res.Position = st.w.lastPos
			}
			return res, nil
		}
		res, g, err := e.reserveAppend(stream, cr, events)
		e.mu.Unlock()
		if err != nil {
			return AppendResult{}, err
		}
		e.wake()
		if err := await(ctx, g); err != nil {
			return AppendResult{}, err
		}
		return res, nil
	}
}

// reserveAppend builds and reserves the records of an append that passed
// its check. Call with mu held.
func (e *Engine) reserveAppend(name string, cr checkResult, events []ProposedEvent) (AppendResult, *group, error) {
	st := e.streamW(name)
	next := uint64(0)
	if cr.cur != NoRevision {
		next = cr.cur + 1
	}
	recs := make([]txRecord, 0, len(events)+2)
	for i, ev := range events {
		recs = append(recs, txRecord{st: st, r: record{
			rev: next + uint64(i), id: ev.ID, stream: name, typ: ev.Type, ctype: ev.ContentType,
			data: ev.Data, meta: ev.Metadata,
		}})
	}
	if cr.softDeleted {
		// Undelete: keep the other metadata, hide the events before this write.
		if raw, ok := withTruncateBefore(st.w.metaRaw, next); ok {
			recs = append(recs, e.metadataRecord(name, raw))
		}
	}
	if isMetastream(name) && len(events) > 0 {
		// Writing metadata of a soft-deleted stream undeletes that stream too.
		if target := e.lookupW(name[len(metastreamPrefix):]); target != nil && target.w.meta.softDeleted() {
			from := uint64(0)
			if target.w.lastRev != NoRevision {
				from = target.w.lastRev + 1
			}
			if raw, ok := withTruncateBefore(events[len(events)-1].Data, from); ok {
				r := record{rev: next + uint64(len(events)), id: uuid.New(), stream: name,
					typ: eventTypeMetadata, ctype: contentTypeJSON, data: raw}
				recs = append(recs, txRecord{st: st, r: r})
			}
		}
	}
	if len(recs) == 0 {
		return AppendResult{Revision: cr.cur}, nil, fmt.Errorf("engine: nothing to write to %q: %w", name, ErrInvalid)
	}
	positions, g, err := e.reserve(recs)
	if err != nil {
		return AppendResult{}, nil, err
	}
	if len(events) == 0 {
		return AppendResult{Revision: cr.cur, Position: positions[len(positions)-1]}, g, nil
	}
	last := len(events) - 1
	return AppendResult{Revision: next + uint64(last), Position: positions[last]}, g, nil
}

// metadataRecord builds the next $metadata event of the metastream of name.
func (e *Engine) metadataRecord(name string, data []byte) txRecord {
	ms := e.streamW(metastreamPrefix + name)
	rev := uint64(0)
	if ms.w.lastRev != NoRevision {
		rev = ms.w.lastRev + 1
	}
	return txRecord{st: ms, r: record{rev: rev, id: uuid.New(), stream: ms.name,
		typ: eventTypeMetadata, ctype: contentTypeJSON, data: data}}
}

func (e *Engine) validateAppend(stream string, events []ProposedEvent) error {
	if err := validateStreamName(stream); err != nil {
		return err
	}
	size := 0
	for i := range events {
		ev := &events[i]
		if ev.Type == "" || ev.ContentType == "" {
			return fmt.Errorf("engine: event %d of append to %q lacks type or content type: %w", i, stream, ErrInvalid)
		}
		if len(ev.Type) > maxNameLen || len(ev.ContentType) > maxNameLen {
			return fmt.Errorf("engine: event %d of append to %q: type too long: %w", i, stream, ErrInvalid)
		}
		size += len(ev.Data) + len(ev.Metadata)
	}
	if size > e.opts.MaxAppendSize {
		return fmt.Errorf("engine: append of %d bytes to %q: %w", size, stream, ErrTooLarge)
	}
	return nil
}

func validateStreamName(stream string) error {
	if stream == "" || len(stream) > maxNameLen {
		return fmt.Errorf("engine: stream name of length %d: %w", len(stream), ErrInvalid)
	}
	return nil
}

func (e *Engine) usableLocked() error {
	if e.closed {
		return ErrClosed
	}
	if e.broken != nil {
		return fmt.Errorf("engine: unusable after a failed write: %w", e.broken)
	}
	return nil
}
