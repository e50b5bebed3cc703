package casefile

import (
	"fmt"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Case is the case aggregate (Vorgang). Create it with Open, load it with
// FromEvents; the zero value is not usable.
type Case struct {
	domain.Base
	id        domain.CaseID
	reference Reference
	office    domain.OfficeID
	service   domain.ServiceID
	visit     domain.VisitID
	clerk     domain.ClerkID
	status    Status
	outcome   Outcome
	notes     []Note
	openDocs  []domain.DocumentRequestID
	call      activeCall
}

type activeCall struct {
	id           domain.CallID
	startedAt    time.Time
	participants []participant
}

type participant struct {
	role domain.Role
	id   string
}

// Note is a note as the case keeps it.
type Note struct {
	ID         domain.NoteID
	Text       string
	Visibility Visibility
	AuthorRole domain.Role
	AddedAt    time.Time
}

// FromEvents rehydrates a case from its stream, oldest event first.
func FromEvents(history []domain.Event) (*Case, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	if _, ok := history[0].(CaseOpened); !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "case stream starts with %s", history[0].EventType())
	}
	c := &Case{}
	for _, e := range history {
		if err := c.apply(e); err != nil {
			return nil, err
		}
		c.Loaded()
	}
	return c, nil
}

func (c *Case) record(e domain.Event) {
	if err := c.apply(e); err != nil {
		panic(fmt.Sprintf("casefile: recorded event does not apply: %v", err)) // programming error
	}
	c.Track(e)
}

func (c *Case) apply(e domain.Event) error {
	switch e := e.(type) {
	case CaseOpened:
		c.id, c.reference, c.office, c.service = e.CaseID, e.Reference, e.OfficeID, e.ServiceID
		c.visit, c.clerk, c.status = e.VisitID, e.ClerkID, StatusOpen
	case CaseNoteAdded:
		c.notes = append(c.notes, Note{ID: e.NoteID, Text: e.Text, Visibility: e.Visibility, AuthorRole: e.AuthorRole, AddedAt: e.AddedAt})
	case CaseDocumentRequested:
		c.openDocs = append(c.openDocs, e.RequestID)
	case CaseDocumentReceived:
		c.openDocs = slices.DeleteFunc(c.openDocs, func(id domain.DocumentRequestID) bool { return id == e.RequestID })
	case CaseStatusChanged:
		c.status = e.To
	case CaseHandedOver:
		c.office, c.clerk = e.ToOfficeID, e.ToClerkID
	case CaseFollowUpProposed:
	case CaseClosed:
		c.status, c.outcome = StatusClosed, e.Outcome
	case CallStarted:
		c.call = activeCall{id: e.CallID, startedAt: e.StartedAt}
	case CallParticipantJoined:
		c.call.participants = append(c.call.participants, participant{e.Role, e.ParticipantID})
	case CallParticipantLeft:
		c.call.participants = slices.DeleteFunc(c.call.participants, func(p participant) bool {
			return p == participant{e.Role, e.ParticipantID}
		})
	case CallEnded:
		c.call = activeCall{}
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "case: %s", e.EventType())
	}
	return nil
}

func (c *Case) ID() domain.CaseID         { return c.id }
func (c *Case) Reference() Reference      { return c.reference }
func (c *Case) Office() domain.OfficeID   { return c.office }
func (c *Case) Service() domain.ServiceID { return c.service }
func (c *Case) Visit() domain.VisitID     { return c.visit }
func (c *Case) Clerk() domain.ClerkID     { return c.clerk }
func (c *Case) Status() Status            { return c.status }
func (c *Case) Outcome() Outcome          { return c.outcome }
func (c *Case) Notes() []Note             { return slices.Clone(c.notes) }
func (c *Case) ActiveCall() domain.CallID { return c.call.id }
func (c *Case) IsClosed() bool            { return c.status == StatusClosed }

// OpenDocumentRequests returns the requests not yet answered.
func (c *Case) OpenDocumentRequests() []domain.DocumentRequestID { return slices.Clone(c.openDocs) }

func (c *Case) requireOpen() error {
	if c.status == StatusClosed {
		return ErrClosed
	}
	return nil
}
