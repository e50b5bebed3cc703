package visits

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// AdmitNext admits the first waiting visit of an office's queue.
type AdmitNext struct {
	OfficeID domain.OfficeID
}

// ErrQueueEmpty is returned when nobody is waiting.
var ErrQueueEmpty = domain.Precondition("queue_empty", "nobody is waiting")

// admitNextCandidates is how many queue heads AdmitNext tries: when several
// clerks press "next" at once they race for the head; the losers move on.
const admitNextCandidates = 5

// AdmitNextHandler handles AdmitNext.
type AdmitNextHandler struct {
	admit AdmitVisitHandler
	queue QueueReader
}

// NewAdmitNextHandler refuses missing dependencies, the queue included.
func NewAdmitNextHandler(d Deps) (AdmitNextHandler, error) {
	if d.Queue == nil {
		return AdmitNextHandler{}, errors.New("visits: AdmitNext needs a QueueReader")
	}
	a, err := NewAdmitVisitHandler(d)
	return AdmitNextHandler{admit: a, queue: d.Queue}, err
}

// Handle tries the queue's heads in order. The read model may lag: a head
// that was admitted, withdrawn or referred meanwhile is skipped.
func (h AdmitNextHandler) Handle(ctx context.Context, c command.Context, cmd AdmitNext) (Admission, error) {
	if _, err := command.ClerkOf(c); err != nil {
		return Admission{}, err
	}
	heads, err := h.queue.Waiting(ctx, cmd.OfficeID, admitNextCandidates)
	if err != nil {
		return Admission{}, err
	}
	for _, id := range heads {
		a, err := h.admit.Handle(ctx, c, AdmitVisit{VisitID: id})
		switch {
		case err == nil:
			return a, nil
		case errors.Is(err, visit.ErrAlreadyAdmitted), errors.Is(err, visit.ErrNotWaiting),
			errors.Is(err, visit.ErrWrongOffice), errors.Is(err, visit.ErrNotFound), errors.Is(err, command.ErrConcurrentChange):
			continue
		default:
			return Admission{}, err
		}
	}
	return Admission{}, ErrQueueEmpty
}
