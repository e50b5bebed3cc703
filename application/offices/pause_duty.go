package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// PauseDuty pauses the acting clerk (not while in a call).
// The clerk is the command context's actor.
type PauseDuty struct {
	OfficeID domain.OfficeID
}

// PauseDutyHandler handles PauseDuty.
type PauseDutyHandler struct{ u updater }

// NewPauseDutyHandler refuses an incomplete env.
func NewPauseDutyHandler(env command.Env) (PauseDutyHandler, error) {
	u, err := newUpdater(env)
	return PauseDutyHandler{u: u}, err
}

// Handle records the duty change for the acting clerk.
func (h PauseDutyHandler) Handle(ctx context.Context, c command.Context, cmd PauseDuty) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.Pause(clerk, now)
	})
}
