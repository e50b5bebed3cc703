package eventstore

import (
	"context"
	"errors"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// EndOfAll returns the position of the last event in $all (ok is false when
// it is empty), so a consumer can check a stored checkpoint against the
// store before following $all (eventbus.EndOfAll).
func (s *Store) EndOfAll(ctx context.Context) (eventlog.Position, bool, error) {
	rs, err := s.client.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}, ResolveLinkTos: false}, 1)
	if err != nil {
		return eventlog.Position{}, false, &eventlog.OpError{Op: "read end", Stream: "$all", Err: mapError(err)}
	}
	defer rs.Close()
	re, err := rs.Recv()
	if errors.Is(err, io.EOF) {
		return eventlog.Position{}, false, nil
	}
	if err != nil {
		return eventlog.Position{}, false, &eventlog.OpError{Op: "read end", Stream: "$all", Err: mapError(err)}
	}
	ev := re.OriginalEvent()
	return eventlog.Position{Commit: ev.Position.Commit, Prepare: ev.Position.Prepare}, true, nil
}
