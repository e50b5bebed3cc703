package memstore

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// EndOfAll returns the position of the last event in $all (ok is false when
// it is empty), as the event store adapter does.
func (s *Store) EndOfAll(context.Context) (eventlog.Position, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.all) == 0 {
		return eventlog.Position{}, false, nil
	}
	return s.all[len(s.all)-1].Position, true, nil
}
