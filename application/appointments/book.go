package appointments

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// BookAppointment books one place of a slot for a service. RequestID is the
// client's idempotency key: repeating the request returns the same booking.
type BookAppointment struct {
	RequestID   domain.RequestID
	OfficeID    domain.OfficeID
	ServiceID   domain.ServiceID
	SlotStart   time.Time
	DisplayName string
}

// Booking is what the citizen gets back: the appointment, the confirmation
// code to knock with and the capability token to manage it.
type Booking struct {
	AppointmentID domain.AppointmentID
	Code          appointment.Code
	Token         string
	SlotStart     time.Time
	SlotEnd       time.Time
	Repeated      bool // the request had been handled before
}

// Errors of booking.
var (
	// ErrNotASlot is the domain's: the start is not on the service's slot grid.
	ErrNotASlot     = appointment.ErrNotASlot
	ErrRequestReuse = domain.Conflict("booking_request_reused", "the request ID was used for another booking")
)

// BookAppointmentHandler handles BookAppointment.
type BookAppointmentHandler struct{ d deps }

// NewBookAppointmentHandler refuses missing dependencies.
func NewBookAppointmentHandler(d Deps) (BookAppointmentHandler, error) {
	dd, err := newDeps(d)
	return BookAppointmentHandler{d: dd}, err
}

// Handle reserves a place on the day's ledger, then records the booking.
func (h BookAppointmentHandler) Handle(ctx context.Context, c command.Context, cmd BookAppointment) (Booking, error) {
	if err := c.Validate(); err != nil {
		return Booking{}, err
	}
	if err := errors.Join(domain.RequireID("request id", cmd.RequestID), domain.RequireID("office id", cmd.OfficeID)); err != nil {
		return Booking{}, err
	}
	id := IDForRequest(cmd.OfficeID, cmd.RequestID)
	if b, ok, err := h.existing(ctx, id, cmd); ok || err != nil {
		return b, err
	}
	ol, err := h.d.offices.Load(ctx, office.StreamName(cmd.OfficeID))
	if err != nil {
		return Booking{}, err
	}
	o := ol.Aggregate
	svc, ok := o.Service(cmd.ServiceID)
	if !ok {
		return Booking{}, office.ErrServiceNotOffered
	}
	if !appointment.IsSlot(o.Schedule(), cmd.SlotStart, svc.TypicalDuration()) {
		return Booking{}, ErrNotASlot
	}
	code, err := appointment.NewCode(h.d.Env.IDs.Random())
	if err != nil {
		return Booking{}, err
	}
	now := h.d.Env.Clock.Now()
	a, err := appointment.Book(appointment.BookCommand{
		AppointmentID: id, OfficeID: cmd.OfficeID, ServiceID: cmd.ServiceID, SlotStart: cmd.SlotStart,
		Duration: svc.TypicalDuration(), Code: code, DisplayName: cmd.DisplayName,
	}, now)
	if err != nil {
		return Booking{}, err
	}
	w := command.Write{Meta: h.d.Env.Meta(c)}
	ledger, stream, err := h.d.ledger(cmd.OfficeID, hours.BerlinDate(cmd.SlotStart))
	if err != nil {
		return Booking{}, err
	}
	if _, _, err := ledger.Update(ctx, stream, w, func(l *appointment.SlotLedger) error {
		return l.Reserve(id, cmd.SlotStart, svc.TypicalDuration(), o.SlotCapacity(), now)
	}); err != nil {
		return Booking{}, err
	}
	if _, err := h.d.appts.Create(ctx, appointment.StreamName(id), w, a); err != nil {
		var ce *command.ConflictError
		if errors.As(err, &ce) { // the same request raced us and won
			if b, ok, lerr := h.existing(ctx, id, cmd); ok || lerr != nil {
				return b, lerr
			}
		}
		// Give the place back rather than leak it; a retry of the request
		// would reserve it again.
		if _, _, rerr := ledger.Update(ctx, stream, w, func(l *appointment.SlotLedger) error { return l.Release(id, now) }); rerr != nil {
			return Booking{}, errors.Join(err, rerr)
		}
		return Booking{}, err
	}
	return Booking{AppointmentID: id, Code: code, Token: h.d.token(id), SlotStart: a.Start(), SlotEnd: a.End()}, nil
}

// existing returns the booking a repeated request made before.
func (h BookAppointmentHandler) existing(ctx context.Context, id domain.AppointmentID, cmd BookAppointment) (Booking, bool, error) {
	l, err := h.d.appts.Load(ctx, appointment.StreamName(id))
	if errors.Is(err, appointment.ErrNotFound) {
		return Booking{}, false, nil
	}
	if err != nil {
		return Booking{}, false, err
	}
	a := l.Aggregate
	if a.Office() != cmd.OfficeID || a.Service() != cmd.ServiceID || !a.Start().Equal(cmd.SlotStart) {
		return Booking{}, false, ErrRequestReuse
	}
	return Booking{AppointmentID: id, Code: a.Code(), Token: h.d.token(id), SlotStart: a.Start(), SlotEnd: a.End(), Repeated: true}, true, nil
}
