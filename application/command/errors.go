package command

import (
	"errors"
	"fmt"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// ErrConcurrentChange is the domain-side face of an event-store conflict:
// someone else wrote to the stream between our read and our append.
var ErrConcurrentChange = domain.Conflict("concurrent_change", "the record was changed concurrently; reload and retry")

// ConflictError is returned when an append lost a race. It matches both
// eventlog.ErrConflict and domain.ErrConflict (and ErrConcurrentChange), so
// the HTTP layer maps it to 409 with the one domain-error mapper.
type ConflictError struct {
	Stream string
	Err    error // the store's error, matching eventlog.ErrConflict
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("concurrent change of %s: %v", e.Stream, e.Err)
}

// Unwrap exposes the store error and ErrConcurrentChange.
func (e *ConflictError) Unwrap() []error { return []error{e.Err, ErrConcurrentChange} }

// asConflict wraps store conflicts in a ConflictError and leaves other
// errors alone.
func asConflict(stream string, err error) error {
	if err != nil && errors.Is(err, eventlog.ErrConflict) {
		var ce *ConflictError
		if errors.As(err, &ce) {
			return err
		}
		return &ConflictError{Stream: stream, Err: err}
	}
	return err
}
