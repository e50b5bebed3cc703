package office

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// ServiceData is the plain form of a Service in events.
type ServiceData struct {
	ID             domain.ServiceID `json:"id"`
	Name           string           `json:"name"`
	TypicalMinutes int              `json:"typicalMinutes"`
}

// OfficeEstablished creates an office.
type OfficeEstablished struct {
	OfficeID      domain.OfficeID     `json:"officeId"`
	DepartmentID  domain.DepartmentID `json:"departmentId"`
	Name          string              `json:"name" pii:"false"`
	Services      []ServiceData       `json:"services"`
	Hours         hours.Spec          `json:"hours"`
	SlotCapacity  int                 `json:"slotCapacity"`
	EstablishedAt time.Time           `json:"establishedAt"`
}

// OfficeServiceOffered adds a service or replaces one with the same ID.
type OfficeServiceOffered struct {
	OfficeID  domain.OfficeID `json:"officeId"`
	Service   ServiceData     `json:"service"`
	OfferedAt time.Time       `json:"offeredAt"`
}

// OfficeServiceWithdrawn removes a service.
type OfficeServiceWithdrawn struct {
	OfficeID    domain.OfficeID  `json:"officeId"`
	ServiceID   domain.ServiceID `json:"serviceId"`
	WithdrawnAt time.Time        `json:"withdrawnAt"`
}

// OfficeHoursSet replaces the opening hours.
type OfficeHoursSet struct {
	OfficeID domain.OfficeID `json:"officeId"`
	Hours    hours.Spec      `json:"hours"`
	SetAt    time.Time       `json:"setAt"`
}

// OfficeSlotCapacitySet changes how many appointments one slot can take.
type OfficeSlotCapacitySet struct {
	OfficeID     domain.OfficeID `json:"officeId"`
	SlotCapacity int             `json:"slotCapacity"`
	SetAt        time.Time       `json:"setAt"`
}

// ClerkWentOnDuty: a clerk starts serving this office's queue.
type ClerkWentOnDuty struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	At       time.Time       `json:"at"`
}

// ClerkPaused: a clerk on duty takes a break.
type ClerkPaused struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	At       time.Time       `json:"at"`
}

// ClerkResumed: a paused clerk is back.
type ClerkResumed struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	At       time.Time       `json:"at"`
}

// ClerkWentOffDuty: a clerk stops serving this office.
type ClerkWentOffDuty struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	At       time.Time       `json:"at"`
}

// ClerkCallStarted: a clerk is now in a call with a visit.
type ClerkCallStarted struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	VisitID  domain.VisitID  `json:"visitId"`
	At       time.Time       `json:"at"`
}

// ClerkCallEnded: a clerk's call with a visit is over.
type ClerkCallEnded struct {
	OfficeID domain.OfficeID `json:"officeId"`
	ClerkID  domain.ClerkID  `json:"clerkId"`
	VisitID  domain.VisitID  `json:"visitId"`
	At       time.Time       `json:"at"`
}

func (OfficeEstablished) EventType() string      { return "OfficeEstablished" }
func (OfficeServiceOffered) EventType() string   { return "OfficeServiceOffered" }
func (OfficeServiceWithdrawn) EventType() string { return "OfficeServiceWithdrawn" }
func (OfficeHoursSet) EventType() string         { return "OfficeHoursSet" }
func (OfficeSlotCapacitySet) EventType() string  { return "OfficeSlotCapacitySet" }
func (ClerkWentOnDuty) EventType() string        { return "ClerkWentOnDuty" }
func (ClerkPaused) EventType() string            { return "ClerkPaused" }
func (ClerkResumed) EventType() string           { return "ClerkResumed" }
func (ClerkWentOffDuty) EventType() string       { return "ClerkWentOffDuty" }
func (ClerkCallStarted) EventType() string       { return "ClerkCallStarted" }
func (ClerkCallEnded) EventType() string         { return "ClerkCallEnded" }

// EventTypes returns a zero value of every office event, for the event
// store's type registry.
func EventTypes() []domain.Event {
	return []domain.Event{
		OfficeEstablished{}, OfficeServiceOffered{}, OfficeServiceWithdrawn{},
		OfficeHoursSet{}, OfficeSlotCapacitySet{}, ClerkWentOnDuty{}, ClerkPaused{},
		ClerkResumed{}, ClerkWentOffDuty{}, ClerkCallStarted{}, ClerkCallEnded{},
	}
}

// StreamName returns "office-<uuid>".
func StreamName(id domain.OfficeID) string { return "office-" + id.String() }
