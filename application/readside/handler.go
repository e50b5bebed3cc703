package readside

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// Handler consumes recorded events from $all in order. Delivery is at least
// once: a handler must skip events at or before the last position it
// applied (see Tracker), so a re-delivery changes nothing. Name is stable
// across releases (it names the Watermill handler and its logs), e.g.
// "QueueProjection" or "TimersOnVisitKnocked".
type Handler interface {
	Name() string
	Handle(ctx context.Context, e eventlog.RecordedEvent) error
}

// Before reports whether position a comes before b in $all.
func Before(a, b eventlog.Position) bool {
	if a.Commit != b.Commit {
		return a.Commit < b.Commit
	}
	return a.Prepare < b.Prepare
}

// Tracker remembers the last position a handler applied. The zero value has
// applied nothing. It is not safe for concurrent use: keep it under the
// lock that guards the handler's state.
type Tracker struct {
	last    eventlog.Position
	applied bool
}

// Seen reports whether p is at or before the last applied position: the
// event was applied already and must be skipped.
func (t *Tracker) Seen(p eventlog.Position) bool {
	return t.applied && !Before(t.last, p)
}

// Mark records p as applied.
func (t *Tracker) Mark(p eventlog.Position) {
	t.last, t.applied = p, true
}

// Last returns the last applied position; ok is false before the first.
func (t *Tracker) Last() (p eventlog.Position, ok bool) { return t.last, t.applied }

type replayKey struct{}

// WithReplay marks ctx as delivering an event of the backlog: one that was
// already in $all when the subscription started (a rebuild on start), as
// opposed to a live one. The event bus sets it; tests may too.
func WithReplay(ctx context.Context) context.Context {
	return context.WithValue(ctx, replayKey{}, true)
}

// Replaying reports whether the event being handled comes from the backlog.
// Projections ignore it; a policy that issues commands may skip backlog
// events whose effects are recorded already, instead of re-deciding the
// whole history on every start.
func Replaying(ctx context.Context) bool {
	v, _ := ctx.Value(replayKey{}).(bool)
	return v
}
