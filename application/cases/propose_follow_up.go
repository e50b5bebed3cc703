package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// ProposeFollowUp proposes a follow-up appointment to the citizen; booking
// it is appointments.BookAppointment.
type ProposeFollowUp struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	OfficeID      domain.OfficeID
	ServiceID     domain.ServiceID
	Start         time.Time
	Note          string
}

// ProposeFollowUpHandler handles ProposeFollowUp.
type ProposeFollowUpHandler struct{ d deps }

// NewProposeFollowUpHandler refuses missing dependencies.
func NewProposeFollowUpHandler(d Deps) (ProposeFollowUpHandler, error) {
	dd, err := newDeps(d)
	return ProposeFollowUpHandler{d: dd}, err
}

// Handle records the proposal.
func (h ProposeFollowUpHandler) Handle(ctx context.Context, c command.Context, cmd ProposeFollowUp) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleClerk); err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "propose-follow-up", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.ProposeFollowUp(casefile.FollowUp{OfficeID: cmd.OfficeID, ServiceID: cmd.ServiceID, Start: cmd.Start, Note: cmd.Note}, now)
	})
	return saved, err
}
