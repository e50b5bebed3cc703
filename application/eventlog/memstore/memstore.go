// Package memstore is an in-memory eventlog.Store for unit and component
// tests: expected revisions, idempotent re-appends of the same event IDs,
// stored bytes for hashing, live $all subscriptions, and failure injection.
// It passes the same acceptance suite as the event store adapter
// (eventlogtest). It keeps nothing on disk and must never be wired into a
// running system; integration tests use the real embedded node through
// adapters/eventstore.
package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// Store is a goroutine-safe in-memory event store.
type Store struct {
	mu      sync.Mutex
	streams map[string][]eventlog.RecordedEvent
	all     []eventlog.RecordedEvent
	// BeforeAppend, when set, runs before every append (under no lock) and
	// may return an error to inject a failure.
	BeforeAppend func(stream string) error
	// Signer, when set, signs chained appends as the real adapter does.
	Signer  eventlog.Signer
	appends int
	grew    chan struct{} // closed and replaced whenever $all grows
}

// New returns an empty store.
func New() *Store {
	return &Store{streams: map[string][]eventlog.RecordedEvent{}, grew: make(chan struct{})}
}

var _ eventlog.Store = (*Store)(nil)

// Append implements eventlog.Store.
func (s *Store) Append(_ context.Context, stream string, expected eventlog.Expected, events ...eventlog.NewEvent) (eventlog.AppendResult, error) {
	if s.BeforeAppend != nil {
		if err := s.BeforeAppend(stream); err != nil {
			return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: err}
		}
	}
	prev, chained := expected.Chain()
	if chained && expected.IsAny() {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: eventlog.ErrChainWithoutRevision}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.streams[stream]
	start := len(cur)
	if r, ok := expected.Revision(); ok {
		start = int(r) + 1
	} else if expected.IsNoStream() {
		start = 0
	}
	if s.idempotent(cur, start, events) {
		last := cur[start+len(events)-1]
		return eventlog.AppendResult{NextRevision: last.Revision, Position: last.Position}, nil
	}
	if start != len(cur) && !expected.IsAny() {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: eventlog.ErrConflict}
	}
	var res eventlog.AppendResult
	for _, ne := range events {
		data, err := json.Marshal(ne.Event)
		if err != nil {
			return eventlog.AppendResult{}, err
		}
		meta := ne.Meta
		meta.SchemaVersion = 1
		if chained {
			meta.PrevHash = prev // linked as the real adapter links them
		}
		raw, err := json.Marshal(meta)
		if err != nil {
			return eventlog.AppendResult{}, err
		}
		re := eventlog.RecordedEvent{
			Stream: stream, Revision: uint64(len(cur)),
			ID: ne.ID, Type: ne.Event.EventType(), Event: ne.Event, Meta: meta, RecordedAt: time.Now().UTC(),
			Data: data, RawMetadata: raw,
		}
		if chained {
			if re.RawMetadata, prev, err = eventlog.Seal(stream, re, s.Signer); err != nil {
				return eventlog.AppendResult{}, err
			}
		}
		cur = append(cur, re)
	}
	// All or nothing: nothing is stored until every event encoded.
	for i := start; i < len(cur); i++ {
		pos := uint64(len(s.all) + 1)
		cur[i].Position = eventlog.Position{Commit: pos, Prepare: pos}
		s.all = append(s.all, cur[i])
		res = eventlog.AppendResult{NextRevision: cur[i].Revision, Position: cur[i].Position}
	}
	s.streams[stream] = cur
	s.appends++
	close(s.grew)
	s.grew = make(chan struct{})
	return res, nil
}

// idempotent reports whether events were already written at start.
func (s *Store) idempotent(cur []eventlog.RecordedEvent, start int, events []eventlog.NewEvent) bool {
	if len(events) == 0 || start+len(events) > len(cur) || start < 0 {
		return false
	}
	for i, ne := range events {
		if cur[start+i].ID != ne.ID {
			return false
		}
	}
	return true
}

// Load implements eventlog.Store.
func (s *Store) Load(_ context.Context, stream string) ([]eventlog.RecordedEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.streams[stream]
	if len(cur) == 0 {
		return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: eventlog.ErrStreamNotFound}
	}
	out := make([]eventlog.RecordedEvent, len(cur))
	copy(out, cur)
	return out, nil
}

// SubscribeAll delivers the events after from, then live ones as they are
// appended, until ctx ends (it then returns nil) or handle fails.
func (s *Store) SubscribeAll(ctx context.Context, from *eventlog.Position, sub eventlog.Subscription) error {
	next := 0 // index in s.all of the next event to look at
	if from != nil {
		next = int(from.Commit) // positions are 1-based indexes into s.all
	}
	caughtUp := false
	for {
		s.mu.Lock()
		batch := append([]eventlog.RecordedEvent(nil), s.all[min(next, len(s.all)):]...)
		grew := s.grew
		s.mu.Unlock()
		for _, e := range batch {
			next++
			if !matches(e.Stream, sub.StreamPrefixes) {
				continue
			}
			if err := sub.Handle(ctx, e); err != nil {
				return err
			}
		}
		if !caughtUp {
			caughtUp = true
			if sub.OnCaughtUp != nil {
				sub.OnCaughtUp(ctx)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-grew:
		}
	}
}

func matches(stream string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(stream, p) {
			return true
		}
	}
	return false
}

// Events returns the events of a stream (nil if none).
func (s *Store) Events(stream string) []eventlog.RecordedEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]eventlog.RecordedEvent(nil), s.streams[stream]...)
}

// Types returns the event types of a stream in order.
func (s *Store) Types(stream string) []string {
	var out []string
	for _, e := range s.Events(stream) {
		out = append(out, e.Type)
	}
	return out
}

// Appends counts the successful appends that wrote something.
func (s *Store) Appends() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appends
}

// Streams lists stream names with the given prefix.
func (s *Store) Streams(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for name := range s.streams {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out
}

// String describes the store for test failures.
func (s *Store) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("memstore{%d streams, %d events}", len(s.streams), len(s.all))
}
