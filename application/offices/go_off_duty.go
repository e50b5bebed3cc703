package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// GoOffDuty ends the acting clerk's duty (a call must end first).
// The clerk is the command context's actor.
type GoOffDuty struct {
	OfficeID domain.OfficeID
}

// GoOffDutyHandler handles GoOffDuty.
type GoOffDutyHandler struct{ u updater }

// NewGoOffDutyHandler refuses an incomplete env.
func NewGoOffDutyHandler(env command.Env) (GoOffDutyHandler, error) {
	u, err := newUpdater(env)
	return GoOffDutyHandler{u: u}, err
}

// Handle records the duty change for the acting clerk.
func (h GoOffDutyHandler) Handle(ctx context.Context, c command.Context, cmd GoOffDuty) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.GoOffDuty(clerk, now)
	})
}
