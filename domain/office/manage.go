package office

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// OfferService adds s, or replaces the service with the same ID.
func (o *Office) OfferService(s Service, at time.Time) error {
	if s.IsZero() {
		return domain.Wrapf(ErrInvalidService, "zero service")
	}
	if cur, ok := o.Service(s.id); ok && cur == s {
		return nil
	}
	o.record(OfficeServiceOffered{OfficeID: o.id, Service: s.data(), OfferedAt: at})
	return nil
}

// WithdrawService stops offering a service. Visits already waiting for it are
// still served.
func (o *Office) WithdrawService(id domain.ServiceID, at time.Time) error {
	if _, ok := o.Service(id); !ok {
		return ErrServiceNotOffered
	}
	o.record(OfficeServiceWithdrawn{OfficeID: o.id, ServiceID: id, WithdrawnAt: at})
	return nil
}

// SetHours replaces the opening hours.
func (o *Office) SetHours(s hours.Schedule, at time.Time) error {
	o.record(OfficeHoursSet{OfficeID: o.id, Hours: s.Spec(), SetAt: at})
	return nil
}

// SetSlotCapacity changes how many appointments one slot can take (1..100).
// Existing bookings stay valid.
func (o *Office) SetSlotCapacity(n int, at time.Time) error {
	if n < 1 || n > 100 {
		return domain.Wrapf(ErrInvalidOffice, "slot capacity %d must be 1..100", n)
	}
	if n == o.slotCapacity {
		return nil
	}
	o.record(OfficeSlotCapacitySet{OfficeID: o.id, SlotCapacity: n, SetAt: at})
	return nil
}
