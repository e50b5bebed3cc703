package media

import (
	"fmt"

	"github.com/google/uuid"
)

// RoomID identifies one room; the application uses the visit's ID.
type RoomID string

// ParticipantID identifies one participant of one room. It is random and
// carries no personal data.
type ParticipantID string

// NewParticipantID returns a fresh random participant ID. The application may
// issue one before Join (for example to hand out TURN credentials with
// ICEServers) and pass it in JoinRequest.Participant.
func NewParticipantID() ParticipantID { return ParticipantID(uuid.NewString()) }

// Role is what a participant is in a call. The zero Role is invalid.
type Role struct{ s string }

// The roles of a call. Citizen and clerk are unique per room; guests
// (interpreter, colleague) are invited by the clerk and limited only by the
// room's size.
var (
	RoleCitizen     = Role{"citizen"}
	RoleClerk       = Role{"clerk"}
	RoleInterpreter = Role{"interpreter"}
	RoleColleague   = Role{"colleague"}
)

// ParseRole turns the string form of a role back into a Role.
func ParseRole(s string) (Role, error) {
	for _, r := range []Role{RoleCitizen, RoleClerk, RoleInterpreter, RoleColleague} {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, fmt.Errorf("media: unknown role %q", s)
}

// String returns the role's stable name.
func (r Role) String() string { return r.s }

// IsZero reports whether r is the invalid zero role.
func (r Role) IsZero() bool { return r.s == "" }

// unique reports whether at most one participant may hold the role at a time.
func (r Role) unique() bool { return r == RoleCitizen || r == RoleClerk }

// Reason says why a participant left or why a call ended. The zero Reason is
// invalid.
type Reason struct{ s string }

// Reasons reported to the Observer. CloseRoom accepts ReasonCompleted,
// ReasonAborted and ReasonShutdown.
var (
	// ReasonLeft: the participant left through Leave.
	ReasonLeft = Reason{"left"}
	// ReasonConnectionLost: the participant's connection failed or was closed
	// by the client without Leave (after the ICE failed timeout).
	ReasonConnectionLost = Reason{"connection_lost"}
	// ReasonNegotiationFailed: the client did not answer a relay offer in time
	// or its answer was unusable.
	ReasonNegotiationFailed = Reason{"negotiation_failed"}
	// ReasonRoomClosed: the room was closed while the participant was in it.
	ReasonRoomClosed = Reason{"room_closed"}
	// ReasonCompleted: the call ended normally.
	ReasonCompleted = Reason{"completed"}
	// ReasonAborted: the call was ended early by the application.
	ReasonAborted = Reason{"aborted"}
	// ReasonShutdown: the relay was shut down.
	ReasonShutdown = Reason{"shutdown"}
)

// String returns the reason's stable name.
func (r Reason) String() string { return r.s }

// IsZero reports whether r is the invalid zero reason.
func (r Reason) IsZero() bool { return r.s == "" }
