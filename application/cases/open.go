package cases

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// OpenCase opens a case whose reference was allocated before (admission
// allocates it and records it in VisitAdmitted).
type OpenCase struct {
	CaseID    domain.CaseID
	Reference casefile.Reference
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
	VisitID   domain.VisitID
	ClerkID   domain.ClerkID
}

// ErrCaseMismatch is returned when a case with the ID exists with another
// reference.
var ErrCaseMismatch = domain.Conflict("case_mismatch", "a case with this ID exists with another reference")

// OpenCaseHandler handles OpenCase. It is idempotent: opening an open case
// with the same reference changes nothing, so the admission handler and the
// OpenCaseOnVisitAdmitted policy may both run it.
type OpenCaseHandler struct{ d deps }

// NewOpenCaseHandler refuses missing dependencies.
func NewOpenCaseHandler(d Deps) (OpenCaseHandler, error) {
	dd, err := newDeps(d)
	return OpenCaseHandler{d: dd}, err
}

// Handle opens the case. w derives the event IDs (policies); nil: random.
func (h OpenCaseHandler) Handle(ctx context.Context, c command.Context, cmd OpenCase, w *command.Write) (created bool, err error) {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleSystem); err != nil {
		return false, err
	}
	cs, err := casefile.Open(casefile.OpenCommand{
		CaseID: cmd.CaseID, Reference: cmd.Reference, OfficeID: cmd.OfficeID, ServiceID: cmd.ServiceID,
		VisitID: cmd.VisitID, ClerkID: cmd.ClerkID,
	}, h.d.Env.Clock.Now())
	if err != nil {
		return false, err
	}
	write := command.Write{Meta: h.d.Env.Meta(c)}
	if w != nil {
		write = *w
	}
	stream := casefile.StreamName(cmd.CaseID)
	_, err = h.d.cases.Create(ctx, stream, write, cs)
	var ce *command.ConflictError
	if !errors.As(err, &ce) {
		return err == nil, err
	}
	existing, lerr := h.d.cases.Load(ctx, stream)
	if lerr != nil {
		return false, lerr
	}
	if existing.Aggregate.Reference() != cmd.Reference {
		return false, errors.Join(ErrCaseMismatch, err)
	}
	return false, nil
}
