package readmodel

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CaseSummary is a case as case lists show it: reference, status and
// times, never notes, documents or names.
type CaseSummary struct {
	CaseID    domain.CaseID
	Reference casefile.Reference
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
	ClerkID   domain.ClerkID
	VisitID   domain.VisitID
	Status    casefile.Status
	Outcome   casefile.Outcome // zero while open
	OpenedAt  time.Time
	ClosedAt  time.Time // zero while open
	// OpenDocumentRequests counts requested documents not yet received.
	OpenDocumentRequests int
	LastActivityAt       time.Time
}

// Cases is the case list read model (projection "CaseListProjection").
type Cases struct {
	notify readside.ChangeNotifier

	mu    sync.RWMutex
	tr    readside.Tracker
	cases map[domain.CaseID]*caseState
}

type caseState struct {
	CaseSummary
	requests map[domain.DocumentRequestID]bool // requested → received
}

var _ readside.Handler = (*Cases)(nil)

// NewCases returns an empty case list model; notify may be nil.
func NewCases(notify readside.ChangeNotifier) *Cases {
	return &Cases{notify: notifierOr(notify), cases: map[domain.CaseID]*caseState{}}
}

// Name implements readside.Handler.
func (c *Cases) Name() string { return "CaseListProjection" }

// Handle implements readside.Handler.
func (c *Cases) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	changes := func() []readside.Change {
		c.mu.Lock()
		defer c.mu.Unlock() // also when apply panics: the router recovers and retries
		if c.tr.Seen(e.Position) {
			return nil
		}
		changes := c.apply(e.Event, e.Position)
		c.tr.Mark(e.Position) // not on a panic: the retry applies it again
		return changes
	}()
	notifyAll(c.notify, changes)
	return nil
}

func (c *Cases) apply(ev domain.Event, p eventlog.Position) []readside.Change {
	if e, ok := ev.(casefile.CaseOpened); ok {
		cs := &caseState{CaseSummary: CaseSummary{
			CaseID: e.CaseID, Reference: e.Reference, OfficeID: e.OfficeID, ServiceID: e.ServiceID, ClerkID: e.ClerkID,
			VisitID: e.VisitID, Status: casefile.StatusOpen, OpenedAt: e.OpenedAt, LastActivityAt: e.OpenedAt,
		}, requests: map[domain.DocumentRequestID]bool{}}
		c.cases[e.CaseID] = cs
		return []readside.Change{cs.change(p)}
	}
	var id domain.CaseID
	var at time.Time
	var f func(*caseState)
	switch e := ev.(type) {
	case casefile.CaseNoteAdded:
		id, at = e.CaseID, e.AddedAt
	case casefile.CaseDocumentRequested:
		id, at, f = e.CaseID, e.RequestedAt, func(cs *caseState) { cs.requests[e.RequestID] = false }
	case casefile.CaseDocumentReceived:
		id, at, f = e.CaseID, e.ReceivedAt, func(cs *caseState) {
			if _, ok := cs.requests[e.RequestID]; ok {
				cs.requests[e.RequestID] = true
			}
		}
	case casefile.CaseStatusChanged:
		id, at, f = e.CaseID, e.ChangedAt, func(cs *caseState) { cs.Status = e.To }
	case casefile.CaseFollowUpProposed:
		id, at = e.CaseID, e.ProposedAt
	case casefile.CaseClosed:
		id, at, f = e.CaseID, e.ClosedAt, func(cs *caseState) { cs.Status, cs.Outcome, cs.ClosedAt = casefile.StatusClosed, e.Outcome, e.ClosedAt }
	case casefile.CallStarted:
		id, at = e.CaseID, e.StartedAt
	case casefile.CallEnded:
		id, at = e.CaseID, e.EndedAt
	case casefile.CaseHandedOver:
		cs, ok := c.cases[e.CaseID]
		if !ok {
			return nil
		}
		before := cs.change(p)
		cs.OfficeID, cs.ClerkID, cs.LastActivityAt = e.ToOfficeID, e.ToClerkID, e.HandedOverAt
		return []readside.Change{before, cs.change(p)} // both lists move
	default:
		return nil
	}
	cs, ok := c.cases[id]
	if !ok {
		return nil
	}
	if f != nil {
		f(cs)
	}
	open := 0
	for _, received := range cs.requests {
		if !received {
			open++
		}
	}
	cs.OpenDocumentRequests = open
	if at.After(cs.LastActivityAt) {
		cs.LastActivityAt = at
	}
	return []readside.Change{cs.change(p)}
}

func (cs *caseState) change(p eventlog.Position) readside.Change {
	return readside.Change{Kind: readside.KindCase, OfficeID: cs.OfficeID, ClerkID: cs.ClerkID, CaseID: cs.CaseID, VisitID: cs.VisitID, Position: p}
}

// Case returns one case summary.
func (c *Cases) Case(id domain.CaseID) (CaseSummary, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cs, ok := c.cases[id]
	if !ok {
		return CaseSummary{}, false
	}
	return cs.CaseSummary, true
}

// CaseFilter selects cases for a list; zero fields match everything.
type CaseFilter struct {
	OfficeID domain.OfficeID
	ClerkID  domain.ClerkID
	OpenOnly bool
}

// List returns the matching cases, most recently opened first.
func (c *Cases) List(f CaseFilter) []CaseSummary {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []CaseSummary
	for _, cs := range c.cases {
		if (f.OfficeID.IsZero() || cs.OfficeID == f.OfficeID) &&
			(f.ClerkID.IsZero() || cs.ClerkID == f.ClerkID) &&
			(!f.OpenOnly || cs.Status != casefile.StatusClosed) {
			out = append(out, cs.CaseSummary)
		}
	}
	slices.SortFunc(out, func(a, b CaseSummary) int {
		if c := b.OpenedAt.Compare(a.OpenedAt); c != 0 {
			return c
		}
		return compareIDs(a.CaseID, b.CaseID)
	})
	return out
}
