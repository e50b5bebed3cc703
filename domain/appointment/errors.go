package appointment

import "github.com/buergerbuero/buergerbuero/domain"

// Errors of the appointment aggregates; match with errors.Is.
var (
	ErrNotFound           = domain.NotFound("appointment_not_found", "appointment not found")
	ErrInvalidAppointment = domain.Invalid("invalid_appointment", "invalid appointment")
	ErrNotBooked          = domain.Precondition("appointment_not_booked", "the appointment is no longer booked")
	ErrInPast             = domain.Precondition("appointment_in_past", "the slot has already started")
	ErrCheckInClosed      = domain.Precondition("appointment_check_in_closed", "the check-in window has closed")
	ErrCheckInOpen        = domain.Precondition("appointment_check_in_open", "the check-in window has not closed yet")
	ErrSlotFull           = domain.Conflict("slot_full", "no place left in this slot")
	ErrWrongDay           = domain.Invalid("slot_wrong_day", "the slot is not on this ledger's day")
)
