package offices_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

var (
	now      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday, 10:00 in Berlin
	officeID = domain.IDFrom[domain.OfficeID](uuid.MustParse("11111111-1111-4111-8111-111111111111"))
	deptID   = domain.IDFrom[domain.DepartmentID](uuid.MustParse("33333333-3333-4333-8333-333333333333"))
	passID   = domain.IDFrom[domain.ServiceID](uuid.MustParse("66666666-6666-4666-8666-666666666666"))
	clerkID  = domain.IDFrom[domain.ClerkID](uuid.MustParse("22222222-2222-4222-8222-222222222222"))
	clerk    = command.Context{Actor: domain.ClerkActor(clerkID)}
	admin    = command.Context{Actor: mustActor(domain.RoleSystem, "admin")}
	weekly   = hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: []hours.IntervalSpec{{From: "08:00", To: "12:00"}}}}}
)

func mustActor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

func env(s *memstore.Store) command.Env {
	return command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return now }), IDs: command.CryptoIDs{}}
}

func establish() offices.EstablishOffice {
	return offices.EstablishOffice{
		OfficeID: officeID, DepartmentID: deptID, Name: "Bürgerdienste",
		Services: []offices.ServiceSpec{{ID: passID, Name: "Reisepass", TypicalDuration: 20 * time.Minute}},
		Hours:    weekly, SlotCapacity: 2,
	}
}

// given establishes the office and runs the setup steps.
func given(t *testing.T, steps ...func(context.Context, command.Env) error) *memstore.Store {
	t.Helper()
	s := memstore.New()
	h, err := offices.NewEstablishOfficeHandler(env(s))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Handle(context.Background(), admin, establish()); err != nil {
		t.Fatal(err)
	}
	for _, step := range steps {
		if err := step(context.Background(), env(s)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func onDuty(ctx context.Context, e command.Env) error {
	h, _ := offices.NewGoOnDutyHandler(e)
	_, err := h.Handle(ctx, clerk, offices.GoOnDuty{OfficeID: officeID})
	return err
}

func pause(ctx context.Context, e command.Env) error {
	h, _ := offices.NewPauseDutyHandler(e)
	_, err := h.Handle(ctx, clerk, offices.PauseDuty{OfficeID: officeID})
	return err
}

func resume(ctx context.Context, e command.Env) error {
	h, _ := offices.NewResumeDutyHandler(e)
	_, err := h.Handle(ctx, clerk, offices.ResumeDuty{OfficeID: officeID})
	return err
}

func offDuty(ctx context.Context, e command.Env) error {
	h, _ := offices.NewGoOffDutyHandler(e)
	_, err := h.Handle(ctx, clerk, offices.GoOffDuty{OfficeID: officeID})
	return err
}

func TestClerkDuty(t *testing.T) {
	type step = func(context.Context, command.Env) error
	cases := []struct {
		name    string
		given   []step
		when    step
		then    string // event type appended, "" for none
		wantErr error
	}{
		{name: "go on duty", when: onDuty, then: "ClerkWentOnDuty"},
		{name: "on duty twice", given: []step{onDuty}, when: onDuty, wantErr: office.ErrClerkAlreadyOnDuty},
		{name: "pause", given: []step{onDuty}, when: pause, then: "ClerkPaused"},
		{name: "pause off duty", when: pause, wantErr: office.ErrClerkNotOnDuty},
		{name: "resume", given: []step{onDuty, pause}, when: resume, then: "ClerkResumed"},
		{name: "resume unpaused", given: []step{onDuty}, when: resume, wantErr: office.ErrClerkNotPaused},
		{name: "off duty", given: []step{onDuty}, when: offDuty, then: "ClerkWentOffDuty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := given(t, c.given...)
			before := s.Types(office.StreamName(officeID))
			err := c.when(context.Background(), env(s))
			after := s.Types(office.StreamName(officeID))
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) || len(after) != len(before) {
					t.Fatalf("err = %v (events %v), want %v and nothing appended", err, after, c.wantErr)
				}
				return
			}
			if err != nil || len(after) != len(before)+1 || after[len(after)-1] != c.then {
				t.Fatalf("err = %v, events %v, want %s appended", err, after, c.then)
			}
			last := s.Events(office.StreamName(officeID))[len(after)-1]
			if last.Meta.Actor != clerk.Actor || last.Meta.OccurredAt != now {
				t.Fatalf("metadata %+v does not name the clerk and the clock's time", last.Meta)
			}
		})
	}
}

func TestDutyNeedsAClerkActor(t *testing.T) {
	s := given(t)
	h, _ := offices.NewGoOnDutyHandler(env(s))
	if _, err := h.Handle(context.Background(), admin, offices.GoOnDuty{OfficeID: officeID}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("system actor going on duty: %v", err)
	}
}

func TestEstablishIsIdempotentButRefusesADifferentOffice(t *testing.T) {
	s := given(t)
	h, _ := offices.NewEstablishOfficeHandler(env(s))
	res, err := h.Handle(context.Background(), admin, establish())
	if err != nil || res.Created {
		t.Fatalf("second establish: %+v, %v; want no-op", res, err)
	}
	other := establish()
	other.Name = "Standesamt"
	if _, err := h.Handle(context.Background(), admin, other); !errors.Is(err, offices.ErrOfficeExists) || !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("different office with the same ID: %v", err)
	}
	if n := len(s.Events(office.StreamName(officeID))); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
}

func TestHoursExceptions(t *testing.T) {
	s := given(t)
	ctx := context.Background()
	set, _ := offices.NewSetHoursExceptionHandler(env(s))
	rm, _ := offices.NewRemoveHoursExceptionHandler(env(s))
	load := func() *office.Office {
		evs := s.Events(office.StreamName(officeID))
		h := make([]domain.Event, len(evs))
		for i, e := range evs {
			h[i] = e.Event
		}
		o, err := office.FromEvents(h)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if _, err := set.Handle(ctx, admin, offices.SetHoursException{OfficeID: officeID, Exception: hours.ExceptionSpec{Date: "2026-03-02", Closed: true, Note: "Betriebsausflug"}}); err != nil {
		t.Fatal(err)
	}
	if load().Schedule().IsOpenAt(now) {
		t.Fatal("open on a closed exception day")
	}
	if _, err := set.Handle(ctx, admin, offices.SetHoursException{OfficeID: officeID, Exception: hours.ExceptionSpec{Date: "2026-03-02", Intervals: []hours.IntervalSpec{{From: "09:30", To: "10:30"}}}}); err != nil {
		t.Fatal(err)
	}
	if got := load().Schedule().Spec().Exceptions; len(got) != 1 || got[0].Closed {
		t.Fatalf("exceptions %+v: the date was not replaced", got)
	}
	if _, err := rm.Handle(ctx, admin, offices.RemoveHoursException{OfficeID: officeID, Date: "2026-03-02"}); err != nil {
		t.Fatal(err)
	}
	n := len(s.Events(office.StreamName(officeID)))
	if _, err := rm.Handle(ctx, admin, offices.RemoveHoursException{OfficeID: officeID, Date: "2026-03-02"}); err != nil {
		t.Fatal(err)
	}
	if len(s.Events(office.StreamName(officeID))) != n || len(load().Schedule().Spec().Exceptions) != 0 {
		t.Fatal("removing a missing exception appended or left something")
	}
	bad := offices.SetHoursException{OfficeID: officeID, Exception: hours.ExceptionSpec{Date: "2026-02-30", Closed: true}}
	if _, err := set.Handle(ctx, admin, bad); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("invalid date: %v", err)
	}
}

func TestHandlersRefuseAnIncompleteEnv(t *testing.T) {
	ctors := map[string]func(command.Env) error{
		"establish": func(e command.Env) error { _, err := offices.NewEstablishOfficeHandler(e); return err },
		"hours":     func(e command.Env) error { _, err := offices.NewSetOpeningHoursHandler(e); return err },
		"on duty":   func(e command.Env) error { _, err := offices.NewGoOnDutyHandler(e); return err },
		"capacity":  func(e command.Env) error { _, err := offices.NewSetSlotCapacityHandler(e); return err },
	}
	for name, ctor := range ctors {
		if err := ctor(command.Env{Store: memstore.New()}); err == nil {
			t.Errorf("%s accepted an env without clock and IDs", name)
		}
	}
}

func TestCitizensAndAuditorsDoNotManageOffices(t *testing.T) {
	s := given(t)
	h, _ := offices.NewSetSlotCapacityHandler(env(s))
	for _, r := range []domain.Role{domain.RoleCitizen, domain.RoleAuditor} {
		c := command.Context{Actor: mustActor(r, "x")}
		if _, err := h.Handle(context.Background(), c, offices.SetSlotCapacity{OfficeID: officeID, SlotCapacity: 5}); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s setting capacity: %v", r, err)
		}
	}
}
