// Package engine is the durable storage engine of the embedded EventStoreDB
// node: an append-only log of events with a global position, per-stream
// revisions, EventStoreDB's stream semantics (expected revisions, idempotent
// re-appends, soft delete, tombstones, stream metadata) and group-committed
// fsync.
//
// It knows nothing of gRPC or protobuf; the server in the parent package maps
// the wire protocol onto this API. It must never acknowledge an append before
// the bytes are on disk, and must never block writers on slow readers.
package engine

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Position is a global log position. Commit and prepare positions are equal
// in this engine. Valid positions are > 0 and strictly increasing.
type Position uint64

// ExpectedKind says what an append, delete or tombstone expects of a stream.
type ExpectedKind int

const (
	ExpectAny          ExpectedKind = iota // no check
	ExpectNoStream                         // stream must not exist (or be soft-deleted with nothing after)
	ExpectStreamExists                     // stream must exist
	ExpectExact                            // last revision must equal Revision
)

// Expected is the expected state of a stream for a write.
type Expected struct {
	Kind     ExpectedKind
	Revision uint64 // only for ExpectExact
}

// ProposedEvent is an event a client wants to append.
type ProposedEvent struct {
	ID          uuid.UUID
	Type        string // required, non-empty
	ContentType string // required: "application/json" or "application/octet-stream"
	Data        []byte
	Metadata    []byte // custom (user) metadata, opaque
}

// RecordedEvent is an event as stored.
type RecordedEvent struct {
	Stream      string
	Revision    uint64
	Position    Position
	ID          uuid.UUID
	Type        string
	ContentType string
	Created     int64 // 100 ns ticks since the Unix epoch, set by the engine
	Data        []byte
	Metadata    []byte
}

// AppendResult is the outcome of a successful append.
type AppendResult struct {
	Revision uint64   // revision of the last event of the append (or the original one for an idempotent re-append)
	Position Position // position of the last event of the append
}

// Direction of a read.
type Direction int

const (
	Forwards Direction = iota
	Backwards
)

// NoRevision marks "the stream has no events" in CurrentRevision fields.
const NoRevision = ^uint64(0)

// WrongExpectedVersionError is returned when the expectation does not hold.
type WrongExpectedVersionError struct {
	Stream   string
	Expected Expected
	Current  uint64 // NoRevision when the stream does not exist
}

func (e *WrongExpectedVersionError) Error() string {
	return fmt.Sprintf("wrong expected version on %q: current %d", e.Stream, int64(e.Current))
}

var (
	// ErrStreamNotFound: the stream has no events, or is soft-deleted.
	ErrStreamNotFound = errors.New("stream not found")
	// ErrStreamDeleted: the stream was tombstoned (hard-deleted).
	ErrStreamDeleted = errors.New("stream deleted")
	// ErrTooLarge: an append exceeds the maximum append size.
	ErrTooLarge = errors.New("maximum append size exceeded")
	// ErrInvalid: the request is malformed (missing type or content type, bad stream name).
	ErrInvalid = errors.New("invalid request")
	// ErrClosed: the engine is closed.
	ErrClosed = errors.New("engine closed")
	// ErrWriteFailed: writing or syncing the log failed (disk full, I/O
	// error). Nothing of the failed write is durable or acknowledged; the
	// engine undid its bytes, and a later write may succeed.
	ErrWriteFailed = errors.New("write to the log failed")
)

// The engine's operations (implemented in this package):
//
//	func Open(dir string, opts Options) (*Engine, error)
//	func (e *Engine) Close() error
//	func (e *Engine) Append(ctx context.Context, stream string, exp Expected, events []ProposedEvent) (AppendResult, error)
//	func (e *Engine) Delete(ctx context.Context, stream string, exp Expected) (Position, error)    // soft delete
//	func (e *Engine) Tombstone(ctx context.Context, stream string, exp Expected) (Position, error) // hard delete
//	func (e *Engine) ReadStream(stream string, from uint64, fromEnd bool, dir Direction, max uint64) ([]RecordedEvent, error)
//	func (e *Engine) ReadAll(from Position, fromEnd bool, dir Direction, max uint64) ([]RecordedEvent, error)
//	func (e *Engine) Head() Position                // last durable position (0 when empty)
//	func (e *Engine) StreamRevision(stream string) (uint64, error)
//	func (e *Engine) Changed() <-chan struct{}      // closed when a new commit becomes durable; call again for the next
//	func (e *Engine) Healthy() error                // nil unless the last commit failed (ErrWriteFailed)
//
// Semantics the server can rely on (each as EventStoreDB 24.x unless noted):
//   - Errors: *WrongExpectedVersionError (Current = NoRevision when the stream
//     has no events; for a soft-deleted stream it is the last revision before
//     the delete), ErrStreamDeleted (tombstoned stream, its $$metastream, or
//     stream_exists on a soft-deleted stream, as ESDB's CommitDecision.Deleted),
//     ErrStreamNotFound, ErrTooLarge (data + metadata > 1 MiB), ErrInvalid,
//     ErrClosed, ErrWriteFailed (disk full or I/O error: retry later),
//     *CorruptError (from Open or a read of damaged bytes). All are
//     wrapped: use errors.Is / errors.As.
//   - Append with zero events writes nothing and returns the current revision
//     (NoRevision when none) and the position of the stream's last event (0
//     when none) if the expectation holds; to a soft-deleted stream it
//     undeletes (writes the $tb metadata) and returns that event's position.
//   - A duplicate append (same event IDs, see check.go) returns the original
//     revision and position and writes nothing.
//   - max = 0 in ReadStream / ReadAll means no limit. ReadStream forwards from
//     the end is empty; backwards from a revision past the end starts at the
//     last event. ReadAll forwards includes the event at `from`; backwards
//     returns events strictly before `from`.
//   - Tombstone events are read back from $all with Type "$streamDeleted",
//     Revision 1<<63-1. Soft delete writes {"$tb":9223372036854775807} to
//     $$stream as a "$metadata" event.
//   - A context that ends while an append waits for fsync returns ctx.Err();
//     the append may still become durable.
