package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// RequestDocument asks the citizen for a document by a due date.
type RequestDocument struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	What          string
	DueDate       hours.Date
}

// RequestDocumentHandler handles RequestDocument.
type RequestDocumentHandler struct{ d deps }

// NewRequestDocumentHandler refuses missing dependencies.
func NewRequestDocumentHandler(d Deps) (RequestDocumentHandler, error) {
	dd, err := newDeps(d)
	return RequestDocumentHandler{d: dd}, err
}

// Handle records the request and returns its ID, which the citizen's upload
// answers.
func (h RequestDocumentHandler) Handle(ctx context.Context, c command.Context, cmd RequestDocument) (domain.DocumentRequestID, error) {
	if err := c.RequireRole(domain.RoleClerk); err != nil {
		return domain.DocumentRequestID{}, err
	}
	id := domain.IDFrom[domain.DocumentRequestID](command.RequestDerivedID(h.d.Env.IDs, "document-request", cmd.CaseID.UUID(), cmd.ClientRequest))
	_, _, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "request-document", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.RequestDocument(id, cmd.What, cmd.DueDate, now)
	})
	return id, err
}
