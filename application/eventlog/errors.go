package eventlog

import (
	"errors"
	"fmt"
)

var (
	// ErrConflict: the stream was not at the expected revision.
	ErrConflict = errors.New("event store: wrong expected revision")
	// ErrStreamNotFound: the stream has no events.
	ErrStreamNotFound = errors.New("event store: stream not found")
	// ErrStreamDeleted: the stream was deleted permanently.
	ErrStreamDeleted = errors.New("event store: stream deleted")
	// ErrUnavailable: the store cannot serve the call right now (it cannot
	// write, disk full, not ready); nothing was written, a retry may succeed.
	ErrUnavailable = errors.New("event store: unavailable")
	// ErrUnknownEventType: a stored event type is not in the registry.
	ErrUnknownEventType = errors.New("event store: unknown event type")
	// ErrChainWithoutRevision: a chained append (Expected.ChainedFrom) with
	// ExpectAny, whose head is unknown.
	ErrChainWithoutRevision = errors.New("event store: a chained append needs an expected revision or no stream")
)

// OpError carries the operation and stream of a failed store call.
type OpError struct {
	Op     string // "append", "load", "subscribe"
	Stream string
	Err    error
}

func (e *OpError) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Stream, e.Err) }
func (e *OpError) Unwrap() error { return e.Err }
