package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// PresenceLost: the waiting page went away (the live-view adapter noticed
// the stream close, as the system). Repeating it changes nothing.
type PresenceLost struct {
	VisitID domain.VisitID
}

// PresenceLostHandler handles PresenceLost.
type PresenceLostHandler struct{ d deps }

// NewPresenceLostHandler refuses missing dependencies.
func NewPresenceLostHandler(d Deps) (PresenceLostHandler, error) {
	dd, err := newDeps(d)
	return PresenceLostHandler{d: dd}, err
}

// Handle records the loss; the expiry timer may end the visit after the
// grace period.
func (h PresenceLostHandler) Handle(ctx context.Context, c command.Context, cmd PresenceLost) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleSystem); err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error { return v.PresenceLost(now) })
	return saved, err
}
