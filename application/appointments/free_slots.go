package appointments

import (
	"context"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// MaxSlotDays is the longest range FreeSlots answers for at once.
const MaxSlotDays = 31

// FreeSlots asks for the bookable slots of one service from one Berlin date
// for a number of days (1..MaxSlotDays).
type FreeSlots struct {
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
	From      hours.Date
	Days      int
}

// DaySlots are the free slots of one date.
type DaySlots struct {
	Date  hours.Date
	Slots []appointment.Slot
}

// ErrInvalidRange is returned for empty or too long date ranges.
var ErrInvalidRange = domain.Invalid("invalid_slot_range", "days must be 1..31")

// FreeSlotsHandler answers FreeSlots from the office and the day ledgers
// (read straight from the event store, so it is exact, not eventually
// consistent).
type FreeSlotsHandler struct{ d deps }

// NewFreeSlotsHandler refuses missing dependencies.
func NewFreeSlotsHandler(d Deps) (FreeSlotsHandler, error) {
	dd, err := newDeps(d)
	return FreeSlotsHandler{d: dd}, err
}

// Handle lists the free slots; days without any are left out.
func (h FreeSlotsHandler) Handle(ctx context.Context, q FreeSlots) ([]DaySlots, error) {
	if q.Days < 1 || q.Days > MaxSlotDays || q.From.IsZero() {
		return nil, ErrInvalidRange
	}
	l, err := h.d.offices.Load(ctx, office.StreamName(q.OfficeID))
	if err != nil {
		return nil, err
	}
	o := l.Aggregate
	svc, ok := o.Service(q.ServiceID)
	if !ok {
		return nil, office.ErrServiceNotOffered
	}
	now := h.d.Env.Clock.Now()
	var out []DaySlots
	for i := 0; i < q.Days; i++ {
		day := q.From.AddDays(i)
		if len(o.Schedule().IntervalsOn(day)) == 0 {
			continue
		}
		repo, stream, err := h.d.ledger(q.OfficeID, day)
		if err != nil {
			return nil, err
		}
		ledger, err := repo.Load(ctx, stream)
		if err != nil {
			return nil, err
		}
		slots := appointment.FreeSlots(o.Schedule(), day, svc.TypicalDuration(), o.SlotCapacity(), ledger.Aggregate, now)
		if len(slots) > 0 {
			out = append(out, DaySlots{Date: day, Slots: slots})
		}
	}
	return out, nil
}
