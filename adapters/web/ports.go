package web

import (
	"context"
	"time"
)

// Ports are the use cases the web layer calls. Each field may be nil; the
// pages that need a nil port answer 503 and are left out of the navigation.
type Ports struct {
	Offices      Offices
	Visits       Visits
	Appointments Appointments
	CitizenCases CitizenCases
	Desk         ClerkDesk
	Cases        CaseDesk
	Audit        Audit
	Admin        Admin
}

// Door states as the pages show them (the domain's office.DoorState names).
const (
	DoorOpen   = "open"
	DoorBusy   = "busy"
	DoorPaused = "paused"
	DoorClosed = "closed"
)

// Offices answers what the start page shows.
type Offices interface {
	ListOffices(ctx context.Context) ([]OfficeView, error)
	Office(ctx context.Context, officeID string) (OfficeView, error)
	// WatchDoors sends a DoorUpdate whenever a door or queue length changes,
	// until ctx ends; then the channel is closed.
	WatchDoors(ctx context.Context) (<-chan DoorUpdate, error)
}

// OfficeView is one office as a citizen sees it.
type OfficeView struct {
	ID          string
	Name        string
	Description string
	Door        string // DoorOpen, DoorBusy, DoorPaused or DoorClosed
	Waiting     int    // visits in the queue
	Hours       []HoursLine
	NextOpening time.Time // zero when open now or unknown
	Services    []ServiceView
}

// HoursLine is one weekday's opening hours, e.g. {"mon", "08:00", "12:00"}.
// Day is one of mon tue wed thu fri sat sun.
type HoursLine struct {
	Day   string
	Open  string
	Close string
}

// ServiceView is one service an office offers.
type ServiceView struct {
	ID      string
	Name    string
	Minutes int
}

// DoorUpdate is a change of one office's door, sent live to the start page.
type DoorUpdate struct {
	OfficeID string `json:"officeId"`
	Door     string `json:"door"`
	Waiting  int    `json:"waiting"`
	Version  uint64 `json:"version"`
}

// VisitPass is the capability a citizen gets at the knock: it alone lets
// them see and act on their visit. The web layer keeps it in an HttpOnly
// cookie, never in a URL.
type VisitPass struct {
	VisitID string
	Token   string
}

// KnockRequest is the knock form.
type KnockRequest struct {
	// RequestID is issued with the form (a hidden field): submitting the
	// same form twice knocks once, as the API's requestId does.
	RequestID       string
	OfficeID        string
	ServiceID       string
	DisplayName     string
	AppointmentCode string // optional
	Language        string // "de" or "en": the language the citizen wants to talk in
	Needs           []string
}

// Accessibility needs a citizen can state when knocking.
var AccessibilityNeeds = []string{"sign_language", "easy_language", "captions", "screen_reader"}

// Visits are a citizen's way through the door.
type Visits interface {
	Knock(ctx context.Context, r KnockRequest) (VisitPass, error)
	Waiting(ctx context.Context, p VisitPass) (WaitingView, error)
	// WatchWaiting sends the visit's state whenever it changes, until ctx ends.
	WatchWaiting(ctx context.Context, p VisitPass) (<-chan WaitingView, error)
	Withdraw(ctx context.Context, p VisitPass) error
	// JoinCall returns what the call page needs once the visit was admitted.
	JoinCall(ctx context.Context, p VisitPass) (CallView, error)
}

// Visit states a waiting page shows.
const (
	VisitWaiting   = "waiting"
	VisitAdmitted  = "admitted"
	VisitDeclined  = "declined"
	VisitWithdrawn = "withdrawn"
	VisitExpired   = "expired"
	VisitEnded     = "ended"
)

// WaitingView is the waiting room of one visit.
type WaitingView struct {
	VisitID       string         `json:"visitId"`
	OfficeName    string         `json:"officeName"`
	Status        string         `json:"status"`
	Position      int            `json:"position"`
	EstimatedWait time.Duration  `json:"-"`
	WaitMinutes   int            `json:"waitMinutes"` // filled by the web layer
	Messages      []ClerkMessage `json:"messages"`
	DeclineReason string         `json:"declineReason,omitempty"`
	Referral      string         `json:"referral,omitempty"`
	Version       uint64         `json:"version"`
}

// ClerkMessage is a message from the clerk to a waiting citizen.
type ClerkMessage struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// CallView is what a call page needs to join the media relay WHIP-style.
type CallView struct {
	VisitID string
	// WHIPURL receives the offer SDP (POST, Content-Type application/sdp,
	// Authorization: Bearer Token) and answers with the answer SDP.
	WHIPURL string
	Token   string
	CaseRef string
}

// Appointments are booked slots.
type Appointments interface {
	Days(ctx context.Context, officeID, serviceID string, from time.Time, n int) ([]DayView, error)
	Slots(ctx context.Context, officeID, serviceID, day string) ([]SlotView, error)
	Book(ctx context.Context, r BookRequest) (AppointmentView, error)
	Find(ctx context.Context, code string) (AppointmentView, error)
	Cancel(ctx context.Context, code string) error
	Reschedule(ctx context.Context, code, slotID string) (AppointmentView, error)
	// Today lists an office's appointments of one day for the clerk.
	Today(ctx context.Context, p Principal, officeID, day string) ([]AppointmentView, error)
}

// DayView is a day with its number of free slots; Date is YYYY-MM-DD.
type DayView struct {
	Date      string
	FreeSlots int
}

// SlotView is a bookable slot.
type SlotView struct {
	ID    string
	Start time.Time
	End   time.Time
}

// BookRequest books a slot.
type BookRequest struct {
	// RequestID is issued with the form: submitting it twice books once.
	RequestID   string
	OfficeID    string
	ServiceID   string
	SlotID      string
	DisplayName string
}

// Appointment states.
const (
	AppointmentBooked    = "booked"
	AppointmentCancelled = "cancelled"
	AppointmentCheckedIn = "checked_in"
)

// AppointmentView is one appointment.
type AppointmentView struct {
	Code        string
	OfficeID    string
	OfficeName  string
	ServiceID   string
	ServiceName string
	Start       time.Time
	End         time.Time
	Status      string
	DisplayName string
}

// CitizenCases shows a citizen their own case.
type CitizenCases interface {
	CitizenCase(ctx context.Context, reference, token string) (CitizenCaseView, error)
}

// CitizenCaseView is a case as its citizen sees it: visible notes only.
type CitizenCaseView struct {
	Reference  string
	OfficeName string
	Status     string
	Opened     time.Time
	Notes      []NoteView
	Documents  []DocumentView
}

// Roles of staff accounts.
const (
	RoleClerk   = "clerk"
	RoleAuditor = "auditor"
	RoleAdmin   = "admin"
)

// Principal is a signed-in staff member (of the API's session), in the
// role the page's route admitted them as. Name is shown on pages only and
// is never logged.
type Principal struct {
	ID      string
	Role    string
	Name    string
	Offices []string
}

// Duty states of a clerk.
const (
	DutyOn    = "on"
	DutyPause = "pause"
	DutyOff   = "off"
)

// ClerkDesk is the clerk's work at the door.
type ClerkDesk interface {
	MyOffices(ctx context.Context, p Principal) ([]OfficeView, error)
	SetDuty(ctx context.Context, p Principal, officeID, duty string) error
	Queue(ctx context.Context, p Principal, officeID string) (QueueView, error)
	WatchQueue(ctx context.Context, p Principal, officeID string) (<-chan QueueView, error)
	// Admit lets a visit in; an empty visitID admits the next in line.
	Admit(ctx context.Context, p Principal, officeID, visitID string) (string, error)
	Decline(ctx context.Context, p Principal, visitID, reason, referral string) error
	Message(ctx context.Context, p Principal, visitID, text string) error
	SendBack(ctx context.Context, p Principal, visitID string) error
	JoinCall(ctx context.Context, p Principal, visitID string) (CallView, error)
}

// QueueView is an office's queue as its clerks see it.
type QueueView struct {
	OfficeID   string       `json:"officeId"`
	OfficeName string       `json:"officeName"`
	Duty       string       `json:"duty"`
	Entries    []QueueEntry `json:"entries"`
	Version    uint64       `json:"version"`
}

// QueueEntry is one waiting visit.
type QueueEntry struct {
	VisitID     string    `json:"visitId"`
	Position    int       `json:"position"`
	DisplayName string    `json:"displayName"`
	ServiceName string    `json:"serviceName"`
	KnockedAt   time.Time `json:"knockedAt"`
	Appointment bool      `json:"appointment"`
	Language    string    `json:"language"`
	Needs       []string  `json:"needs"`
}

// CaseDesk is the clerk's work on cases.
type CaseDesk interface {
	ListCases(ctx context.Context, p Principal, status string) ([]CaseSummary, error)
	Case(ctx context.Context, p Principal, reference string) (CaseDetail, error)
	// The case steps take the form's request ID (a hidden field, one per
	// rendered form): a form sent twice stores its step once.
	AddNote(ctx context.Context, p Principal, reference, request, text string, visible bool) error
	RequestDocument(ctx context.Context, p Principal, reference, request, what string) error
	ChangeStatus(ctx context.Context, p Principal, reference, request, status string) error
	HandOver(ctx context.Context, p Principal, reference, request, toStaffID string) error
	Close(ctx context.Context, p Principal, reference, request, outcome string) error
}

// Case states and outcomes the pages offer.
var (
	CaseStatuses = []string{"open", "in_progress", "waiting_for_citizen", "closed"}
	CaseOutcomes = []string{"resolved", "referred", "withdrawn", "rejected"}
)

// CaseSummary is one row of the case list.
type CaseSummary struct {
	Reference   string
	OfficeName  string
	ServiceName string
	Status      string
	Opened      time.Time
	Updated     time.Time
}

// CaseDetail is a case as its clerk sees it.
type CaseDetail struct {
	CaseSummary
	CitizenName string
	Notes       []NoteView
	Documents   []DocumentView
	Colleagues  []StaffOption
}

// NoteView is a note on a case.
type NoteView struct {
	At      time.Time
	Author  string
	Text    string
	Visible bool // visible to the citizen
}

// DocumentView is a requested document.
type DocumentView struct {
	What      string
	Requested time.Time
	Received  bool
}

// StaffOption is a colleague a case can be handed over to.
type StaffOption struct {
	ID   string
	Name string
}

// Audit replays a case for an auditor. Every call is an auditor access that
// the application records.
type Audit interface {
	Timeline(ctx context.Context, p Principal, reference string) (TimelineView, error)
	// Export is the case history as JSON.
	Export(ctx context.Context, p Principal, reference string) ([]byte, error)
}

// TimelineView is a case history, one step per event.
type TimelineView struct {
	Reference string
	Steps     []StepView
	Integrity IntegrityView
}

// StepView is one event and the state after it.
type StepView struct {
	Number  int
	At      time.Time
	Type    string // event type, e.g. CaseNoteAdded
	Actor   string // role and ID, never a name
	Summary string
	State   []Field
}

// Field is a named value of the folded state.
type Field struct {
	Name  string
	Value string
}

// IntegrityView is the result of verifying a case's hash chain.
type IntegrityView struct {
	Verified bool
	Head     string // hash of the last event
	Problem  string // empty when verified
}

// Admin manages offices and staff.
type Admin interface {
	Offices(ctx context.Context, p Principal) ([]AdminOfficeView, error)
	CreateOffice(ctx context.Context, p Principal, name, description string) (string, error)
	AddService(ctx context.Context, p Principal, officeID, name string, minutes int) error
	SetHours(ctx context.Context, p Principal, officeID string, week []HoursLine) error
	AddException(ctx context.Context, p Principal, officeID string, e ExceptionView) error
	Staff(ctx context.Context, p Principal) ([]StaffView, error)
	CreateStaff(ctx context.Context, p Principal, s NewStaff) error
	AssignOffices(ctx context.Context, p Principal, staffID string, officeIDs []string) error
}

// AdminOfficeView is an office with everything an admin edits.
type AdminOfficeView struct {
	OfficeView
	Exceptions []ExceptionView
}

// ExceptionView is a day that differs from the weekly hours.
type ExceptionView struct {
	Date   string // YYYY-MM-DD
	Closed bool
	Open   string
	Close  string
	Reason string
}

// StaffView is a staff account.
type StaffView struct {
	ID       string
	Username string
	Name     string
	Role     string
	Offices  []string
}

// NewStaff creates a staff account.
type NewStaff struct {
	Username string
	Name     string
	Role     string
	Password string
}
