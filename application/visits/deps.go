package visits

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// TokenPurpose is the purpose string of visit capability tokens.
const TokenPurpose = "visit"

// Retries is how often a visit command decides again after another write
// to the visit (a presence heartbeat racing an admission). The decision is
// re-made on fresh state: the second of two clerks gets
// visit.ErrAlreadyAdmitted, a conflict.
const Retries = 2

// ClerkRetries bounds how often taking or freeing a clerk on the office
// stream decides again after a colleague's write: every round one racer
// wins, so it is at most one retry per colleague on duty at the office.
const ClerkRetries = 30

// QueueReader is the query port admission uses to pick the next visit: the
// read side's queue of an office in queue order (due appointments first,
// then walk-ins by knock time).
type QueueReader interface {
	Waiting(ctx context.Context, office domain.OfficeID, limit int) ([]domain.VisitID, error)
}

// Deps are what the visit handlers need. Queue is needed only by
// AdmitNext; Cases (with its ReferenceAllocator) only by admission.
type Deps struct {
	Env    command.Env
	Tokens command.Tokens
	Cases  cases.Deps
	Queue  QueueReader
	// GracePeriod before a visit without presence may expire; zero means
	// visit.DefaultGracePeriod.
	GracePeriod time.Duration
	// Pages records the waiting pages seen since start (Heartbeat) for
	// LosePresenceAtStart; nil: none are remembered.
	Pages *Pages
}

type deps struct {
	Deps
	visits  *command.Repository[*visit.Visit]
	offices *command.Repository[*office.Office]
	appts   *command.Repository[*appointment.Appointment]
}

func newDeps(d Deps) (deps, error) {
	if err := d.Env.Validate(); err != nil {
		return deps{}, err
	}
	if d.Tokens == nil {
		return deps{}, errors.New("visits: tokens are required")
	}
	if d.GracePeriod == 0 {
		d.GracePeriod = visit.DefaultGracePeriod
	}
	v, err := command.NewRepository(d.Env.Store, visit.FromEvents, d.Env.IDs, command.RepositoryOptions{Retries: Retries})
	if err != nil {
		return deps{}, err
	}
	o, err := command.NewRepository(d.Env.Store, office.FromEvents, d.Env.IDs, command.RepositoryOptions{Retries: ClerkRetries})
	if err != nil {
		return deps{}, err
	}
	a, err := command.NewRepository(d.Env.Store, appointment.FromEvents, d.Env.IDs, command.RepositoryOptions{})
	if err != nil {
		return deps{}, err
	}
	return deps{Deps: d, visits: v, offices: o, appts: a}, nil
}

// Token returns the capability token of a visit.
func Token(t command.Tokens, id domain.VisitID) string { return t.Token(TokenPurpose, id.UUID()) }

// CitizenActor is the actor of a citizen acting on their visit: the visit ID
// is the capability subject, never a name.
func CitizenActor(id domain.VisitID) domain.Actor {
	a, _ := domain.NewActor(domain.RoleCitizen, "visit-"+id.String())
	return a
}

// asCitizen checks the token and returns the context with the citizen actor.
func (d deps) asCitizen(c command.Context, id domain.VisitID, token string) (command.Context, error) {
	if err := domain.RequireID("visit id", id); err != nil {
		return c, err
	}
	if err := command.CheckToken(token, Token(d.Tokens, id)); err != nil {
		return c, err
	}
	c.Actor = CitizenActor(id)
	return c, nil
}

// update runs one decision on a visit.
func (d deps) update(ctx context.Context, c command.Context, id domain.VisitID, decide func(*visit.Visit, time.Time) error) (*visit.Visit, command.Saved, error) {
	if err := domain.RequireID("visit id", id); err != nil {
		return nil, command.Saved{}, err
	}
	now := d.Env.Clock.Now()
	return d.visits.Update(ctx, visit.StreamName(id), command.Write{Meta: d.Env.Meta(c)}, func(v *visit.Visit) error {
		return decide(v, now)
	})
}
