package appointments

import (
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// TokenPurpose is the purpose string of appointment capability tokens.
const TokenPurpose = "appointment"

// LedgerRetries bounds how often a reservation reloads the ledger after
// losing a race. Every retry decides on fresh state; once the slot is full
// the answer is ErrSlotFull, not a conflict.
const LedgerRetries = 20

// Deps are what the appointment handlers need.
type Deps struct {
	Env    command.Env
	Tokens command.Tokens
	// Window is the check-in window; zero means the domain default.
	Window appointment.CheckInWindow
}

type deps struct {
	Deps
	offices *command.Repository[*office.Office]
	appts   *command.Repository[*appointment.Appointment]
}

func newDeps(d Deps) (deps, error) {
	if err := d.Env.Validate(); err != nil {
		return deps{}, err
	}
	if d.Tokens == nil {
		return deps{}, errors.New("appointments: tokens are required")
	}
	if d.Window.IsZero() {
		d.Window = appointment.DefaultCheckInWindow()
	}
	o, err := command.NewRepository(d.Env.Store, office.FromEvents, d.Env.IDs, command.RepositoryOptions{})
	if err != nil {
		return deps{}, err
	}
	a, err := command.NewRepository(d.Env.Store, appointment.FromEvents, d.Env.IDs, command.RepositoryOptions{Retries: 2})
	if err != nil {
		return deps{}, err
	}
	return deps{Deps: d, offices: o, appts: a}, nil
}

func (d deps) ledger(o domain.OfficeID, day hours.Date) (*command.Repository[*appointment.SlotLedger], string, error) {
	r, err := command.NewRepository(d.Env.Store, func(h []domain.Event) (*appointment.SlotLedger, error) {
		return appointment.LedgerFromEvents(o, day, h)
	}, d.Env.IDs, command.RepositoryOptions{Retries: LedgerRetries})
	return r, appointment.LedgerStreamName(o, day), err
}

// token returns the capability token of an appointment.
func (d deps) token(id domain.AppointmentID) string { return d.Tokens.Token(TokenPurpose, id.UUID()) }

// authorize lets clerks and the system act on any appointment and citizens
// only with the appointment's token.
func (d deps) authorize(c command.Context, id domain.AppointmentID, token string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Actor.Role() == domain.RoleCitizen {
		return command.CheckToken(token, d.token(id))
	}
	return c.RequireRole(domain.RoleClerk, domain.RoleSystem)
}

// IDForRequest derives the appointment ID of a booking request.
func IDForRequest(office domain.OfficeID, request domain.RequestID) domain.AppointmentID {
	return domain.IDFrom[domain.AppointmentID](command.DeriveID("appointment", office.String(), request.String()))
}
