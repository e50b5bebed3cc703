package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// EndCaseCall records on the case that its video call ended (the
// EndCaseCallOnVisitCallEnded policy issues it).
type EndCaseCall struct {
	CaseID domain.CaseID
	CallID domain.CallID
	Reason casefile.CallEndReason
	At     time.Time
}

// EndCaseCallHandler handles EndCaseCall.
type EndCaseCallHandler struct{ d deps }

// NewEndCaseCallHandler refuses missing dependencies.
func NewEndCaseCallHandler(d Deps) (EndCaseCallHandler, error) {
	dd, err := newDeps(d)
	return EndCaseCallHandler{d: dd}, err
}

// Handle records the end; ending a call that is not running changes nothing.
func (h EndCaseCallHandler) Handle(ctx context.Context, c command.Context, cmd EndCaseCall, w *command.Write) error {
	_, _, err := h.d.update(ctx, c, cmd.CaseID, w, func(cs *casefile.Case, _ time.Time) error {
		return cs.EndCall(cmd.CallID, cmd.Reason, cmd.At)
	})
	return err
}
