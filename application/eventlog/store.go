package eventlog

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Store is the application's port to the event store.
type Store interface {
	// Append writes events to a stream if the stream is at the expected
	// revision, all or none. A mismatch returns an error matching
	// ErrConflict. When expected carries a chain (Expected.ChainedFrom) the
	// store links the events before writing: the first one's Meta.PrevHash
	// is the given head, each later one's is the Hash of the one before it
	// as it will be stored (see Expected.ChainedFrom).
	Append(ctx context.Context, stream string, expected Expected, events ...NewEvent) (AppendResult, error)
	// Load returns every event of a stream in order. A stream without events
	// returns an error matching ErrStreamNotFound.
	Load(ctx context.Context, stream string) ([]RecordedEvent, error)
	// SubscribeAll delivers every event in $all after the checkpoint (all
	// events when from is nil) whose stream name starts with one of the
	// prefixes, first those already written, then live ones, until ctx ends
	// or handle returns an error. Checkpoints without a matching event are
	// reported through Subscription.OnCheckpoint so a consumer can store
	// progress.
	SubscribeAll(ctx context.Context, from *Position, sub Subscription) error
}

// Subscription configures Store.SubscribeAll.
type Subscription struct {
	StreamPrefixes []string // empty: every non-system stream
	Handle         func(ctx context.Context, e RecordedEvent) error
	OnCheckpoint   func(ctx context.Context, p Position) error // optional
	OnCaughtUp     func(ctx context.Context)                   // optional: the backlog has been delivered
}

// Position is a position in $all.
type Position struct {
	Commit  uint64
	Prepare uint64
}

// Expected is the stream state an append expects.
type Expected struct {
	kind     expectedKind
	revision uint64
	chained  bool
	head     string // Hash of the stream's last event ("" for no stream)
}

type expectedKind int

const (
	expectAny expectedKind = iota
	expectNoStream
	expectRevision
)

// ExpectAny appends whatever the stream's state.
func ExpectAny() Expected { return Expected{kind: expectAny} }

// ExpectNoStream appends only to a stream that does not exist yet.
func ExpectNoStream() Expected { return Expected{kind: expectNoStream} }

// ExpectRevision appends only when the stream's last event has revision r.
func ExpectRevision(r uint64) Expected { return Expected{kind: expectRevision, revision: r} }

// ExpectVersion maps an aggregate's version (the number of events it was
// loaded from) to the expected revision of its stream.
func ExpectVersion(version int64) Expected {
	if version <= 0 {
		return ExpectNoStream()
	}
	return ExpectRevision(uint64(version - 1))
}

// IsAny, IsNoStream and Revision let adapters read an Expected.
func (e Expected) IsAny() bool      { return e.kind == expectAny }
func (e Expected) IsNoStream() bool { return e.kind == expectNoStream }

// Revision returns the expected revision and whether one was set.
func (e Expected) Revision() (uint64, bool) { return e.revision, e.kind == expectRevision }

// ChainedFrom asks the store to write the events as a hash chain continuing
// from head, the Hash of the stream's last event ("" when the stream does
// not exist yet). Any PrevHash in the events' metadata is overwritten: the
// store sets event 0's to head, encodes it exactly as it will be stored,
// and sets event i+1's to Hash of event i over its ID, type, data and
// metadata bytes (what a later Load returns), so one append writes a whole
// decision's events linked, without reading back in between. Only a known
// head makes sense: a store refuses a chain with ExpectAny.
func (e Expected) ChainedFrom(head string) Expected {
	e.chained, e.head = true, head
	return e
}

// Chain returns the head to chain from and whether the append is chained.
func (e Expected) Chain() (head string, ok bool) { return e.head, e.chained }

// NewEvent is an event to append.
type NewEvent struct {
	ID    uuid.UUID // deterministic IDs make retries idempotent
	Event domain.Event
	Meta  Metadata
}

// Metadata travels with every event. It never holds personal data: the
// actor is a role and an opaque ID. The adapter chooses the wire format.
type Metadata struct {
	CorrelationID uuid.UUID
	CausationID   uuid.UUID
	Actor         domain.Actor
	OccurredAt    time.Time
	SchemaVersion int // set by the adapter from its registry on append
	// PrevHash is the Hash of the previous event of the same stream, for
	// streams kept as a hash chain (cases); empty for the first event.
	PrevHash string
}

// RecordedEvent is an event as read back from the store.
type RecordedEvent struct {
	Stream     string
	Revision   uint64
	Position   Position
	ID         uuid.UUID
	Type       string
	Event      domain.Event // decoded payload (upcast to the current schema)
	Meta       Metadata
	RecordedAt time.Time
	// Data and RawMetadata are the bytes as stored, for hashing and export.
	Data        []byte
	RawMetadata []byte
}

// AppendResult is where an append landed.
type AppendResult struct {
	NextRevision uint64 // revision of the last event written
	Position     Position
}
