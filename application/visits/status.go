package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// VisitStatus asks, with the visit token, where a visit stands. The queue
// position comes from the read side; this is the authoritative state.
type VisitStatus struct {
	VisitID domain.VisitID
	Token   string
}

// VisitView is what the citizen sees of their visit. Once admitted it
// carries the case reference and the case token, which lets the citizen
// follow the case and continue it on a later visit.
type VisitView struct {
	VisitID       domain.VisitID
	OfficeID      domain.OfficeID
	ServiceID     domain.ServiceID
	Status        visit.Status
	KnockedAt     time.Time
	CallID        domain.CallID
	CaseReference casefile.Reference
	CaseToken     string
}

// VisitStatusHandler answers VisitStatus.
type VisitStatusHandler struct{ d deps }

// NewVisitStatusHandler refuses missing dependencies.
func NewVisitStatusHandler(d Deps) (VisitStatusHandler, error) {
	dd, err := newDeps(d)
	return VisitStatusHandler{d: dd}, err
}

// Handle loads the visit if the token matches.
func (h VisitStatusHandler) Handle(ctx context.Context, q VisitStatus) (VisitView, error) {
	if _, err := h.d.asCitizen(command.Context{}, q.VisitID, q.Token); err != nil {
		return VisitView{}, err
	}
	l, err := h.d.visits.Load(ctx, visit.StreamName(q.VisitID))
	if err != nil {
		return VisitView{}, err
	}
	v := l.Aggregate
	out := VisitView{VisitID: v.ID(), OfficeID: v.Office(), ServiceID: v.Service(), Status: v.Status(), KnockedAt: v.KnockedAt(), CallID: v.Call()}
	if id, ref := v.Case(); !id.IsZero() {
		out.CaseReference, out.CaseToken = ref, cases.Token(h.d.Tokens, id)
	}
	return out, nil
}
