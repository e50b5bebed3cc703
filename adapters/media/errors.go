package media

import (
	"errors"
	"fmt"
)

// Errors returned by the Relay, to be matched with errors.Is. The comment
// after each says how an HTTP layer would usually map it.
var (
	ErrUnknownRoom           = errors.New("media: unknown room")                            // not found
	ErrUnknownParticipant    = errors.New("media: unknown participant")                     // not found
	ErrRoomClosed            = errors.New("media: room closed")                             // conflict (gone)
	ErrRoomExists            = errors.New("media: room already open")                       // conflict
	ErrRoomFull              = errors.New("media: room full")                               // conflict
	ErrRoleTaken             = errors.New("media: role already present in room")            // conflict
	ErrParticipantExists     = errors.New("media: participant ID already in use")           // conflict
	ErrTooManyRooms          = errors.New("media: too many rooms on this relay")            // unavailable
	ErrTooManyConnections    = errors.New("media: too many connections from this address")  // too many requests
	ErrNegotiationInProgress = errors.New("media: a relay offer is waiting for its answer") // conflict, retry
	ErrInvalidRequest        = errors.New("media: invalid request")                         // invalid
	ErrInvalidSDP            = errors.New("media: invalid SDP")                             // invalid
	ErrRelayClosed           = errors.New("media: relay closed")                            // unavailable
	ErrNoTURN                = errors.New("media: no TURN server configured")               // not found
)

// OpError carries the operation, room and participant of a failed call, and
// wraps one of the Err… values above (and sometimes a Pion error as detail).
type OpError struct {
	Op          string
	Room        RoomID
	Participant ParticipantID
	Err         error
}

func (e *OpError) Error() string {
	s := "media: " + e.Op + " room " + string(e.Room)
	if e.Participant != "" {
		s += " participant " + string(e.Participant)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *OpError) Unwrap() error { return e.Err }

func opErr(op string, room RoomID, p ParticipantID, err error) error {
	return &OpError{Op: op, Room: room, Participant: p, Err: err}
}

// detail wraps a sentinel with a lower-level cause so both match errors.Is.
func detail(sentinel, cause error) error {
	return fmt.Errorf("%w: %w", sentinel, cause)
}
