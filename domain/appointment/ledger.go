package appointment

import (
	"fmt"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// SlotLedger holds the reservations of one office on one Berlin date; its
// stream is LedgerStreamName. An empty stream is an empty day, so a ledger
// is created with NewSlotLedger, not by an event.
type SlotLedger struct {
	domain.Base
	office       domain.OfficeID
	date         hours.Date
	reservations []Reservation
}

// Reservation is one taken place.
type Reservation struct {
	Appointment domain.AppointmentID
	Start, End  time.Time
}

// LedgerStreamName returns "slots-<office uuid>-<YYYY-MM-DD>".
func LedgerStreamName(office domain.OfficeID, date hours.Date) string {
	return "slots-" + office.String() + "-" + date.String()
}

// NewSlotLedger returns the empty ledger of an office and date.
func NewSlotLedger(office domain.OfficeID, date hours.Date) (*SlotLedger, error) {
	if err := domain.RequireID("office id", office); err != nil {
		return nil, err
	}
	if date.IsZero() {
		return nil, domain.Wrapf(hours.ErrInvalidDate, "date is required")
	}
	return &SlotLedger{office: office, date: date}, nil
}

// LedgerFromEvents rehydrates the ledger of office and date from its
// stream; an empty history is an empty day.
func LedgerFromEvents(office domain.OfficeID, date hours.Date, history []domain.Event) (*SlotLedger, error) {
	l, err := NewSlotLedger(office, date)
	if err != nil {
		return nil, err
	}
	for _, e := range history {
		if err := l.apply(e); err != nil {
			return nil, err
		}
		l.Loaded()
	}
	return l, nil
}

func (l *SlotLedger) record(e domain.Event) {
	if err := l.apply(e); err != nil {
		panic(fmt.Sprintf("appointment: recorded ledger event does not apply: %v", err)) // programming error
	}
	l.Track(e)
}

func (l *SlotLedger) apply(e domain.Event) error {
	switch e := e.(type) {
	case SlotReserved:
		l.reservations = append(l.reservations, Reservation{Appointment: e.AppointmentID, Start: e.Start, End: e.End})
	case SlotReleased:
		l.reservations = slices.DeleteFunc(l.reservations, func(r Reservation) bool { return r.Appointment == e.AppointmentID })
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "slot ledger: %s", e.EventType())
	}
	return nil
}

// Reservations returns the places taken, in booking order.
func (l *SlotLedger) Reservations() []Reservation { return slices.Clone(l.reservations) }

// Taken counts the reservations overlapping [start, end). Counting overlaps
// rather than equal starts is conservative when services of different
// lengths share an office: it can refuse a place that would just fit, but
// never overbooks.
func (l *SlotLedger) Taken(start, end time.Time) int {
	n := 0
	for _, r := range l.reservations {
		if r.Start.Before(end) && start.Before(r.End) {
			n++
		}
	}
	return n
}

// Reserve takes one place in [start, start+duration) for an appointment if
// fewer than capacity reservations overlap it; otherwise ErrSlotFull. The
// slot must lie on the ledger's Berlin date. Reserving the same appointment
// and start again does nothing (retries are idempotent).
func (l *SlotLedger) Reserve(appt domain.AppointmentID, start time.Time, duration time.Duration, capacity int, at time.Time) error {
	if err := domain.RequireID("appointment id", appt); err != nil {
		return err
	}
	if duration <= 0 || capacity < 1 {
		return domain.Wrapf(ErrInvalidAppointment, "duration and capacity must be positive")
	}
	if hours.BerlinDate(start) != l.date {
		return ErrWrongDay
	}
	end := start.Add(duration)
	for _, r := range l.reservations {
		if r.Appointment == appt {
			if r.Start.Equal(start) && r.End.Equal(end) {
				return nil
			}
			return domain.Wrapf(ErrInvalidAppointment, "appointment already holds another place this day; release it first")
		}
	}
	if !start.After(at) {
		return ErrInPast
	}
	if l.Taken(start, end) >= capacity {
		return ErrSlotFull
	}
	l.record(SlotReserved{OfficeID: l.office, Date: l.date, AppointmentID: appt, Start: start, End: end, ReservedAt: at})
	return nil
}

// Release gives an appointment's place back; nothing happens when it holds
// none.
func (l *SlotLedger) Release(appt domain.AppointmentID, at time.Time) error {
	if !slices.ContainsFunc(l.reservations, func(r Reservation) bool { return r.Appointment == appt }) {
		return nil
	}
	l.record(SlotReleased{OfficeID: l.office, Date: l.date, AppointmentID: appt, ReleasedAt: at})
	return nil
}
