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

// RescheduleAppointment moves a booking to another slot of its service.
type RescheduleAppointment struct {
	AppointmentID domain.AppointmentID
	Token         string
	NewStart      time.Time
}

// RescheduleAppointmentHandler handles RescheduleAppointment.
type RescheduleAppointmentHandler struct{ d deps }

// NewRescheduleAppointmentHandler refuses missing dependencies.
func NewRescheduleAppointmentHandler(d Deps) (RescheduleAppointmentHandler, error) {
	dd, err := newDeps(d)
	return RescheduleAppointmentHandler{d: dd}, err
}

// Handle takes the new place first (on the same day: release and reserve in
// one ledger append), then moves the appointment, then frees the old day's
// place. The citizen never loses the old place without holding the new one.
func (h RescheduleAppointmentHandler) Handle(ctx context.Context, c command.Context, cmd RescheduleAppointment) error {
	if err := h.d.authorize(c, cmd.AppointmentID, cmd.Token); err != nil {
		return err
	}
	al, err := h.d.appts.Load(ctx, appointment.StreamName(cmd.AppointmentID))
	if err != nil {
		return err
	}
	a := al.Aggregate
	oldStart := a.Start()
	now := h.d.Env.Clock.Now()
	if err := a.Reschedule(cmd.NewStart, now); err != nil { // validate on a copy before touching ledgers
		return err
	}
	if cmd.NewStart.Equal(oldStart) {
		return nil
	}
	ol, err := h.d.offices.Load(ctx, office.StreamName(a.Office()))
	if err != nil {
		return err
	}
	o := ol.Aggregate
	duration := a.End().Sub(a.Start()) // unchanged by rescheduling
	if !appointment.IsSlot(o.Schedule(), cmd.NewStart, duration) {
		return ErrNotASlot
	}
	w := command.Write{Meta: h.d.Env.Meta(c)}
	oldDay, newDay := hours.BerlinDate(oldStart), hours.BerlinDate(cmd.NewStart)
	newLedger, newStream, err := h.d.ledger(a.Office(), newDay)
	if err != nil {
		return err
	}
	if _, _, err := newLedger.Update(ctx, newStream, w, func(l *appointment.SlotLedger) error {
		if oldDay == newDay {
			if err := l.Release(a.ID(), now); err != nil {
				return err
			}
		}
		return l.Reserve(a.ID(), cmd.NewStart, duration, o.SlotCapacity(), now)
	}); err != nil {
		return err
	}
	if _, _, err := h.d.appts.Update(ctx, appointment.StreamName(a.ID()), w, func(a *appointment.Appointment) error {
		return a.Reschedule(cmd.NewStart, now)
	}); err != nil {
		// Undo the ledger move (best effort) so no place leaks.
		_, _, uerr := newLedger.Update(ctx, newStream, w, func(l *appointment.SlotLedger) error {
			if err := l.Release(a.ID(), now); err != nil || oldDay != newDay {
				return err
			}
			return l.Reserve(a.ID(), oldStart, duration, o.SlotCapacity(), now)
		})
		return errors.Join(err, uerr)
	}
	if oldDay == newDay {
		return nil
	}
	oldLedger, oldStream, err := h.d.ledger(a.Office(), oldDay)
	if err != nil {
		return err
	}
	_, _, err = oldLedger.Update(ctx, oldStream, w, func(l *appointment.SlotLedger) error { return l.Release(a.ID(), now) })
	return err
}
