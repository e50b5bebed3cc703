package cases

import (
	"context"
	"errors"
	"io"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// GetDocument opens a document of a case by its SHA-256 (staff only).
type GetDocument struct {
	CaseID domain.CaseID
	SHA256 string
}

// GetDocumentHandler handles GetDocument.
type GetDocumentHandler struct{ d deps }

// NewGetDocumentHandler refuses missing dependencies, the blob store included.
func NewGetDocumentHandler(d Deps) (GetDocumentHandler, error) {
	if d.Blobs == nil {
		return GetDocumentHandler{}, errors.New("cases: a blob store is required")
	}
	dd, err := newDeps(d)
	return GetDocumentHandler{d: dd}, err
}

// Handle opens the document if the case recorded it; the caller closes it.
func (h GetDocumentHandler) Handle(ctx context.Context, c command.Context, q GetDocument) (io.ReadCloser, error) {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleAuditor); err != nil {
		return nil, err
	}
	evs, err := h.d.Env.Store.Load(ctx, casefile.StreamName(q.CaseID))
	if errors.Is(err, eventlog.ErrStreamNotFound) {
		return nil, casefile.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if d, ok := e.Event.(casefile.CaseDocumentReceived); ok && d.SHA256 == q.SHA256 {
			return h.d.Blobs.Get(ctx, DocumentKey(q.CaseID, q.SHA256))
		}
	}
	return nil, ErrDocumentNotFound
}
