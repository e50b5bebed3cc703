package eventstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// nonSystemStreams matches every stream whose name does not start with "$".
const nonSystemStreams = `^[^$]`

// SubscribeAll implements eventlog.Store. It returns when ctx ends (nil), when
// a handler fails (that error) or when the server drops the subscription.
func (s *Store) SubscribeAll(ctx context.Context, from *eventlog.Position, sub eventlog.Subscription) error {
	if sub.Handle == nil {
		return errors.New("eventstore: subscription needs a handler")
	}
	filter := &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Regex: nonSystemStreams}
	if len(sub.StreamPrefixes) > 0 {
		filter = &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: sub.StreamPrefixes}
	}
	opts := esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: filter}
	if from != nil {
		opts.From = esdb.Position{Commit: from.Commit, Prepare: from.Prepare}
	}
	subscription, err := s.client.SubscribeToAll(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return &eventlog.OpError{Op: "subscribe", Stream: "$all", Err: mapError(err)}
	}
	defer subscription.Close()
	for {
		ev := subscription.Recv()
		switch {
		case ev.EventAppeared != nil:
			re, err := s.decode(ev.EventAppeared.Event)
			if err != nil {
				return &eventlog.OpError{Op: "subscribe", Stream: "$all", Err: err}
			}
			if err := sub.Handle(ctx, re); err != nil {
				return err
			}
		case ev.CheckPointReached != nil:
			if sub.OnCheckpoint != nil {
				p := eventlog.Position{Commit: ev.CheckPointReached.Commit, Prepare: ev.CheckPointReached.Prepare}
				if err := sub.OnCheckpoint(ctx, p); err != nil {
					return err
				}
			}
		case ev.CaughtUp != nil:
			if sub.OnCaughtUp != nil {
				sub.OnCaughtUp(ctx)
			}
		case ev.SubscriptionDropped != nil:
			if ctx.Err() != nil {
				return nil
			}
			return &eventlog.OpError{Op: "subscribe", Stream: "$all", Err: fmt.Errorf("dropped: %w", mapError(ev.SubscriptionDropped.Error))}
		}
	}
}
