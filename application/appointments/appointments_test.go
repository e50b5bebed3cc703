package appointments_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

var (
	berlin    = hours.Location()
	monday    = time.Date(2026, 3, 2, 7, 0, 0, 0, berlin) // before opening
	officeID  = domain.IDFrom[domain.OfficeID](uuid.MustParse("11111111-1111-4111-8111-111111111111"))
	serviceID = domain.IDFrom[domain.ServiceID](uuid.MustParse("44444444-4444-4444-8444-444444444444"))
	admin     = command.Context{Actor: actor(domain.RoleSystem, "admin")}
	citizen   = command.Context{Actor: actor(domain.RoleCitizen, "anonymous")}
	clerk     = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	at9       = time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)
	at920     = time.Date(2026, 3, 2, 9, 20, 0, 0, berlin)
	tuesday9  = time.Date(2026, 3, 3, 9, 0, 0, 0, berlin)
)

func actor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

type fixture struct {
	store *memstore.Store
	now   atomic.Pointer[time.Time]
	deps  appointments.Deps
}

func setup(t *testing.T, capacity int) *fixture {
	t.Helper()
	f := &fixture{store: memstore.New()}
	f.setNow(monday)
	tokens, err := command.NewHMACTokens(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	env := command.Env{Store: f.store, Clock: command.ClockFunc(func() time.Time { return *f.now.Load() }), IDs: command.CryptoIDs{}}
	f.deps = appointments.Deps{Env: env, Tokens: tokens}
	est, _ := offices.NewEstablishOfficeHandler(env)
	open := []hours.IntervalSpec{{From: "08:00", To: "12:00"}}
	_, err = est.Handle(context.Background(), admin, offices.EstablishOffice{
		OfficeID: officeID, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Bürgerdienste",
		Services:     []offices.ServiceSpec{{ID: serviceID, Name: "Reisepass", TypicalDuration: 20 * time.Minute}},
		Hours:        hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: open}, {Weekday: "tuesday", Intervals: open}}},
		SlotCapacity: capacity,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) setNow(t time.Time) { f.now.Store(&t) }

func (f *fixture) book(t *testing.T, req domain.RequestID, start time.Time) (appointments.Booking, error) {
	t.Helper()
	h, err := appointments.NewBookAppointmentHandler(f.deps)
	if err != nil {
		t.Fatal(err)
	}
	return h.Handle(context.Background(), citizen, appointments.BookAppointment{
		RequestID: req, OfficeID: officeID, ServiceID: serviceID, SlotStart: start, DisplayName: "Frau M.",
	})
}

func newReq() domain.RequestID { return domain.IDFrom[domain.RequestID](uuid.New()) }

func (f *fixture) free(t *testing.T, at time.Time) int {
	t.Helper()
	h, _ := appointments.NewFreeSlotsHandler(f.deps)
	days, err := h.Handle(context.Background(), appointments.FreeSlots{OfficeID: officeID, ServiceID: serviceID, From: hours.BerlinDate(at), Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		for _, s := range d.Slots {
			if s.Start.Equal(at) {
				return s.Free
			}
		}
	}
	return 0
}

func TestBookIsIdempotentPerRequest(t *testing.T) {
	f := setup(t, 2)
	req := newReq()
	first, err := f.book(t, req, at9)
	if err != nil {
		t.Fatal(err)
	}
	if first.Code.IsZero() || len(first.Token) < 22 || !first.SlotEnd.Equal(at9.Add(20*time.Minute)) {
		t.Fatalf("booking %+v", first)
	}
	again, err := f.book(t, req, at9)
	if err != nil || !again.Repeated || again.Code != first.Code || again.Token != first.Token || again.AppointmentID != first.AppointmentID {
		t.Fatalf("repeat: %+v, %v; want the first booking", again, err)
	}
	if got := f.free(t, at9); got != 1 {
		t.Fatalf("%d places free after one booking (repeated), want 1", got)
	}
	if _, err := f.book(t, req, at920); !errors.Is(err, appointments.ErrRequestReuse) {
		t.Fatalf("same request for another slot: %v", err)
	}
}

func TestBookingRules(t *testing.T) {
	cases := []struct {
		name    string
		start   time.Time
		wantErr error
	}{
		{name: "on the grid", start: at920},
		{name: "off the grid", start: at9.Add(5 * time.Minute), wantErr: appointments.ErrNotASlot},
		{name: "outside hours", start: time.Date(2026, 3, 2, 13, 0, 0, 0, berlin), wantErr: appointments.ErrNotASlot},
		{name: "in the past", start: time.Date(2026, 3, 2, 8, 0, 0, 0, berlin).Add(-24 * time.Hour * 7), wantErr: appointment.ErrInPast},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := setup(t, 1)
			_, err := f.book(t, newReq(), c.start)
			if c.wantErr == nil && err != nil || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
}

func TestLastPlaceGoesToExactlyOneOfManyParallelBookings(t *testing.T) {
	f := setup(t, 3)
	for i := 0; i < 2; i++ {
		if _, err := f.book(t, newReq(), at9); err != nil {
			t.Fatal(err)
		}
	}
	const n = 100
	var ok, full, other atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.book(t, newReq(), at9)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, appointment.ErrSlotFull):
				full.Add(1)
			default:
				other.Add(1)
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || full.Load() != n-1 {
		t.Fatalf("%d succeeded, %d full, %d other; want exactly one success", ok.Load(), full.Load(), other.Load())
	}
	if got := len(f.store.Streams("appointment-")); got != 3 {
		t.Fatalf("%d appointments written, want 3", got)
	}
}

func TestCancelReleasesThePlace(t *testing.T) {
	f := setup(t, 1)
	b, err := f.book(t, newReq(), at9)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := appointments.NewCancelAppointmentHandler(f.deps)
	ctx := context.Background()
	if err := h.Handle(ctx, citizen, appointments.CancelAppointment{AppointmentID: b.AppointmentID, Token: "forged"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("forged token: %v", err)
	}
	if f.free(t, at9) != 0 {
		t.Fatal("place free before cancelling")
	}
	for i := 0; i < 2; i++ { // twice: idempotent
		if err := h.Handle(ctx, citizen, appointments.CancelAppointment{AppointmentID: b.AppointmentID, Token: b.Token}); err != nil {
			t.Fatalf("cancel %d: %v", i, err)
		}
	}
	if f.free(t, at9) != 1 {
		t.Fatal("place not released")
	}
	types := f.store.Types(appointment.LedgerStreamName(officeID, hours.BerlinDate(at9)))
	if len(types) != 2 || types[1] != "SlotReleased" {
		t.Fatalf("ledger %v, want one reservation and one release", types)
	}
}

func TestReschedule(t *testing.T) {
	cases := []struct {
		name     string
		to       time.Time
		wantErr  error
		freeAt9  int
		freeAtTo int
	}{
		{name: "same day", to: at920, freeAt9: 1, freeAtTo: 0},
		{name: "other day", to: tuesday9, freeAt9: 1, freeAtTo: 0},
		{name: "taken slot", to: at920, wantErr: appointment.ErrSlotFull},
		{name: "off grid", to: at920.Add(time.Minute), wantErr: appointments.ErrNotASlot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := setup(t, 1)
			b, err := f.book(t, newReq(), at9)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "taken slot" {
				if _, err := f.book(t, newReq(), at920); err != nil {
					t.Fatal(err)
				}
			}
			h, _ := appointments.NewRescheduleAppointmentHandler(f.deps)
			err = h.Handle(context.Background(), citizen, appointments.RescheduleAppointment{AppointmentID: b.AppointmentID, Token: b.Token, NewStart: c.to})
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
				if f.free(t, at9) != 0 {
					t.Fatal("failed reschedule gave up the old place")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.free(t, at9) != c.freeAt9 || f.free(t, c.to) != c.freeAtTo {
				t.Fatalf("free at 9: %d, at new slot: %d", f.free(t, at9), f.free(t, c.to))
			}
		})
	}
}

func TestNoShow(t *testing.T) {
	f := setup(t, 1)
	b, err := f.book(t, newReq(), at9)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := appointments.NewRecordNoShowHandler(f.deps)
	ctx := context.Background()
	f.setNow(at9.Add(10 * time.Minute))
	if err := h.Handle(ctx, admin, appointments.RecordNoShow{AppointmentID: b.AppointmentID}); !errors.Is(err, appointment.ErrCheckInOpen) {
		t.Fatalf("within the window: %v", err)
	}
	if err := h.Handle(ctx, citizen, appointments.RecordNoShow{AppointmentID: b.AppointmentID}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("citizen recording a no-show: %v", err)
	}
	f.setNow(at9.Add(16 * time.Minute))
	if err := h.Handle(ctx, clerk, appointments.RecordNoShow{AppointmentID: b.AppointmentID}); err != nil {
		t.Fatal(err)
	}
	if types := f.store.Types(appointment.StreamName(b.AppointmentID)); types[len(types)-1] != "AppointmentNoShowRecorded" {
		t.Fatalf("events %v", types)
	}
}

func TestFailedBookingGivesThePlaceBack(t *testing.T) {
	f := setup(t, 1)
	f.store.BeforeAppend = func(stream string) error {
		if strings.HasPrefix(stream, "appointment-") {
			return errors.New("injected failure")
		}
		return nil
	}
	if _, err := f.book(t, newReq(), at9); err == nil {
		t.Fatal("booking succeeded despite the failure")
	}
	f.store.BeforeAppend = nil
	if got := f.free(t, at9); got != 1 {
		t.Fatalf("%d places free after a failed booking, want 1", got)
	}
	if _, err := f.book(t, newReq(), at9); err != nil {
		t.Fatalf("the place was leaked: %v", err)
	}
}

func TestFailedRescheduleKeepsTheOldPlaceOnly(t *testing.T) {
	for _, to := range []time.Time{at920, tuesday9} {
		f := setup(t, 1)
		b, err := f.book(t, newReq(), at9)
		if err != nil {
			t.Fatal(err)
		}
		f.store.BeforeAppend = func(stream string) error {
			if strings.HasPrefix(stream, "appointment-") {
				return errors.New("injected failure")
			}
			return nil
		}
		h, _ := appointments.NewRescheduleAppointmentHandler(f.deps)
		if err := h.Handle(context.Background(), citizen, appointments.RescheduleAppointment{AppointmentID: b.AppointmentID, Token: b.Token, NewStart: to}); err == nil {
			t.Fatal("reschedule succeeded despite the failure")
		}
		f.store.BeforeAppend = nil
		if f.free(t, at9) != 0 || f.free(t, to) != 1 {
			t.Fatalf("to %v: free at 9 %d (want 0), at target %d (want 1)", to, f.free(t, at9), f.free(t, to))
		}
	}
}
