package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Decline turns a waiting visit away with a reason shown to the citizen.
// With ReferToOffice (and ReferToService) the visit moves into that
// office's queue instead, keeping its knock time.
type Decline struct {
	VisitID        domain.VisitID
	Reason         string
	ReferToOffice  domain.OfficeID
	ReferToService domain.ServiceID
}

// DeclineHandler handles Decline.
type DeclineHandler struct{ d deps }

// NewDeclineHandler refuses missing dependencies.
func NewDeclineHandler(d Deps) (DeclineHandler, error) {
	dd, err := newDeps(d)
	return DeclineHandler{d: dd}, err
}

// Handle declines or refers the visit as the acting clerk.
func (h DeclineHandler) Handle(ctx context.Context, c command.Context, cmd Decline) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	if cmd.ReferToOffice.IsZero() {
		_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
			return v.Decline(clerk, cmd.Reason, now)
		})
		return saved, err
	}
	target, err := h.d.offices.Load(ctx, office.StreamName(cmd.ReferToOffice))
	if err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.Refer(visit.ReferCommand{ClerkID: clerk, ToServiceID: cmd.ReferToService, Reason: cmd.Reason}, target.Aggregate, now)
	})
	return saved, err
}
