package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CloseCase finishes a case with an outcome and an optional summary.
type CloseCase struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	Outcome       casefile.Outcome
	Summary       string
}

// CloseCaseHandler handles CloseCase.
type CloseCaseHandler struct{ d deps }

// NewCloseCaseHandler refuses missing dependencies.
func NewCloseCaseHandler(d Deps) (CloseCaseHandler, error) {
	dd, err := newDeps(d)
	return CloseCaseHandler{d: dd}, err
}

// Handle closes the case; every later step fails with casefile.ErrClosed.
func (h CloseCaseHandler) Handle(ctx context.Context, c command.Context, cmd CloseCase) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleClerk); err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "close-case", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.Close(cmd.Outcome, cmd.Summary, now)
	})
	return saved, err
}
