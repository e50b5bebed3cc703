package cases

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// AddNote adds a note to a case, internal (staff only) or visible to the
// citizen. The author is the acting clerk.
type AddNote struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	Text          string
	Visibility    casefile.Visibility
}

// AddNoteHandler handles AddNote.
type AddNoteHandler struct{ d deps }

// NewAddNoteHandler refuses missing dependencies.
func NewAddNoteHandler(d Deps) (AddNoteHandler, error) {
	dd, err := newDeps(d)
	return AddNoteHandler{d: dd}, err
}

// Handle adds the note and returns its ID.
func (h AddNoteHandler) Handle(ctx context.Context, c command.Context, cmd AddNote) (domain.NoteID, error) {
	if err := c.RequireRole(domain.RoleClerk); err != nil {
		return domain.NoteID{}, err
	}
	id := domain.IDFrom[domain.NoteID](command.RequestDerivedID(h.d.Env.IDs, "note", cmd.CaseID.UUID(), cmd.ClientRequest))
	_, _, err := h.d.update(ctx, c, cmd.CaseID, h.d.requestWrite(c, "add-note", cmd.CaseID, cmd.ClientRequest), func(cs *casefile.Case, now time.Time) error {
		return cs.AddNote(id, cmd.Text, cmd.Visibility, c.Actor, now)
	})
	return id, err
}
