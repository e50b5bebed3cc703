package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Heartbeat: the citizen's waiting page is there (with the visit token).
// It writes only when presence had been lost (VisitPresenceRegained), so a
// page may send it every few seconds.
type Heartbeat struct {
	VisitID domain.VisitID
	Token   string
}

// HeartbeatHandler handles Heartbeat.
type HeartbeatHandler struct{ d deps }

// NewHeartbeatHandler refuses missing dependencies.
func NewHeartbeatHandler(d Deps) (HeartbeatHandler, error) {
	dd, err := newDeps(d)
	return HeartbeatHandler{d: dd}, err
}

// Handle records regained presence if it had been lost.
func (h HeartbeatHandler) Handle(ctx context.Context, c command.Context, cmd Heartbeat) (command.Saved, error) {
	c, err := h.d.asCitizen(c, cmd.VisitID, cmd.Token)
	if err != nil {
		return command.Saved{}, err
	}
	h.d.Pages.saw(cmd.VisitID)
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error { return v.PresenceRegained(now) })
	return saved, err
}
