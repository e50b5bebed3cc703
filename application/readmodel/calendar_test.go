package readmodel_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

func TestCalendarBookedSlotsAndFreeCapacity(t *testing.T) {
	n := &recordingNotifier{}
	cal := readmodel.NewCalendar(n)
	f := newFeed(t)
	o := officeID()
	svc := domain.IDFrom[domain.ServiceID](uuid.New())
	f.to(cal, established(o, svc)) // 15-minute service, capacity 2, 08:00-16:00
	date := hours.BerlinDate(tuesday(12, 0))
	a1, a2, a3 := domain.IDFrom[domain.AppointmentID](uuid.New()), domain.IDFrom[domain.AppointmentID](uuid.New()), domain.IDFrom[domain.AppointmentID](uuid.New())
	nine := tuesday(9, 0)
	book := func(id domain.AppointmentID, start time.Time) []domain.Event {
		return []domain.Event{
			appointment.SlotReserved{OfficeID: o, Date: date, AppointmentID: id, Start: start, End: start.Add(15 * time.Minute)},
			appointment.AppointmentBooked{AppointmentID: id, OfficeID: o, ServiceID: svc, SlotStart: start, SlotEnd: start.Add(15 * time.Minute), DisplayName: "Erika"},
		}
	}
	f.to(cal, book(a1, nine)...)
	f.to(cal, book(a2, nine)...)
	f.to(cal, book(a3, tuesday(9, 15))...)
	f.to(cal,
		appointment.AppointmentCheckedIn{AppointmentID: a1, VisitID: visitID()},
		appointment.AppointmentCancelled{AppointmentID: a3},
		appointment.SlotReleased{OfficeID: o, Date: date, AppointmentID: a3},
	)
	f.replay(cal)

	day, ok := cal.Day(o, date, tuesday(7, 0))
	if !ok {
		t.Fatal("office unknown")
	}
	if len(day.Appointments) != 3 || day.Appointments[2].AppointmentID != a3 || day.Appointments[2].Status != appointment.StatusCancelled {
		t.Fatalf("appointments %+v", day.Appointments)
	}
	free := day.Free[svc]
	if len(free) != 8*4-1 { // 32 slots of 15 minutes, 09:00 full
		t.Errorf("%d free slots, want 31", len(free))
	}
	for _, s := range free {
		switch {
		case s.Start.Equal(nine):
			t.Error("09:00 is full but listed as free")
		case s.Start.Equal(tuesday(9, 15)) && s.Free != 2:
			t.Errorf("09:15 has %d free places, want 2 after the cancellation", s.Free)
		}
	}
	later, _ := cal.Day(o, date, tuesday(15, 30))
	if len(later.Free[svc]) != 1 {
		t.Errorf("at 15:30 %d free slots, want 1 (15:45)", len(later.Free[svc]))
	}
	if _, ok := cal.Day(officeID(), date, nine); ok {
		t.Error("an unknown office has a calendar")
	}
	if len(n.got) == 0 || n.got[0].Kind != readside.KindCalendar {
		t.Errorf("changes %+v, want calendar changes", n.got)
	}
}
