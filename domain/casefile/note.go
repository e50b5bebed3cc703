package casefile

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// MaxNote is the longest note.
const MaxNote = 4000

// AddNote adds a note by author, internal or visible to the citizen.
func (c *Case) AddNote(id domain.NoteID, text string, visibility Visibility, author domain.Actor, at time.Time) error {
	if err := domain.RequireID("note id", id); err != nil {
		return err
	}
	text, err := domain.CleanText("note", text, 1, MaxNote, true)
	if err != nil {
		return err
	}
	if visibility.IsZero() {
		return domain.Wrapf(ErrInvalidVisibility, "visibility is required")
	}
	if author.IsZero() {
		return domain.Wrapf(domain.ErrInvalidActor, "author is required")
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	c.record(CaseNoteAdded{CaseID: c.id, NoteID: id, Text: text, Visibility: visibility,
		AuthorRole: author.Role(), AuthorID: author.ID(), AddedAt: at})
	return nil
}
