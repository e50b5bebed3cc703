package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// SetOpeningHours replaces an office's weekly hours and exceptions.
type SetOpeningHours struct {
	OfficeID domain.OfficeID
	Hours    hours.Spec
}

// SetOpeningHoursHandler handles SetOpeningHours.
type SetOpeningHoursHandler struct{ u updater }

// NewSetOpeningHoursHandler refuses an incomplete env.
func NewSetOpeningHoursHandler(env command.Env) (SetOpeningHoursHandler, error) {
	u, err := newUpdater(env)
	return SetOpeningHoursHandler{u: u}, err
}

// Handle validates the hours and records them.
func (h SetOpeningHoursHandler) Handle(ctx context.Context, c command.Context, cmd SetOpeningHours) (command.Saved, error) {
	s, err := hours.New(cmd.Hours)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.SetHours(s, now)
	})
}
