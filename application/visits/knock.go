package visits

import (
	"context"
	"crypto/subtle"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Knock is a citizen asking to enter an office (Anklopfen). RequestID is the
// client's idempotency key. AppointmentID and AppointmentCode are given
// together when the citizen has a booking; the code must match.
type Knock struct {
	RequestID       domain.RequestID
	OfficeID        domain.OfficeID
	ServiceID       domain.ServiceID
	DisplayName     string
	Language        visit.Language
	Needs           []visit.Need
	AppointmentID   domain.AppointmentID
	AppointmentCode string
}

// KnockResult is the visit and the token that lets the citizen follow it.
type KnockResult struct {
	VisitID  domain.VisitID
	Token    string
	Repeated bool // the request had been handled before
}

// Errors of knocking.
var (
	ErrRequestReuse       = domain.Conflict("knock_request_reused", "the request ID was used for another knock")
	ErrAppointmentInvalid = domain.Forbidden("appointment_code_invalid", "the appointment code does not match a booked appointment here")
)

// KnockHandler handles Knock.
type KnockHandler struct{ d deps }

// NewKnockHandler refuses missing dependencies.
func NewKnockHandler(d Deps) (KnockHandler, error) {
	dd, err := newDeps(d)
	return KnockHandler{d: dd}, err
}

// Handle records the knock, or returns the visit a repeated request made.
func (h KnockHandler) Handle(ctx context.Context, c command.Context, cmd Knock) (KnockResult, error) {
	if err := c.Validate(); err != nil {
		return KnockResult{}, err
	}
	if err := errors.Join(domain.RequireID("request id", cmd.RequestID), domain.RequireID("office id", cmd.OfficeID)); err != nil {
		return KnockResult{}, err
	}
	id := visit.IDForRequest(cmd.OfficeID, cmd.RequestID)
	kc := visit.KnockCommand{
		VisitID: id, RequestID: cmd.RequestID, ServiceID: cmd.ServiceID, DisplayName: cmd.DisplayName,
		Language: cmd.Language, Needs: cmd.Needs,
	}
	if r, ok, err := h.repeated(ctx, id, kc, cmd); ok || err != nil {
		return r, err
	}
	if !cmd.AppointmentID.IsZero() || cmd.AppointmentCode != "" {
		a, err := h.appointment(ctx, cmd, id)
		if err != nil {
			return KnockResult{}, err
		}
		kc.AppointmentID, kc.AppointmentCode, kc.AppointmentSlot = a.ID(), a.Code(), a.Start()
	}
	ol, err := h.d.offices.Load(ctx, office.StreamName(cmd.OfficeID))
	if err != nil {
		return KnockResult{}, err
	}
	v, err := visit.Knock(kc, ol.Aggregate, h.d.Env.Clock.Now())
	if err != nil {
		return KnockResult{}, err
	}
	c.Actor = CitizenActor(id)
	if _, err := h.d.visits.Create(ctx, visit.StreamName(id), command.Write{Meta: h.d.Env.Meta(c)}, v); err != nil {
		var ce *command.ConflictError
		if errors.As(err, &ce) { // the same request raced us
			if r, ok, rerr := h.repeated(ctx, id, kc, cmd); ok || rerr != nil {
				return r, rerr
			}
		}
		return KnockResult{}, err
	}
	return KnockResult{VisitID: id, Token: Token(h.d.Tokens, id)}, nil
}

// repeated answers a request that was handled before.
func (h KnockHandler) repeated(ctx context.Context, id domain.VisitID, kc visit.KnockCommand, cmd Knock) (KnockResult, bool, error) {
	l, err := h.d.visits.Load(ctx, visit.StreamName(id))
	if errors.Is(err, visit.ErrNotFound) {
		return KnockResult{}, false, nil
	}
	if err != nil {
		return KnockResult{}, false, err
	}
	kc.AppointmentID = cmd.AppointmentID
	if !l.Aggregate.SameKnock(kc) {
		return KnockResult{}, false, ErrRequestReuse
	}
	return KnockResult{VisitID: id, Token: Token(h.d.Tokens, id), Repeated: true}, true, nil
}

// appointment checks the code against a booked appointment of this office.
func (h KnockHandler) appointment(ctx context.Context, cmd Knock, visitID domain.VisitID) (*appointment.Appointment, error) {
	code, err := appointment.ParseCode(cmd.AppointmentCode)
	if err != nil || cmd.AppointmentID.IsZero() {
		return nil, ErrAppointmentInvalid
	}
	l, err := h.d.appts.Load(ctx, appointment.StreamName(cmd.AppointmentID))
	if errors.Is(err, appointment.ErrNotFound) {
		return nil, ErrAppointmentInvalid
	}
	if err != nil {
		return nil, err
	}
	a := l.Aggregate
	if subtle.ConstantTimeCompare([]byte(a.Code().String()), []byte(code.String())) != 1 || a.Office() != cmd.OfficeID {
		return nil, ErrAppointmentInvalid
	}
	if a.Status() != appointment.StatusBooked && !(a.Status() == appointment.StatusCheckedIn && a.Visit() == visitID) {
		return nil, appointment.ErrNotBooked
	}
	return a, nil
}
