// Package mediabridge connects the media relay (adapters/media) to the
// calls service (application/calls): Relay implements calls.Relay on a
// *media.Relay, mapping types and errors, and Observer forwards the
// relay's callbacks to a calls.Observer. New builds all three in the order
// their references need.
package mediabridge

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/application/calls"
)

// Bridge is a running relay and the calls service that drives it.
type Bridge struct {
	Media *media.Relay
	Calls *calls.Service
}

// New starts a relay with mediaCfg and a calls service with callsCfg (its
// Relay is set here), with the relay's callbacks going to the service.
// Close the bridge to stop the relay.
func New(mediaCfg media.Config, callsCfg calls.Config) (*Bridge, error) {
	obs := &Observer{}
	r, err := media.New(mediaCfg, obs)
	if err != nil {
		return nil, err
	}
	callsCfg.Relay = Relay{R: r}
	svc, err := calls.New(callsCfg)
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	obs.Attach(svc)
	return &Bridge{Media: r, Calls: svc}, nil
}

// Close closes the relay: every room ends (shutdown), which ends no visit.
func (b *Bridge) Close() error { return b.Media.Close() }

// Relay implements calls.Relay on a *media.Relay.
type Relay struct{ R *media.Relay }

var _ calls.Relay = Relay{}

// OpenRoom implements calls.Relay.
func (r Relay) OpenRoom(room string) error { return mapErr(r.R.OpenRoom(media.RoomID(room))) }

// Join implements calls.Relay.
func (r Relay) Join(ctx context.Context, req calls.JoinRequest) (calls.JoinResult, error) {
	role, err := media.ParseRole(req.Role.String())
	if err != nil {
		return calls.JoinResult{}, calls.ErrInvalidRole
	}
	res, err := r.R.Join(ctx, media.JoinRequest{
		Room: media.RoomID(req.Room), Role: role, ClientAddr: req.ClientAddr, OfferSDP: req.OfferSDP,
		Participant: media.ParticipantID(req.Participant),
	})
	if err != nil {
		return calls.JoinResult{}, mapErr(err)
	}
	return calls.JoinResult{Participant: string(res.Participant), AnswerSDP: res.AnswerSDP}, nil
}

// Renegotiate implements calls.Relay.
func (r Relay) Renegotiate(ctx context.Context, room, participant, offerSDP string) (string, error) {
	a, err := r.R.Renegotiate(ctx, media.RoomID(room), media.ParticipantID(participant), offerSDP)
	return a, mapErr(err)
}

// Leave implements calls.Relay.
func (r Relay) Leave(room, participant string) error {
	return mapErr(r.R.Leave(media.RoomID(room), media.ParticipantID(participant)))
}

// CloseRoom implements calls.Relay.
func (r Relay) CloseRoom(room string, reason calls.Reason) error {
	var why media.Reason
	switch reason {
	case calls.ReasonCompleted:
		why = media.ReasonCompleted
	case calls.ReasonAborted:
		why = media.ReasonAborted
	case calls.ReasonShutdown:
		why = media.ReasonShutdown
	default:
		return errors.New("mediabridge: a room closes as completed, aborted or shutdown")
	}
	return mapErr(r.R.CloseRoom(media.RoomID(room), why))
}

// ICEServers implements calls.Relay.
func (r Relay) ICEServers(participant string) ([]calls.ICEServer, error) {
	list, err := r.R.ICEServers(media.ParticipantID(participant))
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]calls.ICEServer, len(list))
	for i, s := range list {
		out[i] = calls.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential}
	}
	return out, nil
}

// mapErr turns the relay's errors into the calls port's. Errors the client
// can act on become the bare calls error (its message is what the client
// sees); anything else keeps the relay's error for the logs.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range []struct{ from, to error }{
		{media.ErrUnknownRoom, calls.ErrUnknownRoom},
		{media.ErrUnknownParticipant, calls.ErrUnknownParticipant},
		{media.ErrRoomClosed, calls.ErrCallEnded},
		{media.ErrRoomExists, calls.ErrRoomExists},
		{media.ErrRoomFull, calls.ErrCallFull},
		{media.ErrRoleTaken, calls.ErrRoleTaken},
		{media.ErrParticipantExists, calls.ErrRoleTaken},
		{media.ErrNegotiationInProgress, calls.ErrNegotiationInProgress},
		{media.ErrInvalidSDP, calls.ErrInvalidOffer},
		{media.ErrInvalidRequest, calls.ErrInvalidOffer},
		{media.ErrNoTURN, calls.ErrNoTURN},
	} {
		if errors.Is(err, m.from) {
			return m.to
		}
	}
	for _, busy := range []error{media.ErrTooManyRooms, media.ErrTooManyConnections, media.ErrRelayClosed} {
		if errors.Is(err, busy) {
			return errors.Join(calls.ErrBusy, err)
		}
	}
	return err
}

// Observer implements media.Observer by forwarding to a calls.Observer
// attached after the relay was built (the service needs the relay first).
// Callbacks before Attach are dropped; none can come, as rooms are opened
// only through the service.
type Observer struct {
	to atomic.Pointer[calls.Observer]
}

var _ media.Observer = (*Observer)(nil)

// Attach sets where callbacks go.
func (o *Observer) Attach(to calls.Observer) { o.to.Store(&to) }

func (o *Observer) target() calls.Observer {
	if p := o.to.Load(); p != nil {
		return *p
	}
	return nil
}

// CallStarted implements media.Observer.
func (o *Observer) CallStarted(room media.RoomID, at time.Time) {
	if t := o.target(); t != nil {
		t.CallStarted(string(room), at)
	}
}

// ParticipantJoined implements media.Observer.
func (o *Observer) ParticipantJoined(room media.RoomID, p media.ParticipantID, role media.Role) {
	if t := o.target(); t != nil {
		if r, err := calls.ParseRole(role.String()); err == nil {
			t.ParticipantJoined(string(room), string(p), r)
		}
	}
}

// ParticipantLeft implements media.Observer.
func (o *Observer) ParticipantLeft(room media.RoomID, p media.ParticipantID, role media.Role, why media.Reason) {
	t := o.target()
	if t == nil {
		return
	}
	r, err := calls.ParseRole(role.String())
	if err != nil {
		return
	}
	reason, err := calls.ParseReason(why.String())
	if err != nil {
		reason = calls.ReasonConnectionLost
	}
	t.ParticipantLeft(string(room), string(p), r, reason)
}

// CallEnded implements media.Observer.
func (o *Observer) CallEnded(room media.RoomID, d time.Duration, why media.Reason) {
	if t := o.target(); t != nil {
		reason, err := calls.ParseReason(why.String())
		if err != nil {
			reason = calls.ReasonAborted
		}
		t.CallEnded(string(room), d, reason)
	}
}
