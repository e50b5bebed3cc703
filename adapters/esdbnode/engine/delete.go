package engine

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
)

// Delete soft-deletes stream as EventStoreDB does: it checks exp like an
// append, then writes {"$tb": 9223372036854775807} as a $metadata event to
// $$stream (replacing the earlier metadata). Reads then report
// ErrStreamNotFound; the next append undeletes the stream and its revisions
// continue. Deleting a stream that has neither events nor metadata is a
// wrong expected version. It returns the position of the metadata event.
func (e *Engine) Delete(ctx context.Context, name string, exp Expected) (Position, error) {
	return e.writeDeletion(ctx, name, exp, func(st *stream) ([]txRecord, error) {
		ms := e.lookupW(metastreamPrefix + name)
		noEvents := st == nil || st.w.lastRev == NoRevision
		if noEvents && (ms == nil || ms.w.lastRev == NoRevision) {
			return nil, &WrongExpectedVersionError{Stream: name, Expected: exp, Current: NoRevision}
		}
		data := []byte(`{"` + metaKeyTruncateBefore + `":` + strconv.FormatUint(softDeletedTB, 10) + `}`)
		return []txRecord{e.metadataRecord(name, data)}, nil
	})
}

// Tombstone hard-deletes stream: it checks exp like an append, then writes
// a $streamDeleted event at revision 2^63-1 into the stream. Afterwards
// reads, appends and deletes of the stream fail with ErrStreamDeleted. The
// stream need not exist. It returns the position of the tombstone.
func (e *Engine) Tombstone(ctx context.Context, name string, exp Expected) (Position, error) {
	return e.writeDeletion(ctx, name, exp, func(*stream) ([]txRecord, error) {
		st := e.streamW(name)
		return []txRecord{{st: st, r: record{rev: tombstoneRevision, id: uuid.New(), stream: name,
			typ: eventTypeDeleted, ctype: contentTypeBinary}}}, nil
	})
}

func (e *Engine) writeDeletion(ctx context.Context, stream string, exp Expected, build func(*stream) ([]txRecord, error)) (Position, error) {
	if err := validateStreamName(stream); err != nil {
		return 0, err
	}
	ids := []uuid.UUID{uuid.New()} // a fresh ID never matches: no idempotent deletes
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		e.mu.Lock()
		if err := e.usableLocked(); err != nil {
			e.mu.Unlock()
			return 0, err
		}
		st := e.lookupW(stream)
		cr, err := e.check(st, stream, exp, ids)
		if err == nil && cr.wait != nil {
			e.mu.Unlock()
			if err := await(ctx, cr.wait); err != nil {
				return 0, err
			}
			continue
		}
		if err != nil {
			e.mu.Unlock()
			return 0, fmt.Errorf("engine: delete %q: %w", stream, err)
		}
		recs, err := build(st)
		if err != nil {
			e.mu.Unlock()
			return 0, err
		}
		positions, g, err := e.reserve(recs)
		e.mu.Unlock()
		if err != nil {
			return 0, err
		}
		e.wake()
		if err := await(ctx, g); err != nil {
			return 0, err
		}
		return positions[len(positions)-1], nil
	}
}
