package appointment

import (
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// BookCommand books a slot. The application has reserved the slot on the
// SlotLedger first (see the package doc) and generated Code with NewCode.
type BookCommand struct {
	AppointmentID domain.AppointmentID
	OfficeID      domain.OfficeID
	ServiceID     domain.ServiceID
	SlotStart     time.Time
	Duration      time.Duration
	Code          Code
	DisplayName   string
}

// Book validates cmd and returns the new appointment holding
// AppointmentBooked. The slot must start after at.
func Book(cmd BookCommand, at time.Time) (*Appointment, error) {
	errs := []error{
		domain.RequireID("appointment id", cmd.AppointmentID), domain.RequireID("office id", cmd.OfficeID),
		domain.RequireID("service id", cmd.ServiceID),
	}
	name, err := domain.CleanText("display name", cmd.DisplayName, 1, 40, false)
	errs = append(errs, err)
	if cmd.Code.IsZero() {
		errs = append(errs, domain.Wrapf(ErrInvalidCode, "code is required"))
	}
	if cmd.Duration <= 0 {
		errs = append(errs, domain.Wrapf(ErrInvalidAppointment, "duration must be positive"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if !cmd.SlotStart.After(at) {
		return nil, ErrInPast
	}
	a := &Appointment{}
	a.record(AppointmentBooked{
		AppointmentID: cmd.AppointmentID, OfficeID: cmd.OfficeID, ServiceID: cmd.ServiceID,
		SlotStart: cmd.SlotStart, SlotEnd: cmd.SlotStart.Add(cmd.Duration), Code: cmd.Code,
		DisplayName: name, BookedAt: at,
	})
	return a, nil
}
