package casefile

import (
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// StartCall records that a call of this case began (policy on
// VisitCallStarted). One call runs at a time; starting the running call
// again does nothing.
func (c *Case) StartCall(call domain.CallID, visit domain.VisitID, at time.Time) error {
	if err := domain.RequireID("call id", call); err != nil {
		return err
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	switch c.call.id {
	case call:
		return nil
	case domain.CallID{}:
	default:
		return ErrCallActive
	}
	c.record(CallStarted{CaseID: c.id, CallID: call, VisitID: visit, StartedAt: at})
	return nil
}

// JoinCall records a participant (role and opaque ID, never a name).
func (c *Case) JoinCall(call domain.CallID, who domain.Actor, at time.Time) error {
	if err := c.requireCall(call, who); err != nil {
		return err
	}
	if slices.Contains(c.call.participants, participant{who.Role(), who.ID()}) {
		return ErrParticipantPresent
	}
	c.record(CallParticipantJoined{CaseID: c.id, CallID: call, Role: who.Role(), ParticipantID: who.ID(), JoinedAt: at})
	return nil
}

// LeaveCall records that a participant left.
func (c *Case) LeaveCall(call domain.CallID, who domain.Actor, at time.Time) error {
	if err := c.requireCall(call, who); err != nil {
		return err
	}
	if !slices.Contains(c.call.participants, participant{who.Role(), who.ID()}) {
		return ErrParticipantAbsent
	}
	c.record(CallParticipantLeft{CaseID: c.id, CallID: call, Role: who.Role(), ParticipantID: who.ID(), LeftAt: at})
	return nil
}

// EndCall ends the running call; those still in it leave first. Ending a
// call that is not running does nothing, so a retried policy is harmless.
func (c *Case) EndCall(call domain.CallID, reason CallEndReason, at time.Time) error {
	if reason.IsZero() {
		return domain.Wrapf(ErrInvalidCallEndReason, "reason is required")
	}
	if c.call.id != call || call.IsZero() {
		return nil
	}
	for _, p := range slices.Clone(c.call.participants) {
		c.record(CallParticipantLeft{CaseID: c.id, CallID: call, Role: p.role, ParticipantID: p.id, LeftAt: at})
	}
	d := max(at.Sub(c.call.startedAt), 0)
	c.record(CallEnded{CaseID: c.id, CallID: call, DurationSeconds: int64(d / time.Second), Reason: reason, EndedAt: at})
	return nil
}

func (c *Case) requireCall(call domain.CallID, who domain.Actor) error {
	if who.IsZero() {
		return domain.Wrapf(domain.ErrInvalidActor, "participant is required")
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if call.IsZero() || c.call.id != call {
		return ErrNoActiveCall
	}
	return nil
}
