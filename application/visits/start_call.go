package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// StartCall records that the media session of an admitted visit connected
// (the media adapter issues it as the system, or the clerk's workspace).
type StartCall struct {
	VisitID domain.VisitID
}

// StartCallHandler handles StartCall.
type StartCallHandler struct{ d deps }

// NewStartCallHandler refuses missing dependencies.
func NewStartCallHandler(d Deps) (StartCallHandler, error) {
	dd, err := newDeps(d)
	return StartCallHandler{d: dd}, err
}

// Handle records the call start; repeating it changes nothing.
func (h StartCallHandler) Handle(ctx context.Context, c command.Context, cmd StartCall) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleSystem, domain.RoleClerk); err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error { return v.StartCall(now) })
	return saved, err
}
