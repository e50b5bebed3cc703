package readmodel

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// BookedAppointment is one appointment in the calendar: no name, no code.
type BookedAppointment struct {
	AppointmentID domain.AppointmentID
	ServiceID     domain.ServiceID
	Start, End    time.Time
	Status        appointment.Status
	VisitID       domain.VisitID // set once checked in
}

// CalendarDay is an office's appointments on one Berlin day and the free
// slots left per service at the instant asked.
type CalendarDay struct {
	OfficeID     domain.OfficeID
	Date         hours.Date
	SlotCapacity int
	// Appointments booked for the day (any status), by start.
	Appointments []BookedAppointment
	// Free lists the bookable slots per offered service (FreeSlots).
	Free map[domain.ServiceID][]appointment.Slot
}

// Calendar is the appointment calendar read model (projection
// "CalendarProjection").
type Calendar struct {
	notify readside.ChangeNotifier

	mu      sync.RWMutex
	tr      readside.Tracker
	offices map[domain.OfficeID]*calendarOffice
	appts   map[domain.AppointmentID]*calendarAppt
	ledgers map[statsKey][]domain.Event // SlotReserved/SlotReleased per office and day
}

type calendarOffice struct {
	schedule hours.Schedule
	services map[domain.ServiceID]time.Duration
	capacity int
}

type calendarAppt struct {
	BookedAppointment
	office domain.OfficeID
}

var _ readside.Handler = (*Calendar)(nil)

// NewCalendar returns an empty calendar; notify may be nil.
func NewCalendar(notify readside.ChangeNotifier) *Calendar {
	return &Calendar{
		notify: notifierOr(notify), offices: map[domain.OfficeID]*calendarOffice{},
		appts: map[domain.AppointmentID]*calendarAppt{}, ledgers: map[statsKey][]domain.Event{},
	}
}

// Name implements readside.Handler.
func (c *Calendar) Name() string { return "CalendarProjection" }

// Handle implements readside.Handler.
func (c *Calendar) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	office := applyOnce(&c.mu, &c.tr, e, c.apply)
	if !office.IsZero() {
		c.notify.Notify(readside.Change{Kind: readside.KindCalendar, OfficeID: office, Position: e.Position})
	}
	return nil
}

func (c *Calendar) apply(ev domain.Event) domain.OfficeID {
	switch e := ev.(type) {
	case office.OfficeEstablished:
		o := c.office(e.OfficeID)
		if s, err := hours.New(e.Hours); err == nil {
			o.schedule = s
		}
		o.capacity = e.SlotCapacity
		for _, s := range e.Services {
			o.services[s.ID] = time.Duration(s.TypicalMinutes) * time.Minute
		}
		return e.OfficeID
	case office.OfficeHoursSet:
		if s, err := hours.New(e.Hours); err == nil {
			c.office(e.OfficeID).schedule = s
		}
		return e.OfficeID
	case office.OfficeSlotCapacitySet:
		c.office(e.OfficeID).capacity = e.SlotCapacity
		return e.OfficeID
	case office.OfficeServiceOffered:
		c.office(e.OfficeID).services[e.Service.ID] = time.Duration(e.Service.TypicalMinutes) * time.Minute
		return e.OfficeID
	case office.OfficeServiceWithdrawn:
		delete(c.office(e.OfficeID).services, e.ServiceID)
		return e.OfficeID
	case appointment.SlotReserved:
		k := statsKey{e.OfficeID, e.Date}
		c.ledgers[k] = append(c.ledgers[k], e)
		return e.OfficeID
	case appointment.SlotReleased:
		k := statsKey{e.OfficeID, e.Date}
		c.ledgers[k] = append(c.ledgers[k], e)
		return e.OfficeID
	case appointment.AppointmentBooked:
		c.appts[e.AppointmentID] = &calendarAppt{office: e.OfficeID, BookedAppointment: BookedAppointment{
			AppointmentID: e.AppointmentID, ServiceID: e.ServiceID, Start: e.SlotStart, End: e.SlotEnd, Status: appointment.StatusBooked,
		}}
		return e.OfficeID
	case appointment.AppointmentRescheduled:
		return c.withAppt(e.AppointmentID, func(a *calendarAppt) { a.Start, a.End = e.ToStart, e.ToEnd })
	case appointment.AppointmentCancelled:
		return c.withAppt(e.AppointmentID, func(a *calendarAppt) { a.Status = appointment.StatusCancelled })
	case appointment.AppointmentCheckedIn:
		return c.withAppt(e.AppointmentID, func(a *calendarAppt) { a.Status, a.VisitID = appointment.StatusCheckedIn, e.VisitID })
	case appointment.AppointmentNoShowRecorded:
		return c.withAppt(e.AppointmentID, func(a *calendarAppt) { a.Status = appointment.StatusNoShow })
	}
	return domain.OfficeID{}
}

func (c *Calendar) withAppt(id domain.AppointmentID, f func(*calendarAppt)) domain.OfficeID {
	a, ok := c.appts[id]
	if !ok {
		return domain.OfficeID{}
	}
	f(a)
	return a.office
}

func (c *Calendar) office(id domain.OfficeID) *calendarOffice {
	o, ok := c.offices[id]
	if !ok {
		o = &calendarOffice{services: map[domain.ServiceID]time.Duration{}}
		c.offices[id] = o
	}
	return o
}

// Day returns an office's calendar for a Berlin date; free slots are those
// starting after now.
func (c *Calendar) Day(id domain.OfficeID, date hours.Date, now time.Time) (CalendarDay, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o, ok := c.offices[id]
	if !ok {
		return CalendarDay{}, false
	}
	day := CalendarDay{OfficeID: id, Date: date, SlotCapacity: o.capacity, Free: map[domain.ServiceID][]appointment.Slot{}}
	for _, a := range c.appts {
		if a.office == id && hours.BerlinDate(a.Start) == date {
			day.Appointments = append(day.Appointments, a.BookedAppointment)
		}
	}
	slices.SortFunc(day.Appointments, func(a, b BookedAppointment) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return compareIDs(a.AppointmentID, b.AppointmentID)
	})
	ledger, err := appointment.LedgerFromEvents(id, date, c.ledgers[statsKey{id, date}])
	if err != nil {
		ledger = nil // cannot happen for recorded events; show the day as empty rather than fail
	}
	for sid, d := range o.services {
		day.Free[sid] = appointment.FreeSlots(o.schedule, date, d, o.capacity, ledger, now)
	}
	return day, true
}
