package appointments

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

// CheckInAppointment links the visit that knocked with the appointment's
// code to the appointment. The CheckInAppointmentOnVisitKnocked policy
// issues it with the knock time.
type CheckInAppointment struct {
	AppointmentID domain.AppointmentID
	VisitID       domain.VisitID
	KnockedAt     time.Time
}

// CheckInAppointmentHandler handles CheckInAppointment.
type CheckInAppointmentHandler struct{ d deps }

// NewCheckInAppointmentHandler refuses missing dependencies.
func NewCheckInAppointmentHandler(d Deps) (CheckInAppointmentHandler, error) {
	dd, err := newDeps(d)
	return CheckInAppointmentHandler{d: dd}, err
}

// Handle checks the appointment in; w derives event IDs (policies pass
// command.PolicyWrite so a retry is recognised), nil means random IDs.
func (h CheckInAppointmentHandler) Handle(ctx context.Context, c command.Context, cmd CheckInAppointment, w *command.Write) error {
	if err := c.RequireRole(domain.RoleSystem, domain.RoleClerk); err != nil {
		return err
	}
	write := command.Write{Meta: h.d.Env.Meta(c)}
	if w != nil {
		write = *w
	}
	_, _, err := h.d.appts.Update(ctx, appointment.StreamName(cmd.AppointmentID), write,
		func(a *appointment.Appointment) error { return a.CheckIn(cmd.VisitID, h.d.Window, cmd.KnockedAt) })
	return err
}
