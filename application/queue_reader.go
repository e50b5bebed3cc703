package application

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
)

// QueueReader adapts the read side's queue projection to the port
// AdmitNext needs. Visits whose waiting page is gone are skipped: admitting
// them would start a call with nobody.
type QueueReader struct {
	Queues *readmodel.Queues
	Clock  command.Clock
}

var _ visits.QueueReader = QueueReader{}

// Waiting returns up to limit present visits in serving order.
func (r QueueReader) Waiting(_ context.Context, office domain.OfficeID, limit int) ([]domain.VisitID, error) {
	var out []domain.VisitID
	for _, w := range r.Queues.Queue(office, r.Clock.Now()).Waiting {
		if len(out) == limit {
			break
		}
		if w.Present {
			out = append(out, w.VisitID)
		}
	}
	return out, nil
}
