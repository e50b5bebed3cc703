package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// ResumeDuty ends the acting clerk's pause.
// The clerk is the command context's actor.
type ResumeDuty struct {
	OfficeID domain.OfficeID
}

// ResumeDutyHandler handles ResumeDuty.
type ResumeDutyHandler struct{ u updater }

// NewResumeDutyHandler refuses an incomplete env.
func NewResumeDutyHandler(env command.Env) (ResumeDutyHandler, error) {
	u, err := newUpdater(env)
	return ResumeDutyHandler{u: u}, err
}

// Handle records the duty change for the acting clerk.
func (h ResumeDutyHandler) Handle(ctx context.Context, c command.Context, cmd ResumeDuty) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.Resume(clerk, now)
	})
}
