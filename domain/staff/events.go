package staff

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// StaffUserCreated creates a staff user. Username is the login handle (no
// display name); PasswordHash is a PHC string produced by the application.
type StaffUserCreated struct {
	UserID       UserID            `json:"userId"`
	Username     string            `json:"username"`
	Roles        []Role            `json:"roles"`
	Offices      []domain.OfficeID `json:"offices"`
	PasswordHash string            `json:"passwordHash"`
	CreatedAt    time.Time         `json:"createdAt"`
}

// StaffPasswordChanged replaces the password hash.
type StaffPasswordChanged struct {
	UserID       UserID    `json:"userId"`
	PasswordHash string    `json:"passwordHash"`
	ChangedAt    time.Time `json:"changedAt"`
}

// StaffOfficesAssigned replaces the offices a clerk serves.
type StaffOfficesAssigned struct {
	UserID     UserID            `json:"userId"`
	Offices    []domain.OfficeID `json:"offices"`
	AssignedAt time.Time         `json:"assignedAt"`
}

// StaffUserDisabled: the user can no longer log in; open sessions end.
type StaffUserDisabled struct {
	UserID     UserID    `json:"userId"`
	DisabledAt time.Time `json:"disabledAt"`
}

// StaffUsernameClaimed is the only event of a username claim stream
// (UsernameStreamName): it points the username at its user.
type StaffUsernameClaimed struct {
	Username  string    `json:"username"`
	UserID    UserID    `json:"userId"`
	ClaimedAt time.Time `json:"claimedAt"`
}

// StaffDirectoryEntryAdded lists a user in the staff directory stream
// (DirectoryStream), which the user list reads instead of scanning $all.
type StaffDirectoryEntryAdded struct {
	UserID  UserID    `json:"userId"`
	AddedAt time.Time `json:"addedAt"`
}

func (StaffUserCreated) EventType() string     { return "StaffUserCreated" }
func (StaffPasswordChanged) EventType() string { return "StaffPasswordChanged" }
func (StaffOfficesAssigned) EventType() string { return "StaffOfficesAssigned" }
func (StaffUserDisabled) EventType() string    { return "StaffUserDisabled" }
func (StaffUsernameClaimed) EventType() string { return "StaffUsernameClaimed" }
func (StaffDirectoryEntryAdded) EventType() string {
	return "StaffDirectoryEntryAdded"
}

// EventTypes returns a zero value of every staff event, for the event store's
// type registry.
func EventTypes() []domain.Event {
	return []domain.Event{
		StaffUserCreated{}, StaffPasswordChanged{}, StaffOfficesAssigned{},
		StaffUserDisabled{}, StaffUsernameClaimed{}, StaffDirectoryEntryAdded{},
	}
}
