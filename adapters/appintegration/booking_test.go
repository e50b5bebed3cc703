package appintegration_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

func TestHundredParallelBookingsOfTheLastPlace(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	standesamt := seed.OfficeID("standesamt") // one place per slot
	service := seed.ServiceID("standesamt", "geburtsurkunde")
	slot := time.Date(2026, 3, 3, 8, 0, 0, 0, hours.Location())
	days, err := h.app.Queries.FreeSlots.Handle(ctx, appointments.FreeSlots{OfficeID: standesamt, ServiceID: service, From: hours.BerlinDate(slot), Days: 1})
	if err != nil || len(days) != 1 || !days[0].Slots[0].Start.Equal(slot) || days[0].Slots[0].Free != 1 {
		t.Fatalf("free slots %+v, %v", days, err)
	}
	const n = 100
	var ok, full atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.app.Commands.BookAppointment.Handle(ctx, citizen, appointments.BookAppointment{
				RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: standesamt, ServiceID: service,
				SlotStart: slot, DisplayName: "Familie B.",
			})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, appointment.ErrSlotFull):
				full.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || full.Load() != n-1 {
		t.Fatalf("%d bookings succeeded, %d found the slot full; want exactly one", ok.Load(), full.Load())
	}
	ledger := h.load(t, appointment.LedgerStreamName(standesamt, hours.BerlinDate(slot)))
	if len(ledger) != 1 {
		t.Fatalf("ledger holds %d reservations", len(ledger))
	}
	days, err = h.app.Queries.FreeSlots.Handle(ctx, appointments.FreeSlots{OfficeID: standesamt, ServiceID: service, From: hours.BerlinDate(slot), Days: 1})
	if err != nil || days[0].Slots[0].Start.Equal(slot) {
		t.Fatalf("the booked slot is still offered: %+v, %v", days, err)
	}
}
