package visit

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// VisitKnocked creates a visit: a citizen knocked and waits.
type VisitKnocked struct {
	VisitID         domain.VisitID       `json:"visitId"`
	RequestID       domain.RequestID     `json:"requestId"`
	OfficeID        domain.OfficeID      `json:"officeId"`
	ServiceID       domain.ServiceID     `json:"serviceId"`
	DisplayName     string               `json:"displayName" pii:"true"`
	AppointmentID   domain.AppointmentID `json:"appointmentId,omitzero"`
	AppointmentCode appointment.Code     `json:"appointmentCode,omitzero"`
	AppointmentSlot time.Time            `json:"appointmentSlot,omitzero"`
	Language        Language             `json:"language"`
	Needs           []Need               `json:"needs,omitempty"`
	KnockedAt       time.Time            `json:"knockedAt"`
}

// VisitPresenceLost: the citizen's waiting page went away.
type VisitPresenceLost struct {
	VisitID domain.VisitID `json:"visitId"`
	At      time.Time      `json:"at"`
}

// VisitPresenceRegained: the waiting page is back.
type VisitPresenceRegained struct {
	VisitID domain.VisitID `json:"visitId"`
	At      time.Time      `json:"at"`
}

// VisitExpired: the page was gone longer than the grace period.
type VisitExpired struct {
	VisitID        domain.VisitID `json:"visitId"`
	PresenceLostAt time.Time      `json:"presenceLostAt"`
	ExpiredAt      time.Time      `json:"expiredAt"`
}

// VisitWithdrawn: the citizen left the queue.
type VisitWithdrawn struct {
	VisitID     domain.VisitID `json:"visitId"`
	WithdrawnAt time.Time      `json:"withdrawnAt"`
}

// VisitDeclined: a clerk turned the visit away with a reason.
type VisitDeclined struct {
	VisitID    domain.VisitID `json:"visitId"`
	ClerkID    domain.ClerkID `json:"clerkId"`
	Reason     string         `json:"reason" pii:"true"`
	DeclinedAt time.Time      `json:"declinedAt"`
}

// VisitReferred: a clerk declined and sent the visit to another office's
// queue; it keeps its knock time there.
type VisitReferred struct {
	VisitID      domain.VisitID   `json:"visitId"`
	ClerkID      domain.ClerkID   `json:"clerkId"`
	FromOfficeID domain.OfficeID  `json:"fromOfficeId"`
	ToOfficeID   domain.OfficeID  `json:"toOfficeId"`
	ToServiceID  domain.ServiceID `json:"toServiceId"`
	Reason       string           `json:"reason" pii:"true"`
	ReferredAt   time.Time        `json:"referredAt"`
}

// VisitMessageSent: a clerk wrote to a waiting citizen.
type VisitMessageSent struct {
	VisitID domain.VisitID `json:"visitId"`
	ClerkID domain.ClerkID `json:"clerkId"`
	Text    string         `json:"text" pii:"true"`
	SentAt  time.Time      `json:"sentAt"`
}

// VisitAdmitted: a clerk let the citizen in; the case is a new one (the
// OpenCaseOnVisitAdmitted policy opens it) or one the citizen named.
type VisitAdmitted struct {
	VisitID       domain.VisitID     `json:"visitId"`
	OfficeID      domain.OfficeID    `json:"officeId"`
	ClerkID       domain.ClerkID     `json:"clerkId"`
	CaseID        domain.CaseID      `json:"caseId"`
	CaseReference casefile.Reference `json:"caseReference"`
	NewCase       bool               `json:"newCase"`
	CallID        domain.CallID      `json:"callId"`
	AdmittedAt    time.Time          `json:"admittedAt"`
}

// VisitCallStarted: the media session connected.
type VisitCallStarted struct {
	VisitID   domain.VisitID `json:"visitId"`
	CallID    domain.CallID  `json:"callId"`
	StartedAt time.Time      `json:"startedAt"`
}

// VisitReturnedToWaitingRoom: the clerk sent the citizen back to wait; the
// original knock time, and with it the priority, is kept.
type VisitReturnedToWaitingRoom struct {
	VisitID    domain.VisitID `json:"visitId"`
	ClerkID    domain.ClerkID `json:"clerkId"`
	ReturnedAt time.Time      `json:"returnedAt"`
}

// VisitCallEnded: the call is over.
type VisitCallEnded struct {
	VisitID         domain.VisitID `json:"visitId"`
	CallID          domain.CallID  `json:"callId"`
	DurationSeconds int64          `json:"durationSeconds"`
	Reason          EndReason      `json:"reason"`
	EndedAt         time.Time      `json:"endedAt"`
}

// VisitEnded: the visit is over.
type VisitEnded struct {
	VisitID domain.VisitID `json:"visitId"`
	EndedAt time.Time      `json:"endedAt"`
}

func (VisitKnocked) EventType() string               { return "VisitKnocked" }
func (VisitPresenceLost) EventType() string          { return "VisitPresenceLost" }
func (VisitPresenceRegained) EventType() string      { return "VisitPresenceRegained" }
func (VisitExpired) EventType() string               { return "VisitExpired" }
func (VisitWithdrawn) EventType() string             { return "VisitWithdrawn" }
func (VisitDeclined) EventType() string              { return "VisitDeclined" }
func (VisitReferred) EventType() string              { return "VisitReferred" }
func (VisitMessageSent) EventType() string           { return "VisitMessageSent" }
func (VisitAdmitted) EventType() string              { return "VisitAdmitted" }
func (VisitCallStarted) EventType() string           { return "VisitCallStarted" }
func (VisitReturnedToWaitingRoom) EventType() string { return "VisitReturnedToWaitingRoom" }
func (VisitCallEnded) EventType() string             { return "VisitCallEnded" }
func (VisitEnded) EventType() string                 { return "VisitEnded" }

// EventTypes returns a zero value of every visit event, for the event
// store's type registry.
func EventTypes() []domain.Event {
	return []domain.Event{
		VisitKnocked{}, VisitPresenceLost{}, VisitPresenceRegained{}, VisitExpired{},
		VisitWithdrawn{}, VisitDeclined{}, VisitReferred{}, VisitMessageSent{},
		VisitAdmitted{}, VisitCallStarted{}, VisitReturnedToWaitingRoom{},
		VisitCallEnded{}, VisitEnded{},
	}
}

// StreamName returns "visit-<uuid>".
func StreamName(id domain.VisitID) string { return "visit-" + id.String() }
