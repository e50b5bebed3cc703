package appointments

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

// RecordNoShow marks a booked appointment whose check-in window closed
// without a knock (a timer or a clerk issues it).
type RecordNoShow struct {
	AppointmentID domain.AppointmentID
}

// RecordNoShowHandler handles RecordNoShow.
type RecordNoShowHandler struct{ d deps }

// NewRecordNoShowHandler refuses missing dependencies.
func NewRecordNoShowHandler(d Deps) (RecordNoShowHandler, error) {
	dd, err := newDeps(d)
	return RecordNoShowHandler{d: dd}, err
}

// Handle records the no-show; repeating it changes nothing.
func (h RecordNoShowHandler) Handle(ctx context.Context, c command.Context, cmd RecordNoShow) error {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleSystem); err != nil {
		return err
	}
	now := h.d.Env.Clock.Now()
	_, _, err := h.d.appts.Update(ctx, appointment.StreamName(cmd.AppointmentID), command.Write{Meta: h.d.Env.Meta(c)},
		func(a *appointment.Appointment) error { return a.RecordNoShow(h.d.Window, now) })
	return err
}
