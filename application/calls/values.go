package calls

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Role is what a participant is in a call. The zero Role is invalid.
type Role struct{ s string }

// The roles of a call: citizen and clerk once each, guests invited by the
// admitting clerk.
var (
	RoleCitizen     = Role{"citizen"}
	RoleClerk       = Role{"clerk"}
	RoleInterpreter = Role{"interpreter"}
	RoleColleague   = Role{"colleague"}
)

var roles = []Role{RoleCitizen, RoleClerk, RoleInterpreter, RoleColleague}

// ErrInvalidRole is returned for unknown call roles.
var ErrInvalidRole = domain.Invalid("invalid_call_role", "unknown call role")

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range roles {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, domain.Wrapf(ErrInvalidRole, "%q", s)
}

func (r Role) String() string { return r.s }

// IsZero reports whether r is the zero Role.
func (r Role) IsZero() bool { return r == Role{} }

// IsGuest reports whether the role is one the clerk invites.
func (r Role) IsGuest() bool { return r == RoleInterpreter || r == RoleColleague }

// domainRole is the role a call participant is recorded with on the case.
func (r Role) domainRole() domain.Role {
	if r == RoleClerk || r == RoleColleague {
		return domain.RoleClerk
	}
	return domain.RoleCitizen
}

// Reason says why a participant left or a call ended, as the relay reports
// it.
type Reason struct{ s string }

// The relay's reasons.
var (
	ReasonLeft              = Reason{"left"}
	ReasonConnectionLost    = Reason{"connection_lost"}
	ReasonNegotiationFailed = Reason{"negotiation_failed"}
	ReasonRoomClosed        = Reason{"room_closed"}
	ReasonCompleted         = Reason{"completed"}
	ReasonAborted           = Reason{"aborted"}
	ReasonShutdown          = Reason{"shutdown"}
)

var reasons = []Reason{ReasonLeft, ReasonConnectionLost, ReasonNegotiationFailed, ReasonRoomClosed, ReasonCompleted, ReasonAborted, ReasonShutdown}

// ParseReason parses a reason name.
func ParseReason(s string) (Reason, error) {
	for _, r := range reasons {
		if r.s == s {
			return r, nil
		}
	}
	return Reason{}, errors.New("calls: unknown reason " + s)
}

func (r Reason) String() string { return r.s }

// IsZero reports whether r is the zero Reason.
func (r Reason) IsZero() bool { return r == Reason{} }

// JoinRequest is a join as the relay needs it.
type JoinRequest struct {
	Room        string
	Role        Role
	ClientAddr  netip.Addr
	OfferSDP    string
	Participant string // issued with the token, so TURN credentials match
}

// JoinResult is the relay's answer, complete with ICE candidates.
type JoinResult struct {
	Participant string
	AnswerSDP   string
}

// ICEServer is one entry of a client's RTCPeerConnection iceServers.
type ICEServer struct {
	URLs       []string
	Username   string
	Credential string
}

// Relay is the port to the media relay (adapters/mediabridge wraps
// adapters/media). Errors must match the Err… values below where one fits.
type Relay interface {
	OpenRoom(room string) error
	Join(ctx context.Context, req JoinRequest) (JoinResult, error)
	Renegotiate(ctx context.Context, room, participant, offerSDP string) (string, error)
	Leave(room, participant string) error
	CloseRoom(room string, reason Reason) error
	// ICEServers returns TURN servers with credentials for participant, or
	// ErrNoTURN.
	ICEServers(participant string) ([]ICEServer, error)
}

// Observer is the relay's lifecycle callbacks in plain types; Service
// implements it, and the media bridge forwards the relay's Observer to it.
// Callbacks arrive one at a time, in order.
type Observer interface {
	CallStarted(room string, at time.Time)
	ParticipantJoined(room, participant string, role Role)
	ParticipantLeft(room, participant string, role Role, reason Reason)
	CallEnded(room string, duration time.Duration, reason Reason)
}

// Errors of the relay port and the service. The domain ones carry their
// category for the HTTP layer's one mapper.
var (
	// ErrUnauthorized: the join or participant token is forged, expired,
	// already used or for another visit. The HTTP layer answers 401.
	ErrUnauthorized = domain.Forbidden("call_token_invalid", "the call token is invalid, expired or already used")
	// ErrNotAdmitted: the visit is not admitted (or its call is over).
	ErrNotAdmitted = domain.Precondition("visit_not_in_call", "the visit is not admitted, so it has no call")
	// ErrNotAdmittingClerk: only the clerk who admitted the visit joins as
	// clerk and invites guests.
	ErrNotAdmittingClerk = domain.Forbidden("not_admitting_clerk", "only the clerk who admitted the visit may do this")
	// ErrTooManyGuests: MaxGuests are invited or in the call already.
	ErrTooManyGuests = domain.Conflict("too_many_call_guests", "the call has as many guests as it may have")
	// ErrCallFull: the relay's room is full.
	ErrCallFull = domain.Conflict("call_full", "the call is full")
	// ErrRoleTaken: someone in this role is in the call already (citizen,
	// clerk).
	ErrRoleTaken = domain.Conflict("call_role_taken", "someone in this role is in the call already")
	// ErrCallEnded: the call's room is closed.
	ErrCallEnded = domain.Conflict("call_ended", "the call has ended")
	// ErrNegotiationInProgress: the relay waits for the answer to its own
	// offer; answer it on the signalling channel, then try again.
	ErrNegotiationInProgress = domain.Conflict("negotiation_in_progress", "the relay's offer is waiting for an answer; answer it, then try again")
	// ErrInvalidOffer: the SDP offer is unusable.
	ErrInvalidOffer = domain.Invalid("invalid_sdp_offer", "the SDP offer is unusable")
	// ErrUnknownRoom and ErrUnknownParticipant: not on this relay.
	ErrUnknownRoom        = domain.NotFound("call_not_found", "the call is not relayed here")
	ErrUnknownParticipant = domain.NotFound("call_participant_not_found", "no such participant in the call")

	// ErrRoomExists: OpenRoom of an open room (the service treats it as
	// success).
	ErrRoomExists = errors.New("calls: room already open")
	// ErrNoTURN: the relay has no TURN server (ICEServers answers an empty
	// list).
	ErrNoTURN = errors.New("calls: no TURN server")
	// ErrBusy: the relay or the token store is at a limit; try later
	// (the HTTP layer answers 503).
	ErrBusy = errors.New("calls: at capacity, try again later")
)
