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
