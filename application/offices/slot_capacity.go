package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// SetSlotCapacity changes how many appointments one slot can take.
type SetSlotCapacity struct {
	OfficeID     domain.OfficeID
	SlotCapacity int
}

// SetSlotCapacityHandler handles SetSlotCapacity.
type SetSlotCapacityHandler struct{ u updater }

// NewSetSlotCapacityHandler refuses an incomplete env.
func NewSetSlotCapacityHandler(env command.Env) (SetSlotCapacityHandler, error) {
	u, err := newUpdater(env)
	return SetSlotCapacityHandler{u: u}, err
}

// Handle records the new capacity.
func (h SetSlotCapacityHandler) Handle(ctx context.Context, c command.Context, cmd SetSlotCapacity) (command.Saved, error) {
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.SetSlotCapacity(cmd.SlotCapacity, now)
	})
}
