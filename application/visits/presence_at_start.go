package visits

import (
	"context"
	"errors"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Pages remembers the waiting pages this process has seen since it
// started (every Heartbeat). When the process starts, no page can be
// connected to it: the events may still say "present" for visits whose page
// was open when the previous process was killed or stopped. Once the read
// models have caught up, LosePresenceAtStart records those as lost, except
// the ones whose page has already come back here (a page that reconnected
// while the read side caught up).
type Pages struct {
	mu   sync.Mutex
	seen map[domain.VisitID]bool
}

// NewPages returns an empty record.
func NewPages() *Pages { return &Pages{seen: map[domain.VisitID]bool{}} }

func (p *Pages) saw(id domain.VisitID) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[id] = true
}

func (p *Pages) hasSeen(id domain.VisitID) bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[id]
}

// LosePresenceAtStart: the visits the read side shows as present when this
// process started. Each whose page has not been seen since records
// VisitPresenceLost now, so the grace period runs and the expiry timer
// ends the visit unless the page returns.
type LosePresenceAtStart struct {
	VisitIDs []domain.VisitID
}

// LosePresenceAtStartHandler handles LosePresenceAtStart.
type LosePresenceAtStartHandler struct {
	lost PresenceLostHandler
	d    deps
}

// NewLosePresenceAtStartHandler refuses missing dependencies.
func NewLosePresenceAtStartHandler(d Deps) (LosePresenceAtStartHandler, error) {
	dd, err := newDeps(d)
	if err != nil {
		return LosePresenceAtStartHandler{}, err
	}
	return LosePresenceAtStartHandler{lost: PresenceLostHandler{d: dd}, d: dd}, nil
}

// Handle records the losses and returns how many it recorded. A visit that
// moved on meanwhile is skipped; other failures are joined.
func (h LosePresenceAtStartHandler) Handle(ctx context.Context, c command.Context, cmd LosePresenceAtStart) (int, error) {
	if err := c.RequireRole(domain.RoleSystem); err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, id := range cmd.VisitIDs {
		if h.d.Pages.hasSeen(id) {
			continue
		}
		saved, err := h.lost.Handle(ctx, c, PresenceLost{VisitID: id})
		if err != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			if domain.CategoryOf(err) != domain.CategoryPrecondition {
				errs = append(errs, err)
			}
			continue
		}
		n += saved.Appended
	}
	return n, errors.Join(errs...)
}
