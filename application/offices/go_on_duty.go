package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// GoOnDuty starts the acting clerk's duty at an office (allowed before opening, to prepare).
// The clerk is the command context's actor.
type GoOnDuty struct {
	OfficeID domain.OfficeID
}

// GoOnDutyHandler handles GoOnDuty.
type GoOnDutyHandler struct{ u updater }

// NewGoOnDutyHandler refuses an incomplete env.
func NewGoOnDutyHandler(env command.Env) (GoOnDutyHandler, error) {
	u, err := newUpdater(env)
	return GoOnDutyHandler{u: u}, err
}

// Handle records the duty change for the acting clerk.
func (h GoOnDutyHandler) Handle(ctx context.Context, c command.Context, cmd GoOnDuty) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.GoOnDuty(clerk, now)
	})
}
