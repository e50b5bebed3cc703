package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Withdraw: the citizen leaves the queue (with the visit token).
type Withdraw struct {
	VisitID domain.VisitID
	Token   string
}

// WithdrawHandler handles Withdraw.
type WithdrawHandler struct{ d deps }

// NewWithdrawHandler refuses missing dependencies.
func NewWithdrawHandler(d Deps) (WithdrawHandler, error) {
	dd, err := newDeps(d)
	return WithdrawHandler{d: dd}, err
}

// Handle withdraws the waiting visit.
func (h WithdrawHandler) Handle(ctx context.Context, c command.Context, cmd Withdraw) (command.Saved, error) {
	c, err := h.d.asCitizen(c, cmd.VisitID, cmd.Token)
	if err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error { return v.Withdraw(now) })
	return saved, err
}
