// Package appointments holds the appointment use cases (Termine): list free
// slots, book, cancel, reschedule, check in (a knock with the code) and
// record a no-show.
//
// Capacity is enforced race-free on the per-office-and-day slot ledger of
// domain/appointment: a booking first reserves a place on the ledger
// (appending with the revision it read; on a conflict it reloads and decides
// again, so the losers of a race for the last place get ErrSlotFull), then
// writes AppointmentBooked. A booking is idempotent per client request ID:
// the appointment ID is derived from it, so a retried request finds its own
// reservation and its own appointment and returns them.
//
// The citizen proves ownership with the capability token returned at
// booking (HMAC of the appointment ID, see command.Tokens); clerks and the
// system act without it. This package must not import adapters or HTTP.
package appointments
