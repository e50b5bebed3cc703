package appointment

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// AppointmentBooked creates an appointment.
type AppointmentBooked struct {
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	OfficeID      domain.OfficeID      `json:"officeId"`
	ServiceID     domain.ServiceID     `json:"serviceId"`
	SlotStart     time.Time            `json:"slotStart"`
	SlotEnd       time.Time            `json:"slotEnd"`
	Code          Code                 `json:"code"`
	DisplayName   string               `json:"displayName" pii:"true"`
	BookedAt      time.Time            `json:"bookedAt"`
}

// AppointmentCancelled: the citizen or a clerk cancelled.
type AppointmentCancelled struct {
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	Reason        string               `json:"reason,omitempty" pii:"true"`
	CancelledAt   time.Time            `json:"cancelledAt"`
}

// AppointmentRescheduled: moved to another slot (same office and service).
type AppointmentRescheduled struct {
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	FromStart     time.Time            `json:"fromStart"`
	ToStart       time.Time            `json:"toStart"`
	ToEnd         time.Time            `json:"toEnd"`
	RescheduledAt time.Time            `json:"rescheduledAt"`
}

// AppointmentCheckedIn: the citizen knocked with the code; the visit waits.
type AppointmentCheckedIn struct {
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	VisitID       domain.VisitID       `json:"visitId"`
	CheckedInAt   time.Time            `json:"checkedInAt"`
}

// AppointmentNoShowRecorded: the check-in window closed without a knock.
type AppointmentNoShowRecorded struct {
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	RecordedAt    time.Time            `json:"recordedAt"`
}

// SlotReserved takes one place of an office's slot (on the SlotLedger).
type SlotReserved struct {
	OfficeID      domain.OfficeID      `json:"officeId"`
	Date          hours.Date           `json:"date"`
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	Start         time.Time            `json:"start"`
	End           time.Time            `json:"end"`
	ReservedAt    time.Time            `json:"reservedAt"`
}

// SlotReleased gives a place back (cancelled or rescheduled appointment).
type SlotReleased struct {
	OfficeID      domain.OfficeID      `json:"officeId"`
	Date          hours.Date           `json:"date"`
	AppointmentID domain.AppointmentID `json:"appointmentId"`
	ReleasedAt    time.Time            `json:"releasedAt"`
}

func (AppointmentBooked) EventType() string         { return "AppointmentBooked" }
func (AppointmentCancelled) EventType() string      { return "AppointmentCancelled" }
func (AppointmentRescheduled) EventType() string    { return "AppointmentRescheduled" }
func (AppointmentCheckedIn) EventType() string      { return "AppointmentCheckedIn" }
func (AppointmentNoShowRecorded) EventType() string { return "AppointmentNoShowRecorded" }
func (SlotReserved) EventType() string              { return "SlotReserved" }
func (SlotReleased) EventType() string              { return "SlotReleased" }

// EventTypes returns a zero value of every event of this package (both
// aggregates), for the event store's type registry.
func EventTypes() []domain.Event {
	return []domain.Event{
		AppointmentBooked{}, AppointmentCancelled{}, AppointmentRescheduled{},
		AppointmentCheckedIn{}, AppointmentNoShowRecorded{}, SlotReserved{}, SlotReleased{},
	}
}

// StreamName returns "appointment-<uuid>".
func StreamName(id domain.AppointmentID) string { return "appointment-" + id.String() }
