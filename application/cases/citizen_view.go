package cases

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CitizenCase asks for the citizen's view of a case: by case ID, or by
// reference (needs the ReferenceAllocator), always with the case token.
type CitizenCase struct {
	CaseID    domain.CaseID
	Reference casefile.Reference
	Token     string
}

// CitizenCaseHandler answers CitizenCase from the case stream.
type CitizenCaseHandler struct{ d deps }

// NewCitizenCaseHandler refuses missing dependencies.
func NewCitizenCaseHandler(d Deps) (CitizenCaseHandler, error) {
	dd, err := newDeps(d)
	return CitizenCaseHandler{d: dd}, err
}

// Handle returns reference, status and the visible notes; internal notes
// never leave. A wrong token and an unknown reference look the same
// (forbidden), so references cannot be probed.
func (h CitizenCaseHandler) Handle(ctx context.Context, q CitizenCase) (casefile.CitizenView, error) {
	id := q.CaseID
	if id.IsZero() && !q.Reference.IsZero() && h.d.References != nil {
		resolved, err := h.d.References.Resolve(ctx, q.Reference)
		if err != nil {
			return casefile.CitizenView{}, command.ErrBadToken
		}
		id = resolved
	}
	if id.IsZero() {
		return casefile.CitizenView{}, command.ErrBadToken
	}
	if err := command.CheckToken(q.Token, Token(h.d.Tokens, id)); err != nil {
		return casefile.CitizenView{}, err
	}
	l, err := h.d.cases.Load(ctx, casefile.StreamName(id))
	if err != nil {
		return casefile.CitizenView{}, err
	}
	if !q.Reference.IsZero() && l.Aggregate.Reference() != q.Reference {
		return casefile.CitizenView{}, command.ErrBadToken
	}
	return casefile.CitizenViewOf(l.Aggregate), nil
}
