package calls

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// HandlerName is the stable name of Handler.
const HandlerName = "CloseCallRoomOnVisitEnded"

// Handler returns the read-side handler that closes this instance's room of
// a visit when the visit ends (completed) or goes back to the waiting room
// (aborted), and forgets the call's tokens. Every instance runs it; only
// the one relaying the call has the room. Closing is idempotent, so
// at-least-once delivery needs no tracking.
func (s *Service) Handler() readside.Handler { return closeHandler{s} }

type closeHandler struct{ s *Service }

func (closeHandler) Name() string { return HandlerName }

// StreamPrefixes lists the streams the handler reads.
func (closeHandler) StreamPrefixes() []string { return []string{"visit-"} }

func (h closeHandler) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	var id domain.VisitID
	reason := ReasonCompleted
	switch ev := e.Event.(type) {
	case visit.VisitEnded:
		id = ev.VisitID
	case visit.VisitReturnedToWaitingRoom:
		id, reason = ev.VisitID, ReasonAborted
	default:
		return nil
	}
	h.s.mu.Lock()
	var rooms []string
	for rid, r := range h.s.rooms {
		if r.visit == id {
			rooms = append(rooms, rid)
		}
	}
	h.s.mu.Unlock()
	for _, rid := range rooms {
		h.s.closeRoom(rid, reason)
	}
	return nil
}

func visitsStartCall(id domain.VisitID) visits.StartCall { return visits.StartCall{VisitID: id} }

func visitsEndVisit(id domain.VisitID, why visit.EndReason) visits.EndVisit {
	return visits.EndVisit{VisitID: id, Reason: why}
}
