package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// ReturnToWaitingRoom sends an admitted citizen back to wait, keeping the
// knock time (and the case: a later admission continues it).
type ReturnToWaitingRoom struct {
	VisitID domain.VisitID
}

// ReturnToWaitingRoomHandler handles ReturnToWaitingRoom.
type ReturnToWaitingRoomHandler struct{ d deps }

// NewReturnToWaitingRoomHandler refuses missing dependencies.
func NewReturnToWaitingRoomHandler(d Deps) (ReturnToWaitingRoomHandler, error) {
	dd, err := newDeps(d)
	return ReturnToWaitingRoomHandler{d: dd}, err
}

// Handle returns the visit to the queue; only the admitting clerk may.
func (h ReturnToWaitingRoomHandler) Handle(ctx context.Context, c command.Context, cmd ReturnToWaitingRoom) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.ReturnToWaitingRoom(clerk, now)
	})
	return saved, err
}
