package audit

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Fold turns a case stream into steps, each with the state after it.
//
// The domain's Case has no exported single-event apply, and calling
// casefile.FromEvents on every prefix costs O(n²) (about half a second for
// 1,000 events). So Fold keeps the auditor's CaseState incrementally
// (O(n)) and then proves it right: casefile.FromEvents must accept the
// whole history, and the domain's final state must equal the folded one.
func Fold(evs []eventlog.RecordedEvent) ([]Step, error) {
	steps := make([]Step, 0, len(evs))
	var st CaseState
	var open []domain.DocumentRequestID
	history := make([]domain.Event, 0, len(evs))
	for _, e := range evs {
		if err := applyState(&st, &open, e.Event); err != nil {
			return nil, fmt.Errorf("audit: revision %d: %w", e.Revision, err)
		}
		st.OpenDocumentRequests = len(open)
		history = append(history, e.Event)
		steps = append(steps, Step{
			Revision: e.Revision, EventID: e.ID, Type: e.Type, OccurredAt: e.Meta.OccurredAt, RecordedAt: e.RecordedAt,
			ActorRole: e.Meta.Actor.Role().String(), ActorID: e.Meta.Actor.ID(), Data: json.RawMessage(e.Data),
			PrevHash: e.Meta.PrevHash, Hash: eventlog.Hash(e), State: st,
		})
	}
	if len(history) == 0 {
		return steps, nil
	}
	cs, err := casefile.FromEvents(history)
	if err != nil {
		return nil, err
	}
	if final := stateOf(cs); final != st {
		return nil, fmt.Errorf("audit: folded state %+v differs from the domain's %+v", st, final)
	}
	return steps, nil
}

// applyState mirrors casefile's apply for the fields of CaseState.
func applyState(st *CaseState, open *[]domain.DocumentRequestID, e domain.Event) error {
	switch e := e.(type) {
	case casefile.CaseOpened:
		*st = CaseState{Reference: e.Reference.String(), Status: casefile.StatusOpen.String(), OfficeID: e.OfficeID,
			ServiceID: e.ServiceID, ClerkID: e.ClerkID, VisitID: e.VisitID}
	case casefile.CaseNoteAdded:
		st.Notes++
	case casefile.CaseDocumentRequested:
		*open = append(*open, e.RequestID)
	case casefile.CaseDocumentReceived:
		*open = slices.DeleteFunc(*open, func(id domain.DocumentRequestID) bool { return id == e.RequestID })
	case casefile.CaseStatusChanged:
		st.Status = e.To.String()
	case casefile.CaseHandedOver:
		st.OfficeID, st.ClerkID = e.ToOfficeID, e.ToClerkID
	case casefile.CaseFollowUpProposed, casefile.CallParticipantJoined, casefile.CallParticipantLeft:
	case casefile.CaseClosed:
		st.Status, st.Outcome, st.Closed = casefile.StatusClosed.String(), e.Outcome.String(), true
	case casefile.CallStarted:
		st.ActiveCall = e.CallID
	case casefile.CallEnded:
		st.ActiveCall = domain.CallID{}
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "case: %s", e.EventType())
	}
	return nil
}
