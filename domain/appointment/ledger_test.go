package appointment_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

var day = mustDate("2026-11-23")

func mustDate(s string) hours.Date {
	d, err := hours.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func appt(n byte) domain.AppointmentID {
	var u uuid.UUID
	u[0], u[15] = 0xaa, n
	return domain.IDFrom[domain.AppointmentID](u)
}

func reserved(a domain.AppointmentID, start time.Time) appointment.SlotReserved {
	return appointment.SlotReserved{OfficeID: officeA, Date: day, AppointmentID: a, Start: start, End: start.Add(15 * time.Minute), ReservedAt: t0}
}

func TestLedgerReserve(t *testing.T) {
	cases := []struct {
		name    string
		given   []domain.Event
		when    func(*appointment.SlotLedger) error
		then    []domain.Event
		wantErr error
	}{
		{name: "first place", when: func(l *appointment.SlotLedger) error { return l.Reserve(appt(1), slot, 15*time.Minute, 2, t0) },
			then: []domain.Event{reserved(appt(1), slot)}},
		{name: "last place", given: []domain.Event{reserved(appt(1), slot)},
			when: func(l *appointment.SlotLedger) error { return l.Reserve(appt(2), slot, 15*time.Minute, 2, t0) },
			then: []domain.Event{reserved(appt(2), slot)}},
		{name: "full", given: []domain.Event{reserved(appt(1), slot), reserved(appt(2), slot)},
			when:    func(l *appointment.SlotLedger) error { return l.Reserve(appt(3), slot, 15*time.Minute, 2, t0) },
			wantErr: appointment.ErrSlotFull},
		{name: "overlapping longer service counts", given: []domain.Event{reserved(appt(1), slot), reserved(appt(2), slot.Add(15*time.Minute))},
			when:    func(l *appointment.SlotLedger) error { return l.Reserve(appt(3), slot, 30*time.Minute, 1, t0) },
			wantErr: appointment.ErrSlotFull},
		{name: "retry is idempotent", given: []domain.Event{reserved(appt(1), slot)},
			when: func(l *appointment.SlotLedger) error { return l.Reserve(appt(1), slot, 15*time.Minute, 1, t0) }},
		{name: "freed by release", given: []domain.Event{reserved(appt(1), slot),
			appointment.SlotReleased{OfficeID: officeA, Date: day, AppointmentID: appt(1)}},
			when: func(l *appointment.SlotLedger) error { return l.Reserve(appt(2), slot, 15*time.Minute, 1, t0) },
			then: []domain.Event{reserved(appt(2), slot)}},
		{name: "other day", when: func(l *appointment.SlotLedger) error {
			return l.Reserve(appt(1), slot.Add(24*time.Hour), 15*time.Minute, 1, t0)
		}, wantErr: appointment.ErrWrongDay},
		{name: "release", given: []domain.Event{reserved(appt(1), slot)},
			when: func(l *appointment.SlotLedger) error { return l.Release(appt(1), t0) },
			then: []domain.Event{appointment.SlotReleased{OfficeID: officeA, Date: day, AppointmentID: appt(1), ReleasedAt: t0}}},
		{name: "release unknown does nothing", when: func(l *appointment.SlotLedger) error { return l.Release(appt(1), t0) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := appointment.LedgerFromEvents(officeA, day, c.given)
			if err != nil {
				t.Fatal(err)
			}
			err = c.when(l)
			if (c.wantErr == nil && err != nil) || !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if got := l.Changes(); len(got) != len(c.then) || (len(got) > 0 && !reflect.DeepEqual(got, c.then)) {
				t.Errorf("changes = %#v, want %#v", got, c.then)
			}
		})
	}
}

// memStream is a stand-in for one event-store stream with expected-revision
// appends, to show how the ledger decides the race for the last place.
type memStream struct {
	mu     sync.Mutex
	events []domain.Event
}

func (s *memStream) read() []domain.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]domain.Event(nil), s.events...)
}

func (s *memStream) append(expectedVersion int64, es []domain.Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if int64(len(s.events)) != expectedVersion {
		return false
	}
	s.events = append(s.events, es...)
	return true
}

func TestHundredParallelBookingsOfTheLastPlace(t *testing.T) {
	stream := &memStream{events: []domain.Event{reserved(appt(200), slot)}} // capacity 2, one taken
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, full := 0, 0
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				l, err := appointment.LedgerFromEvents(officeA, day, stream.read())
				if err != nil {
					t.Error(err)
					return
				}
				if err := l.Reserve(appt(byte(i)), slot, 15*time.Minute, 2, t0); err != nil {
					mu.Lock()
					if errors.Is(err, appointment.ErrSlotFull) {
						full++
					}
					mu.Unlock()
					return
				}
				if stream.append(l.Version(), l.Changes()) {
					mu.Lock()
					won++
					mu.Unlock()
					return
				}
				// conflict: reload and decide again
			}
		}()
	}
	wg.Wait()
	if won != 1 || full != 99 {
		t.Errorf("won %d, full %d; want exactly one booking", won, full)
	}
}

func TestFreeSlots(t *testing.T) {
	s := hours.MustNew(hours.Spec{Weekly: []hours.DaySpec{
		{Weekday: "monday", Intervals: []hours.IntervalSpec{{From: "09:00", To: "10:00"}, {From: "14:00", To: "14:40"}}},
		{Weekday: "sunday", Intervals: []hours.IntervalSpec{{From: "01:00", To: "04:00"}}},
	}})
	l, _ := appointment.LedgerFromEvents(officeA, day, []domain.Event{
		reserved(appt(1), t0.Add(15*time.Minute)), reserved(appt(2), t0.Add(15*time.Minute)), reserved(appt(3), t0.Add(30*time.Minute)),
	})
	got := appointment.FreeSlots(s, day, 15*time.Minute, 2, l, t0.Add(-time.Hour))
	var starts []string
	for _, sl := range got {
		starts = append(starts, sl.Start.In(hours.Location()).Format("15:04")+"/"+string(rune('0'+sl.Free)))
	}
	want := []string{"09:00/2", "09:30/1", "09:45/2", "14:00/2", "14:15/2"}
	if !reflect.DeepEqual(starts, want) {
		t.Errorf("free slots = %v, want %v", starts, want)
	}
	if got := appointment.FreeSlots(s, day, 15*time.Minute, 2, nil, t0); len(got) != 5 || !got[0].Start.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("slots at or before now must be left out: %v", got)
	}
	// Spring forward: 01:00–04:00 lasts two hours, so 30-minute slots give four.
	if got := appointment.FreeSlots(s, mustDate("2026-03-29"), 30*time.Minute, 1, nil, t0.AddDate(-1, 0, 0)); len(got) != 4 {
		t.Errorf("DST day: %d slots, want 4", len(got))
	}
}

func TestIsSlot(t *testing.T) {
	s := hours.MustNew(hours.Spec{Weekly: []hours.DaySpec{
		{Weekday: "monday", Intervals: []hours.IntervalSpec{{From: "09:00", To: "10:00"}}},
	}})
	for _, c := range []struct {
		start time.Time
		want  bool
	}{
		{t0, true}, {t0.Add(45 * time.Minute), true}, {t0.Add(50 * time.Minute), false},
		{t0.Add(10 * time.Minute), false}, {t0.Add(-15 * time.Minute), false}, {t0.Add(24 * time.Hour), false},
	} {
		if got := appointment.IsSlot(s, c.start, 15*time.Minute); got != c.want {
			t.Errorf("IsSlot(%v) = %v", c.start.Sub(t0), got)
		}
	}
}
