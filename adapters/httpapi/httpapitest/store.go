package httpapitest

import (
	"context"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// memStore is a minimal in-memory eventlog.Store: expected revisions and
// loads; SubscribeAll delivers what is stored and returns.
type memStore struct {
	mu      sync.Mutex
	streams map[string][]eventlog.RecordedEvent
	all     []eventlog.RecordedEvent
}

func newMemStore() *memStore { return &memStore{streams: map[string][]eventlog.RecordedEvent{}} }

func (s *memStore) Append(_ context.Context, stream string, exp eventlog.Expected, events ...eventlog.NewEvent) (eventlog.AppendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.streams[stream]
	if r, ok := exp.Revision(); ok && (len(cur) == 0 || uint64(len(cur)-1) != r) || exp.IsNoStream() && len(cur) > 0 {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: eventlog.ErrConflict}
	}
	prev, chained := exp.Chain()
	if chained && exp.IsAny() {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: eventlog.ErrChainWithoutRevision}
	}
	var res eventlog.AppendResult
	for _, ne := range events {
		e := eventlog.RecordedEvent{
			Stream: stream, Revision: uint64(len(cur)), Position: eventlog.Position{Commit: uint64(len(s.all) + 1)},
			ID: ne.ID, Type: ne.Event.EventType(), Event: ne.Event, Meta: ne.Meta, RecordedAt: time.Now(),
		}
		if chained { // no stored bytes here: the hash covers ID and type
			e.Meta.PrevHash = prev
			prev = eventlog.Hash(e)
		}
		cur = append(cur, e)
		s.all = append(s.all, e)
		res = eventlog.AppendResult{NextRevision: e.Revision, Position: e.Position}
	}
	s.streams[stream] = cur
	return res, nil
}

func (s *memStore) Load(_ context.Context, stream string) ([]eventlog.RecordedEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.streams[stream]
	if len(cur) == 0 {
		return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: eventlog.ErrStreamNotFound}
	}
	return append([]eventlog.RecordedEvent(nil), cur...), nil
}

func (s *memStore) SubscribeAll(ctx context.Context, _ *eventlog.Position, sub eventlog.Subscription) error {
	s.mu.Lock()
	all := append([]eventlog.RecordedEvent(nil), s.all...)
	s.mu.Unlock()
	for _, e := range all {
		if err := sub.Handle(ctx, e); err != nil {
			return err
		}
	}
	if sub.OnCaughtUp != nil {
		sub.OnCaughtUp(ctx)
	}
	return nil
}
