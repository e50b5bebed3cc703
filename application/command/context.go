package command

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Context is who issues a command and why: the actor (role and opaque ID,
// never a name), the correlation ID of the whole conversation (an HTTP
// request ID, or the correlation of the event a policy reacts to) and the
// causation ID (the event or request that caused this command).
type Context struct {
	Actor         domain.Actor
	CorrelationID uuid.UUID
	CausationID   uuid.UUID
}

// ErrNoActor is returned for commands without an actor.
var ErrNoActor = domain.Forbidden("no_actor", "the command has no actor")

// Validate refuses a context without an actor.
func (c Context) Validate() error {
	if c.Actor.IsZero() {
		return ErrNoActor
	}
	return nil
}

// Metadata turns the context into event metadata at instant at. A missing
// correlation ID is replaced by newID (a command that starts a conversation);
// a missing causation ID defaults to the correlation ID.
func (c Context) Metadata(at time.Time, newID func() uuid.UUID) eventlog.Metadata {
	corr := c.CorrelationID
	if corr == uuid.Nil {
		corr = newID()
	}
	cause := c.CausationID
	if cause == uuid.Nil {
		cause = corr
	}
	return eventlog.Metadata{CorrelationID: corr, CausationID: cause, Actor: c.Actor, OccurredAt: at.UTC()}
}

// CausedBy returns the context of a command issued by a policy named policy
// in reaction to e: the system actor named after the policy, e's correlation
// ID and e's ID as the causation.
func CausedBy(policy string, e eventlog.RecordedEvent) (Context, error) {
	actor, err := domain.NewActor(domain.RoleSystem, policy)
	if err != nil {
		return Context{}, err
	}
	corr := e.Meta.CorrelationID
	if corr == uuid.Nil {
		corr = e.ID
	}
	return Context{Actor: actor, CorrelationID: corr, CausationID: e.ID}, nil
}

// RequireRole refuses a context whose actor does not have one of roles.
func (c Context) RequireRole(roles ...domain.Role) error {
	if err := c.Validate(); err != nil {
		return err
	}
	for _, r := range roles {
		if c.Actor.Role() == r {
			return nil
		}
	}
	return errors.Join(ErrWrongRole, errors.New("actor "+c.Actor.Role().String()+" may not do this"))
}

// ErrWrongRole is returned when the actor's role may not issue a command.
var ErrWrongRole = domain.Forbidden("wrong_role", "the actor's role may not issue this command")
