package casefile

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// CaseOpened creates a case.
type CaseOpened struct {
	CaseID    domain.CaseID    `json:"caseId"`
	Reference Reference        `json:"reference"`
	OfficeID  domain.OfficeID  `json:"officeId"`
	ServiceID domain.ServiceID `json:"serviceId"`
	VisitID   domain.VisitID   `json:"visitId,omitzero"`
	ClerkID   domain.ClerkID   `json:"clerkId"`
	OpenedAt  time.Time        `json:"openedAt"`
}

// CaseNoteAdded: a note, internal or visible to the citizen.
type CaseNoteAdded struct {
	CaseID     domain.CaseID `json:"caseId"`
	NoteID     domain.NoteID `json:"noteId"`
	Text       string        `json:"text" pii:"true"`
	Visibility Visibility    `json:"visibility"`
	AuthorRole domain.Role   `json:"authorRole"`
	AuthorID   string        `json:"authorId"`
	AddedAt    time.Time     `json:"addedAt"`
}

// CaseDocumentRequested: the citizen is asked for a document by a due date.
type CaseDocumentRequested struct {
	CaseID      domain.CaseID            `json:"caseId"`
	RequestID   domain.DocumentRequestID `json:"requestId"`
	What        string                   `json:"what" pii:"true"`
	DueDate     hours.Date               `json:"dueDate"`
	RequestedAt time.Time                `json:"requestedAt"`
}

// CaseDocumentReceived: a document arrived (the file itself lives in a
// document store; the case keeps its name, size and SHA-256).
type CaseDocumentReceived struct {
	CaseID     domain.CaseID            `json:"caseId"`
	RequestID  domain.DocumentRequestID `json:"requestId,omitzero"`
	FileName   string                   `json:"fileName" pii:"true"`
	SizeBytes  int64                    `json:"sizeBytes"`
	SHA256     string                   `json:"sha256"`
	ReceivedAt time.Time                `json:"receivedAt"`
}

// CaseStatusChanged: the working state moved.
type CaseStatusChanged struct {
	CaseID    domain.CaseID `json:"caseId"`
	From      Status        `json:"from"`
	To        Status        `json:"to"`
	ChangedAt time.Time     `json:"changedAt"`
}

// CaseHandedOver: the case moved to another office and/or clerk.
type CaseHandedOver struct {
	CaseID       domain.CaseID   `json:"caseId"`
	FromOfficeID domain.OfficeID `json:"fromOfficeId"`
	ToOfficeID   domain.OfficeID `json:"toOfficeId"`
	FromClerkID  domain.ClerkID  `json:"fromClerkId,omitzero"`
	ToClerkID    domain.ClerkID  `json:"toClerkId,omitzero"`
	HandedOverAt time.Time       `json:"handedOverAt"`
}

// CaseFollowUpProposed: a clerk proposed a follow-up appointment.
type CaseFollowUpProposed struct {
	CaseID        domain.CaseID    `json:"caseId"`
	OfficeID      domain.OfficeID  `json:"officeId"`
	ServiceID     domain.ServiceID `json:"serviceId"`
	ProposedStart time.Time        `json:"proposedStart"`
	Note          string           `json:"note,omitempty" pii:"true"`
	ProposedAt    time.Time        `json:"proposedAt"`
}

// CaseClosed: the case is finished with an outcome.
type CaseClosed struct {
	CaseID   domain.CaseID `json:"caseId"`
	Outcome  Outcome       `json:"outcome"`
	Summary  string        `json:"summary,omitempty" pii:"true"`
	ClosedAt time.Time     `json:"closedAt"`
}

// CallStarted: a video call (Videositzung) of the case began.
type CallStarted struct {
	CaseID    domain.CaseID  `json:"caseId"`
	CallID    domain.CallID  `json:"callId"`
	VisitID   domain.VisitID `json:"visitId,omitzero"`
	StartedAt time.Time      `json:"startedAt"`
}

// CallParticipantJoined: someone joined, named by role and ID, never a name.
type CallParticipantJoined struct {
	CaseID        domain.CaseID `json:"caseId"`
	CallID        domain.CallID `json:"callId"`
	Role          domain.Role   `json:"role"`
	ParticipantID string        `json:"participantId"`
	JoinedAt      time.Time     `json:"joinedAt"`
}

// CallParticipantLeft: a participant left.
type CallParticipantLeft struct {
	CaseID        domain.CaseID `json:"caseId"`
	CallID        domain.CallID `json:"callId"`
	Role          domain.Role   `json:"role"`
	ParticipantID string        `json:"participantId"`
	LeftAt        time.Time     `json:"leftAt"`
}

// CallEnded: the call is over; no call is ever recorded.
type CallEnded struct {
	CaseID          domain.CaseID `json:"caseId"`
	CallID          domain.CallID `json:"callId"`
	DurationSeconds int64         `json:"durationSeconds"`
	Reason          CallEndReason `json:"reason"`
	EndedAt         time.Time     `json:"endedAt"`
}

// CaseReferenceAllocated numbers a case (on the ReferenceCounter stream).
// Number equals the stream's version after the event.
type CaseReferenceAllocated struct {
	Reference   Reference     `json:"reference"`
	Number      int           `json:"number"`
	CaseID      domain.CaseID `json:"caseId"`
	AllocatedAt time.Time     `json:"allocatedAt"`
}

func (CaseOpened) EventType() string             { return "CaseOpened" }
func (CaseNoteAdded) EventType() string          { return "CaseNoteAdded" }
func (CaseDocumentRequested) EventType() string  { return "CaseDocumentRequested" }
func (CaseDocumentReceived) EventType() string   { return "CaseDocumentReceived" }
func (CaseStatusChanged) EventType() string      { return "CaseStatusChanged" }
func (CaseHandedOver) EventType() string         { return "CaseHandedOver" }
func (CaseFollowUpProposed) EventType() string   { return "CaseFollowUpProposed" }
func (CaseClosed) EventType() string             { return "CaseClosed" }
func (CallStarted) EventType() string            { return "CallStarted" }
func (CallParticipantJoined) EventType() string  { return "CallParticipantJoined" }
func (CallParticipantLeft) EventType() string    { return "CallParticipantLeft" }
func (CallEnded) EventType() string              { return "CallEnded" }
func (CaseReferenceAllocated) EventType() string { return "CaseReferenceAllocated" }

// EventTypes returns a zero value of every event of this package (Case and
// ReferenceCounter), for the event store's type registry.
func EventTypes() []domain.Event {
	return []domain.Event{
		CaseOpened{}, CaseNoteAdded{}, CaseDocumentRequested{}, CaseDocumentReceived{},
		CaseStatusChanged{}, CaseHandedOver{}, CaseFollowUpProposed{}, CaseClosed{},
		CallStarted{}, CallParticipantJoined{}, CallParticipantLeft{}, CallEnded{},
		CaseReferenceAllocated{},
	}
}

// StreamName returns "case-<uuid>".
func StreamName(id domain.CaseID) string { return "case-" + id.String() }
