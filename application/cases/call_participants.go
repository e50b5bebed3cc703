package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// RecordCallParticipant records that a participant (role and opaque ID)
// joined or left a case's call. The media adapter issues it as the system;
// the participant is named in the command, never by name.
type RecordCallParticipant struct {
	CaseID      domain.CaseID
	CallID      domain.CallID
	Participant domain.Actor
	Joined      bool // false: left
}

// RecordCallParticipantHandler handles RecordCallParticipant.
type RecordCallParticipantHandler struct{ d deps }

// NewRecordCallParticipantHandler refuses missing dependencies.
func NewRecordCallParticipantHandler(d Deps) (RecordCallParticipantHandler, error) {
	dd, err := newDeps(d)
	return RecordCallParticipantHandler{d: dd}, err
}

// Handle records the join or leave.
func (h RecordCallParticipantHandler) Handle(ctx context.Context, c command.Context, cmd RecordCallParticipant) (command.Saved, error) {
	_, saved, err := h.d.update(ctx, c, cmd.CaseID, nil, func(cs *casefile.Case, now time.Time) error {
		if cmd.Joined {
			return cs.JoinCall(cmd.CallID, cmd.Participant, now)
		}
		return cs.LeaveCall(cmd.CallID, cmd.Participant, now)
	})
	return saved, err
}
