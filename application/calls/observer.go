package calls

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/policies"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// RelayActor is the system actor of the commands the relay's callbacks
// cause.
const RelayActor = "CallRelay"

var _ Observer = (*Service)(nil)

// relayContext is the command context of a relay callback.
func relayContext() command.Context {
	a, _ := domain.NewActor(domain.RoleSystem, RelayActor)
	return command.Context{Actor: a}
}

// ParticipantActor is how a call participant appears on the case: the
// domain role of the call role and "<call role>:<participant ID>", a random
// ID, never a name.
func ParticipantActor(role Role, participant string) (domain.Actor, error) {
	return domain.NewActor(role.domainRole(), role.String()+":"+participant)
}

func (s *Service) room(id string) (*room, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[id]
	return r, ok
}

func (s *Service) recordCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.cfg.RecordTimeout)
}

// logFailure logs a failed recording with IDs only. Domain refusals (the
// step is recorded already, the visit has ended) are expected and quiet.
func (s *Service) logFailure(step string, r *room, err error) {
	if err == nil || !domain.CategoryOf(err).IsZero() {
		return
	}
	s.cfg.Logger.Error("calls: recording a call step failed", "step", step, "visit", r.visit.String(), "call", r.call.String(), "error", err.Error())
}

// CallStarted records VisitCallStarted and, with the policy's event IDs,
// CallStarted on the case.
func (s *Service) CallStarted(id string, _ time.Time) {
	r, ok := s.room(id)
	if !ok {
		return
	}
	s.mu.Lock()
	r.started = true
	s.mu.Unlock()
	ctx, cancel := s.recordCtx()
	defer cancel()
	if _, err := s.startCall.Handle(ctx, relayContext(), visitsStartCall(r.visit)); err != nil {
		s.logFailure("visit call started", r, err)
		return
	}
	e, ok, err := s.visitEvent(ctx, r, "VisitCallStarted")
	if err != nil || !ok {
		s.logFailure("find visit call started", r, err)
		return
	}
	started := e.Event.(visit.VisitCallStarted)
	pc, w, err := policyWrite(s.cfg.Env, policies.StartCaseCallOnVisitCallStarted, e)
	if err == nil {
		err = s.startCase.Handle(ctx, pc, cases.StartCaseCall{CaseID: r.caseID, CallID: r.call, VisitID: r.visit, At: started.StartedAt}, &w)
	}
	s.logFailure("case call started", r, err)
}

// ParticipantJoined records CallParticipantJoined on the case.
func (s *Service) ParticipantJoined(id, participant string, role Role) {
	r, ok := s.room(id)
	if !ok {
		return
	}
	s.mu.Lock()
	r.present[participant] = role
	if role == RoleCitizen {
		r.citizenGone = Reason{}
	}
	s.mu.Unlock()
	s.recordParticipant(r, participant, role, true)
}

// ParticipantLeft records CallParticipantLeft on the case; when the last
// participant has left, the visit and its call end.
func (s *Service) ParticipantLeft(id, participant string, role Role, reason Reason) {
	s.tokens.unseat(id, participant)
	r, ok := s.room(id)
	if !ok {
		return
	}
	s.mu.Lock()
	delete(r.present, participant)
	if role == RoleCitizen {
		r.citizenGone = reason
	}
	last := r.started && len(r.present) == 0 && !r.ending && reason != ReasonRoomClosed && reason != ReasonShutdown
	if last {
		r.ending = true
	}
	s.mu.Unlock()
	s.recordParticipant(r, participant, role, false)
	if last {
		s.endEmptyCall(id, r)
	}
}

func (s *Service) recordParticipant(r *room, participant string, role Role, joined bool) {
	who, err := ParticipantActor(role, participant)
	if err != nil {
		s.logFailure("participant", r, err)
		return
	}
	ctx, cancel := s.recordCtx()
	defer cancel()
	_, err = s.record.Handle(ctx, relayContext(), cases.RecordCallParticipant{CaseID: r.caseID, CallID: r.call, Participant: who, Joined: joined})
	s.logFailure("participant", r, err)
}

// endEmptyCall ends the visit whose call everyone has left, records the
// case's call end as EndCaseCallOnVisitCallEnded would, and closes the
// room.
func (s *Service) endEmptyCall(id string, r *room) {
	s.mu.Lock()
	why := visit.EndCompleted
	switch r.citizenGone {
	case ReasonLeft:
		why = visit.EndCitizenLeft
	case ReasonConnectionLost, ReasonNegotiationFailed:
		why = visit.EndConnectionLost
	}
	s.mu.Unlock()
	ctx, cancel := s.recordCtx()
	defer cancel()
	if _, err := s.endVisit.Handle(ctx, relayContext(), visitsEndVisit(r.visit, why)); err != nil {
		s.logFailure("visit ended", r, err)
	} else {
		s.endCaseCall(ctx, r)
	}
	s.closeRoom(id, ReasonCompleted)
}

// endCaseCall records the case's CallEnded with the event IDs of
// EndCaseCallOnVisitCallEnded (nothing if the policy was first).
func (s *Service) endCaseCall(ctx context.Context, r *room) {
	e, ok, err := s.visitEvent(ctx, r, "VisitCallEnded")
	if err != nil || !ok {
		s.logFailure("find visit call ended", r, err)
		return
	}
	ended := e.Event.(visit.VisitCallEnded)
	reason, err := casefile.ParseCallEndReason(ended.Reason.String())
	if err != nil {
		s.logFailure("call end reason", r, err)
		return
	}
	pc, w, err := policyWrite(s.cfg.Env, policies.EndCaseCallOnVisitCallEnded, e)
	if err == nil {
		err = s.endCase.Handle(ctx, pc, cases.EndCaseCall{CaseID: r.caseID, CallID: r.call, Reason: reason, At: ended.EndedAt}, &w)
	}
	s.logFailure("case call ended", r, err)
}

// CallEnded forgets the room and its tokens. The events of the end are
// recorded where it was decided (the visit ended; the last participant
// left); a relay shutting down ends no visit: the citizen and the clerk
// ask for new tokens and meet in a new room.
func (s *Service) CallEnded(id string, _ time.Duration, _ Reason) {
	s.tokens.revoke(id)
	s.mu.Lock()
	delete(s.rooms, id)
	s.mu.Unlock()
}

// closeRoom closes a room of this relay; a room already closed or unknown
// here is fine.
func (s *Service) closeRoom(id string, reason Reason) {
	s.tokens.revoke(id)
	err := s.relay.CloseRoom(id, reason)
	if err != nil && !errors.Is(err, ErrCallEnded) && !errors.Is(err, ErrUnknownRoom) {
		s.cfg.Logger.Error("calls: closing a room failed", "call", id, "error", err.Error())
	}
}

// visitEvent finds the last event of type typ of the room's call on the
// visit stream.
func (s *Service) visitEvent(ctx context.Context, r *room, typ string) (eventlog.RecordedEvent, bool, error) {
	evs, err := s.cfg.Env.Store.Load(ctx, visit.StreamName(r.visit))
	if err != nil {
		return eventlog.RecordedEvent{}, false, err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if e.Type != typ {
			continue
		}
		switch ev := e.Event.(type) {
		case visit.VisitCallStarted:
			if ev.CallID == r.call {
				return e, true, nil
			}
		case visit.VisitCallEnded:
			if ev.CallID == r.call {
				return e, true, nil
			}
		}
	}
	return eventlog.RecordedEvent{}, false, nil
}

// policyWrite is the context and write the named policy uses for e, so
// that whichever of the policy and this service runs second writes
// nothing.
func policyWrite(env command.Env, policy string, e eventlog.RecordedEvent) (command.Context, command.Write, error) {
	pc, err := command.CausedBy(policy, e)
	if err != nil {
		return command.Context{}, command.Write{}, err
	}
	return pc, command.PolicyWrite(env.Meta(pc), policy, e.ID), nil
}
