package appointments

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// CancelAppointment cancels a booking and gives its place back. A citizen
// must present the appointment's token.
type CancelAppointment struct {
	AppointmentID domain.AppointmentID
	Token         string
	Reason        string
}

// CancelAppointmentHandler handles CancelAppointment.
type CancelAppointmentHandler struct{ d deps }

// NewCancelAppointmentHandler refuses missing dependencies.
func NewCancelAppointmentHandler(d Deps) (CancelAppointmentHandler, error) {
	dd, err := newDeps(d)
	return CancelAppointmentHandler{d: dd}, err
}

// Handle cancels, then releases the ledger place. Both steps are idempotent,
// so a retry after a failure in between completes the release.
func (h CancelAppointmentHandler) Handle(ctx context.Context, c command.Context, cmd CancelAppointment) error {
	if err := h.d.authorize(c, cmd.AppointmentID, cmd.Token); err != nil {
		return err
	}
	now := h.d.Env.Clock.Now()
	w := command.Write{Meta: h.d.Env.Meta(c)}
	a, _, err := h.d.appts.Update(ctx, appointment.StreamName(cmd.AppointmentID), w, func(a *appointment.Appointment) error {
		return a.Cancel(cmd.Reason, now)
	})
	if err != nil {
		return err
	}
	ledger, stream, err := h.d.ledger(a.Office(), hours.BerlinDate(a.Start()))
	if err != nil {
		return err
	}
	_, _, err = ledger.Update(ctx, stream, w, func(l *appointment.SlotLedger) error { return l.Release(a.ID(), now) })
	return err
}
