package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// StartCaseCall records on the case that its video call began (the
// StartCaseCallOnVisitCallStarted policy issues it).
type StartCaseCall struct {
	CaseID  domain.CaseID
	CallID  domain.CallID
	VisitID domain.VisitID
	At      time.Time
}

// StartCaseCallHandler handles StartCaseCall.
type StartCaseCallHandler struct{ d deps }

// NewStartCaseCallHandler refuses missing dependencies.
func NewStartCaseCallHandler(d Deps) (StartCaseCallHandler, error) {
	dd, err := newDeps(d)
	return StartCaseCallHandler{d: dd}, err
}

// Handle records the start; repeating it changes nothing. w: see OpenCase.
func (h StartCaseCallHandler) Handle(ctx context.Context, c command.Context, cmd StartCaseCall, w *command.Write) error {
	_, _, err := h.d.update(ctx, c, cmd.CaseID, w, func(cs *casefile.Case, _ time.Time) error {
		return cs.StartCall(cmd.CallID, cmd.VisitID, cmd.At)
	})
	return err
}
