package appointment

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Cancel cancels a booked appointment (reason optional). The application
// then releases the place on the SlotLedger. Cancelling twice does nothing.
func (a *Appointment) Cancel(reason string, at time.Time) error {
	if a.status == StatusCancelled {
		return nil
	}
	if a.status != StatusBooked {
		return ErrNotBooked
	}
	if reason != "" {
		r, err := domain.CleanText("reason", reason, 1, 500, true)
		if err != nil {
			return err
		}
		reason = r
	}
	a.record(AppointmentCancelled{AppointmentID: a.id, Reason: reason, CancelledAt: at})
	return nil
}

// Reschedule moves a booked appointment to a new slot of the same length
// that starts after at. The application reserves the new place on its
// ledger first and releases the old one after.
func (a *Appointment) Reschedule(newStart, at time.Time) error {
	if a.status != StatusBooked {
		return ErrNotBooked
	}
	if !newStart.After(at) {
		return ErrInPast
	}
	if newStart.Equal(a.start) {
		return nil
	}
	a.record(AppointmentRescheduled{
		AppointmentID: a.id, FromStart: a.start, ToStart: newStart, ToEnd: newStart.Add(a.end.Sub(a.start)), RescheduledAt: at,
	})
	return nil
}

// CheckIn links the visit that knocked with this appointment's code. It is
// allowed until the check-in window closes; before the window opens the
// visit waits like a walk-in until it does (queue.Order). A repeated
// check-in of the same visit does nothing.
func (a *Appointment) CheckIn(visit domain.VisitID, w CheckInWindow, at time.Time) error {
	if err := domain.RequireID("visit id", visit); err != nil {
		return err
	}
	if a.status == StatusCheckedIn && a.visit == visit {
		return nil
	}
	if a.status != StatusBooked {
		return ErrNotBooked
	}
	if at.After(w.Closes(a.start)) {
		return ErrCheckInClosed
	}
	a.record(AppointmentCheckedIn{AppointmentID: a.id, VisitID: visit, CheckedInAt: at})
	return nil
}

// RecordNoShow marks a booked appointment whose check-in window has closed
// at instant now without a knock (a timer calls it).
func (a *Appointment) RecordNoShow(w CheckInWindow, now time.Time) error {
	if a.status == StatusNoShow {
		return nil
	}
	if a.status != StatusBooked {
		return ErrNotBooked
	}
	if !now.After(w.Closes(a.start)) {
		return ErrCheckInOpen
	}
	a.record(AppointmentNoShowRecorded{AppointmentID: a.id, RecordedAt: now})
	return nil
}
