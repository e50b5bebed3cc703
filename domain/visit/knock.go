package visit

import (
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

// Door is what Knock and Refer need from the office; *office.Office
// implements it. AcceptKnock returns nil for an open or busy door, otherwise
// an error (an *office.DoorClosedError carries the next opening).
type Door interface {
	ID() domain.OfficeID
	AcceptKnock(service domain.ServiceID, at time.Time) error
}

// MaxDisplayName is the longest display name (pseudonyms are fine).
const MaxDisplayName = 40

// KnockCommand asks to enter an office.
type KnockCommand struct {
	// VisitID must be IDForRequest(office, RequestID).
	VisitID     domain.VisitID
	RequestID   domain.RequestID
	ServiceID   domain.ServiceID
	DisplayName string
	// Appointment fields are set together when the citizen gave a code the
	// application resolved to a booked appointment; all zero otherwise.
	AppointmentID   domain.AppointmentID
	AppointmentCode appointment.Code
	AppointmentSlot time.Time
	Language        Language
	Needs           []Need
}

// Knock validates cmd, asks door whether it accepts the knock at instant
// at, and returns the new waiting visit holding VisitKnocked.
func Knock(cmd KnockCommand, door Door, at time.Time) (*Visit, error) {
	var errs []error
	errs = append(errs, domain.RequireID("visit id", cmd.VisitID), domain.RequireID("request id", cmd.RequestID),
		domain.RequireID("service id", cmd.ServiceID))
	name, err := domain.CleanText("display name", cmd.DisplayName, 1, MaxDisplayName, false)
	errs = append(errs, err)
	if cmd.Language.IsZero() {
		errs = append(errs, domain.Wrapf(ErrInvalidLanguage, "language is required"))
	}
	needs, err := normaliseNeeds(cmd.Needs)
	errs = append(errs, err)
	hasAppt := []bool{!cmd.AppointmentID.IsZero(), !cmd.AppointmentCode.IsZero(), !cmd.AppointmentSlot.IsZero()}
	if hasAppt[0] != hasAppt[1] || hasAppt[1] != hasAppt[2] {
		errs = append(errs, domain.Wrapf(ErrInvalidVisit, "appointment id, code and slot go together"))
	}
	if door == nil {
		errs = append(errs, domain.Wrapf(ErrInvalidVisit, "door is required"))
	} else if cmd.VisitID != IDForRequest(door.ID(), cmd.RequestID) {
		errs = append(errs, domain.Wrapf(ErrInvalidVisit, "visit id must be derived from office and request id"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := door.AcceptKnock(cmd.ServiceID, at); err != nil {
		return nil, err
	}
	v := &Visit{}
	v.record(VisitKnocked{
		VisitID: cmd.VisitID, RequestID: cmd.RequestID, OfficeID: door.ID(), ServiceID: cmd.ServiceID,
		DisplayName: name, AppointmentID: cmd.AppointmentID, AppointmentCode: cmd.AppointmentCode,
		AppointmentSlot: cmd.AppointmentSlot, Language: cmd.Language, Needs: needs, KnockedAt: at,
	})
	return v, nil
}

// SameKnock reports whether cmd repeats the knock that created v (same
// request, service and appointment), so the application can answer a
// retried request with the existing visit instead of an error.
func (v *Visit) SameKnock(cmd KnockCommand) bool {
	return v.request == cmd.RequestID && v.id == cmd.VisitID && v.service == cmd.ServiceID &&
		v.appointmentID == cmd.AppointmentID
}
