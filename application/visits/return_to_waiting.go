package visits

import (
	"context"

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

// Handle returns the visit to the queue (only the admitting clerk may) and
// frees the clerk on the office at once, as
// FreeClerkOnVisitReturnedToWaitingRoom would.
func (h ReturnToWaitingRoomHandler) Handle(ctx context.Context, c command.Context, cmd ReturnToWaitingRoom) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	if err := domain.RequireID("visit id", cmd.VisitID); err != nil {
		return command.Saved{}, err
	}
	meta := h.d.Env.Meta(c)
	ids, w := h.d.drawIDs(command.Write{Meta: meta})
	var officeID domain.OfficeID
	v, saved, err := h.d.visits.Update(ctx, visit.StreamName(cmd.VisitID), w, func(v *visit.Visit) error {
		officeID = v.Office()
		return v.ReturnToWaitingRoom(clerk, meta.OccurredAt)
	})
	if err != nil {
		return saved, err
	}
	if i := indexOf(v.Changes(), "VisitReturnedToWaitingRoom"); i >= 0 {
		h.d.freeClerk(ctx, FreeClerkOnReturnedPolicy, officeID, clerk, v.ID(), meta.CorrelationID, ids[i])
	}
	return saved, nil
}
