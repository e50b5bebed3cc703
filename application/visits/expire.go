package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Expire ends a waiting visit whose page has been gone for the grace period
// (the read side's timer issues it as the system).
type Expire struct {
	VisitID domain.VisitID
}

// ExpireHandler handles Expire.
type ExpireHandler struct{ d deps }

// NewExpireHandler refuses missing dependencies.
func NewExpireHandler(d Deps) (ExpireHandler, error) {
	dd, err := newDeps(d)
	return ExpireHandler{d: dd}, err
}

// Handle expires the visit or returns visit.ErrStillPresent / ErrNotWaiting.
func (h ExpireHandler) Handle(ctx context.Context, c command.Context, cmd Expire) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleSystem); err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.Expire(now, h.d.GracePeriod)
	})
	return saved, err
}
