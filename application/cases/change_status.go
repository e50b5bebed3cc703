package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// ChangeStatus moves a case's working state (not to closed: see CloseCase).
type ChangeStatus struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	To            casefile.Status
}

// ChangeStatusHandler handles ChangeStatus.
type ChangeStatusHandler struct{ d deps }

// NewChangeStatusHandler refuses missing dependencies.
func NewChangeStatusHandler(d Deps) (ChangeStatusHandler, error) {
	dd, err := newDeps(d)
	return ChangeStatusHandler{d: dd}, err
}

// Handle records the new status; the same status again changes nothing.
func (h ChangeStatusHandler) Handle(ctx context.Context, c command.Context, cmd ChangeStatus) (command.Saved, error) {
	_, saved, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "change-status", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.ChangeStatus(cmd.To, now)
	})
	return saved, err
}
