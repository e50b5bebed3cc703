package appointment

import (
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Appointment is the appointment aggregate. Create it with Book, load it
// with FromEvents; the zero value is not usable.
type Appointment struct {
	domain.Base
	id          domain.AppointmentID
	office      domain.OfficeID
	service     domain.ServiceID
	start, end  time.Time
	code        Code
	displayName string
	status      Status
	visit       domain.VisitID
}

// FromEvents rehydrates an appointment from its stream, oldest event first.
func FromEvents(history []domain.Event) (*Appointment, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	if _, ok := history[0].(AppointmentBooked); !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "appointment stream starts with %s", history[0].EventType())
	}
	a := &Appointment{}
	for _, e := range history {
		if err := a.apply(e); err != nil {
			return nil, err
		}
		a.Loaded()
	}
	return a, nil
}

func (a *Appointment) record(e domain.Event) {
	if err := a.apply(e); err != nil {
		panic(fmt.Sprintf("appointment: recorded event does not apply: %v", err)) // programming error
	}
	a.Track(e)
}

func (a *Appointment) apply(e domain.Event) error {
	switch e := e.(type) {
	case AppointmentBooked:
		a.id, a.office, a.service, a.start, a.end = e.AppointmentID, e.OfficeID, e.ServiceID, e.SlotStart, e.SlotEnd
		a.code, a.displayName, a.status = e.Code, e.DisplayName, StatusBooked
	case AppointmentCancelled:
		a.status = StatusCancelled
	case AppointmentRescheduled:
		a.start, a.end = e.ToStart, e.ToEnd
	case AppointmentCheckedIn:
		a.status, a.visit = StatusCheckedIn, e.VisitID
	case AppointmentNoShowRecorded:
		a.status = StatusNoShow
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "appointment: %s", e.EventType())
	}
	return nil
}

func (a *Appointment) ID() domain.AppointmentID  { return a.id }
func (a *Appointment) Office() domain.OfficeID   { return a.office }
func (a *Appointment) Service() domain.ServiceID { return a.service }
func (a *Appointment) Start() time.Time          { return a.start }
func (a *Appointment) End() time.Time            { return a.end }
func (a *Appointment) Code() Code                { return a.code }
func (a *Appointment) DisplayName() string       { return a.displayName }
func (a *Appointment) Status() Status            { return a.status }
func (a *Appointment) Visit() domain.VisitID     { return a.visit }
