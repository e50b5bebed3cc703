package httpapi

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/buergerbuero/buergerbuero/application/readside"
)

// watchState runs a state stream: it sends the current state, then the
// state again after every matching change of the read side. Changes that
// arrive in a burst are folded into one state. The event ID is a digest of
// the state, so a client resuming with Last-Event-ID gets nothing until the
// state differs from the one it has, and never misses the newest one.
// snapshot is called with the subscription already open, so no change
// between the snapshot and the subscription is lost.
func (a *API) watchState(ctx context.Context, lastID string, s Stream, f readside.Filter, typ string, snapshot func() (any, error)) error {
	if a.deps.Changes == nil {
		return errNotWired
	}
	changes, cancel := a.deps.Changes.Subscribe(f)
	defer cancel()
	last := lastID
	send := func() error {
		v, err := snapshot()
		if err != nil {
			return err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		id := stateID(b)
		if id == last {
			return nil
		}
		last = id
		return s.Send(Event{ID: id, Type: typ, Data: json.RawMessage(b)}) // encoded once
	}
	if err := send(); err != nil {
		return err
	}
	if last == lastID && lastID != "" {
		// Resumed with the state the client has: nothing to send, but the
		// client must get its 200 now, not at the first heartbeat.
		if ss, ok := s.(*sseStream); ok {
			if err := ss.write(": resumed\n\n"); err != nil {
				return err
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-changes:
			if !ok {
				return nil
			}
			drain(changes)
			if err := send(); err != nil {
				return err
			}
		}
	}
}

// drain takes what is buffered without blocking.
func drain(ch <-chan readside.Change) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// stateID is "s" and the 64-bit FNV-1a digest of the state's JSON.
func stateID(b []byte) string {
	h := fnv.New64a()
	_, _ = h.Write(b)
	return "s" + strconv.FormatUint(h.Sum64(), 36)
}
