package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// EndVisit ends an admitted visit and its running call. The clerk ends it
// with visit.EndCompleted; the media adapter reports the call ended with
// visit.EndCitizenLeft or visit.EndConnectionLost (the domain ends the
// visit with the call: a citizen who drops out knocks again).
type EndVisit struct {
	VisitID domain.VisitID
	Reason  visit.EndReason
}

// EndVisitHandler handles EndVisit.
type EndVisitHandler struct{ d deps }

// NewEndVisitHandler refuses missing dependencies.
func NewEndVisitHandler(d Deps) (EndVisitHandler, error) {
	dd, err := newDeps(d)
	return EndVisitHandler{d: dd}, err
}

// Handle records VisitCallEnded (if a call ran) and VisitEnded; ending an
// ended visit changes nothing.
func (h EndVisitHandler) Handle(ctx context.Context, c command.Context, cmd EndVisit) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleSystem, domain.RoleClerk); err != nil {
		return command.Saved{}, err
	}
	if c.Actor.Role() == domain.RoleClerk {
		clerk, err := command.ClerkOf(c)
		if err != nil {
			return command.Saved{}, err
		}
		_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
			if v.Status() != visit.StatusEnded && v.Clerk() != clerk {
				return visit.ErrWrongClerk
			}
			return v.End(cmd.Reason, now)
		})
		return saved, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error { return v.End(cmd.Reason, now) })
	return saved, err
}
