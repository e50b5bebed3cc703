package eventstore

import (
	"errors"
	"fmt"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// mapError turns the client's errors into eventlog's typed errors, keeping
// the original in the chain.
func mapError(err error) error {
	var esErr *esdb.Error
	if !errors.As(err, &esErr) {
		return err
	}
	switch esErr.Code() {
	case esdb.ErrorCodeWrongExpectedVersion:
		return fmt.Errorf("%w: %w", eventlog.ErrConflict, err)
	case esdb.ErrorCodeResourceNotFound:
		return fmt.Errorf("%w: %w", eventlog.ErrStreamNotFound, err)
	case esdb.ErrorCodeStreamDeleted:
		return fmt.Errorf("%w: %w", eventlog.ErrStreamDeleted, err)
	case esdb.ErrorUnavailable:
		return fmt.Errorf("%w: %w", eventlog.ErrUnavailable, err)
	}
	return err
}
