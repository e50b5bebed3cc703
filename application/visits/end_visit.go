package visits

import (
	"context"

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

// Handle records VisitCallEnded (if a call ran) and VisitEnded, then frees
// the clerk on the office at once (as FreeClerkOnVisitEnded would); ending
// an ended visit changes nothing. Only the admitting clerk or the system
// may end a visit.
func (h EndVisitHandler) Handle(ctx context.Context, c command.Context, cmd EndVisit) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleSystem, domain.RoleClerk); err != nil {
		return command.Saved{}, err
	}
	var actingClerk domain.ClerkID
	if c.Actor.Role() == domain.RoleClerk {
		id, err := command.ClerkOf(c)
		if err != nil {
			return command.Saved{}, err
		}
		actingClerk = id
	}
	if err := domain.RequireID("visit id", cmd.VisitID); err != nil {
		return command.Saved{}, err
	}
	meta := h.d.Env.Meta(c)
	ids, w := h.d.drawIDs(command.Write{Meta: meta})
	v, saved, err := h.d.visits.Update(ctx, visit.StreamName(cmd.VisitID), w, func(v *visit.Visit) error {
		if !actingClerk.IsZero() && v.Status() != visit.StatusEnded && v.Clerk() != actingClerk {
			return visit.ErrWrongClerk
		}
		return v.End(cmd.Reason, meta.OccurredAt)
	})
	if err != nil {
		return saved, err
	}
	if i := indexOf(v.Changes(), "VisitEnded"); i >= 0 && saved.Appended > 0 {
		h.d.freeClerk(ctx, FreeClerkOnEndedPolicy, v.Office(), v.Clerk(), v.ID(), meta.CorrelationID, ids[i])
	}
	return saved, nil
}
