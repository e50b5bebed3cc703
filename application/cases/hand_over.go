package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// HandOver moves a case to another office and/or clerk; ToClerkID may be
// zero (the office picks it up).
type HandOver struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	ToOfficeID    domain.OfficeID
	ToClerkID     domain.ClerkID
}

// HandOverHandler handles HandOver.
type HandOverHandler struct{ d deps }

// NewHandOverHandler refuses missing dependencies.
func NewHandOverHandler(d Deps) (HandOverHandler, error) {
	dd, err := newDeps(d)
	return HandOverHandler{d: dd}, err
}

// Handle records the handover.
func (h HandOverHandler) Handle(ctx context.Context, c command.Context, cmd HandOver) (command.Saved, error) {
	_, saved, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "hand-over", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.HandOver(cmd.ToOfficeID, cmd.ToClerkID, now)
	})
	return saved, err
}
