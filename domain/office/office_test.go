package office_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

var (
	officeID = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a1"))
	deptID   = domain.IDFrom[domain.DepartmentID](uuid.MustParse("00000000-0000-0000-0000-0000000000d1"))
	svcID    = domain.IDFrom[domain.ServiceID](uuid.MustParse("00000000-0000-0000-0000-0000000000b1"))
	otherSvc = domain.IDFrom[domain.ServiceID](uuid.MustParse("00000000-0000-0000-0000-0000000000b2"))
	anna     = domain.IDFrom[domain.ClerkID](uuid.MustParse("00000000-0000-0000-0000-0000000000c1"))
	ben      = domain.IDFrom[domain.ClerkID](uuid.MustParse("00000000-0000-0000-0000-0000000000c2"))
	visit1   = domain.IDFrom[domain.VisitID](uuid.MustParse("00000000-0000-0000-0000-0000000000e1"))
	visit2   = domain.IDFrom[domain.VisitID](uuid.MustParse("00000000-0000-0000-0000-0000000000e2"))
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hours.Location())
	if err != nil {
		panic(err)
	}
	return t
}

var (
	monday10 = at("2026-11-23 10:00")
	monday20 = at("2026-11-23 20:00")
)

func weekdaySpec() hours.Spec {
	iv := []hours.IntervalSpec{{From: "08:00", To: "18:00"}}
	var s hours.Spec
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		s.Weekly = append(s.Weekly, hours.DaySpec{Weekday: d, Intervals: iv})
	}
	return s
}

func established() office.OfficeEstablished {
	return office.OfficeEstablished{
		OfficeID: officeID, DepartmentID: deptID, Name: "Bürgerbüro Mitte",
		Services:     []office.ServiceData{{ID: svcID, Name: "Personalausweis", TypicalMinutes: 15}},
		Hours:        weekdaySpec(),
		SlotCapacity: 2, EstablishedAt: monday10.Add(-time.Hour),
	}
}

func onDuty(c domain.ClerkID) office.ClerkWentOnDuty {
	return office.ClerkWentOnDuty{OfficeID: officeID, ClerkID: c, At: monday10.Add(-time.Minute)}
}

func load(t *testing.T, given ...domain.Event) *office.Office {
	t.Helper()
	o, err := office.FromEvents(append([]domain.Event{established()}, given...))
	if err != nil {
		t.Fatalf("FromEvents: %v", err)
	}
	return o
}

func TestEstablish(t *testing.T) {
	svc, err := office.NewService(svcID, "Personalausweis", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	o, err := office.Establish(office.EstablishCommand{
		OfficeID: officeID, DepartmentID: deptID, Name: " Bürgerbüro Mitte ",
		Services: []office.Service{svc}, Hours: hours.MustNew(weekdaySpec()), SlotCapacity: 2,
	}, monday10.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Changes(); !reflect.DeepEqual(got, []domain.Event{established()}) {
		t.Errorf("changes = %#v", got)
	}
	if o.Version() != 0 {
		t.Errorf("version = %d", o.Version())
	}
	_, err = office.Establish(office.EstablishCommand{Name: ""}, monday10)
	if !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("empty command: err = %v", err)
	}
}

func TestClerkDuty(t *testing.T) {
	cases := []struct {
		name    string
		given   []domain.Event
		when    func(*office.Office) error
		then    []domain.Event
		wantErr error
	}{
		{
			name: "go on duty",
			when: func(o *office.Office) error { return o.GoOnDuty(anna, monday10) },
			then: []domain.Event{office.ClerkWentOnDuty{OfficeID: officeID, ClerkID: anna, At: monday10}},
		},
		{
			name:    "twice on duty is a conflict",
			given:   []domain.Event{onDuty(anna)},
			when:    func(o *office.Office) error { return o.GoOnDuty(anna, monday10) },
			wantErr: office.ErrClerkAlreadyOnDuty,
		},
		{
			name:  "pause",
			given: []domain.Event{onDuty(anna)},
			when:  func(o *office.Office) error { return o.Pause(anna, monday10) },
			then:  []domain.Event{office.ClerkPaused{OfficeID: officeID, ClerkID: anna, At: monday10}},
		},
		{
			name:    "pause off duty",
			when:    func(o *office.Office) error { return o.Pause(anna, monday10) },
			wantErr: office.ErrClerkNotOnDuty,
		},
		{
			name:    "pause in a call",
			given:   []domain.Event{onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1}},
			when:    func(o *office.Office) error { return o.Pause(anna, monday10) },
			wantErr: office.ErrClerkInCall,
		},
		{
			name:  "resume",
			given: []domain.Event{onDuty(anna), office.ClerkPaused{OfficeID: officeID, ClerkID: anna}},
			when:  func(o *office.Office) error { return o.Resume(anna, monday10) },
			then:  []domain.Event{office.ClerkResumed{OfficeID: officeID, ClerkID: anna, At: monday10}},
		},
		{
			name:    "resume without pause",
			given:   []domain.Event{onDuty(anna)},
			when:    func(o *office.Office) error { return o.Resume(anna, monday10) },
			wantErr: office.ErrClerkNotPaused,
		},
		{
			name:  "off duty",
			given: []domain.Event{onDuty(anna)},
			when:  func(o *office.Office) error { return o.GoOffDuty(anna, monday10) },
			then:  []domain.Event{office.ClerkWentOffDuty{OfficeID: officeID, ClerkID: anna, At: monday10}},
		},
		{
			name:    "off duty in a call",
			given:   []domain.Event{onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1}},
			when:    func(o *office.Office) error { return o.GoOffDuty(anna, monday10) },
			wantErr: office.ErrClerkInCall,
		},
		{
			name:  "start call",
			given: []domain.Event{onDuty(anna)},
			when:  func(o *office.Office) error { return o.StartCall(anna, visit1, monday10) },
			then:  []domain.Event{office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1, At: monday10}},
		},
		{
			name:  "start call again is idempotent",
			given: []domain.Event{onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1}},
			when:  func(o *office.Office) error { return o.StartCall(anna, visit1, monday10) },
		},
		{
			name:    "second call at once",
			given:   []domain.Event{onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1}},
			when:    func(o *office.Office) error { return o.StartCall(anna, visit2, monday10) },
			wantErr: office.ErrClerkInCall,
		},
		{
			name:  "end call",
			given: []domain.Event{onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1}},
			when:  func(o *office.Office) error { return o.EndCall(anna, visit1, monday10) },
			then:  []domain.Event{office.ClerkCallEnded{OfficeID: officeID, ClerkID: anna, VisitID: visit1, At: monday10}},
		},
		{
			name:  "end call not in that call does nothing",
			given: []domain.Event{onDuty(anna)},
			when:  func(o *office.Office) error { return o.EndCall(anna, visit1, monday10) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := load(t, c.given...)
			err := c.when(o)
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if got := o.Changes(); len(got) != len(c.then) || (len(c.then) > 0 && !reflect.DeepEqual(got, c.then)) {
				t.Errorf("changes = %#v, want %#v", got, c.then)
			}
			if o.Version() != int64(1+len(c.given)) {
				t.Errorf("version = %d", o.Version())
			}
		})
	}
}

func TestDoorState(t *testing.T) {
	call := func(c domain.ClerkID, v domain.VisitID) domain.Event {
		return office.ClerkCallStarted{OfficeID: officeID, ClerkID: c, VisitID: v}
	}
	pause := func(c domain.ClerkID) domain.Event { return office.ClerkPaused{OfficeID: officeID, ClerkID: c} }
	cases := []struct {
		name  string
		given []domain.Event
		at    time.Time
		want  office.DoorState
	}{
		{"nobody on duty", nil, monday10, office.DoorClosed},
		{"one free clerk", []domain.Event{onDuty(anna)}, monday10, office.DoorOpen},
		{"outside hours", []domain.Event{onDuty(anna)}, monday20, office.DoorClosed},
		{"one in call, one free", []domain.Event{onDuty(anna), onDuty(ben), call(anna, visit1)}, monday10, office.DoorOpen},
		{"all in call", []domain.Event{onDuty(anna), onDuty(ben), call(anna, visit1), call(ben, visit2)}, monday10, office.DoorBusy},
		{"one in call, one paused", []domain.Event{onDuty(anna), onDuty(ben), call(anna, visit1), pause(ben)}, monday10, office.DoorBusy},
		{"all paused", []domain.Event{onDuty(anna), onDuty(ben), pause(anna), pause(ben)}, monday10, office.DoorPaused},
		{"went off duty", []domain.Event{onDuty(anna), office.ClerkWentOffDuty{OfficeID: officeID, ClerkID: anna}}, monday10, office.DoorClosed},
	}
	for _, c := range cases {
		if got := load(t, c.given...).Door(c.at); got != c.want {
			t.Errorf("%s: door = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAcceptKnock(t *testing.T) {
	o := load(t, onDuty(anna))
	if err := o.AcceptKnock(svcID, monday10); err != nil {
		t.Errorf("open door: %v", err)
	}
	if err := o.AcceptKnock(otherSvc, monday10); !errors.Is(err, office.ErrServiceNotOffered) {
		t.Errorf("unknown service: %v", err)
	}
	// At closing time no new knocks; the error names the next opening.
	err := o.AcceptKnock(svcID, at("2026-11-23 18:00"))
	var closed *office.DoorClosedError
	if !errors.As(err, &closed) || !errors.Is(err, domain.ErrPrecondition) {
		t.Fatalf("after closing: %v", err)
	}
	if closed.State != office.DoorClosed || !closed.NextOpening.Equal(at("2026-11-24 08:00")) {
		t.Errorf("closed error = %+v", closed)
	}
	// Friday evening: next opening is Monday.
	err = o.AcceptKnock(svcID, at("2026-11-27 19:00"))
	if !errors.As(err, &closed) || !closed.NextOpening.Equal(at("2026-11-30 08:00")) {
		t.Errorf("weekend: %v", err)
	}
	// Busy door still accepts knocks.
	busy := load(t, onDuty(anna), office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1})
	if err := busy.AcceptKnock(svcID, monday10); err != nil {
		t.Errorf("busy door: %v", err)
	}
	paused := load(t, onDuty(anna), office.ClerkPaused{OfficeID: officeID, ClerkID: anna})
	if err := paused.AcceptKnock(svcID, monday10); !errors.As(err, &closed) || closed.State != office.DoorPaused {
		t.Errorf("paused door: %v", err)
	}
}

func TestCanAdmitAfterClosing(t *testing.T) {
	o := load(t, onDuty(anna))
	if err := o.CanAdmit(anna); err != nil {
		t.Errorf("free clerk: %v", err)
	}
	if err := o.CanAdmit(ben); !errors.Is(err, office.ErrClerkNotOnDuty) {
		t.Errorf("clerk off duty: %v", err)
	}
}

func TestServicesAndCapacity(t *testing.T) {
	o := load(t)
	svc, _ := office.NewService(otherSvc, "Meldebescheinigung", 10*time.Minute)
	if err := o.OfferService(svc, monday10); err != nil {
		t.Fatal(err)
	}
	if err := o.WithdrawService(svcID, monday10); err != nil {
		t.Fatal(err)
	}
	if err := o.WithdrawService(svcID, monday10); !errors.Is(err, office.ErrServiceNotOffered) {
		t.Errorf("withdraw twice: %v", err)
	}
	if err := o.SetSlotCapacity(0, monday10); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("capacity 0: %v", err)
	}
	if err := o.SetSlotCapacity(3, monday10); err != nil {
		t.Fatal(err)
	}
	want := []domain.Event{
		office.OfficeServiceOffered{OfficeID: officeID, Service: office.ServiceData{ID: otherSvc, Name: "Meldebescheinigung", TypicalMinutes: 10}, OfferedAt: monday10},
		office.OfficeServiceWithdrawn{OfficeID: officeID, ServiceID: svcID, WithdrawnAt: monday10},
		office.OfficeSlotCapacitySet{OfficeID: officeID, SlotCapacity: 3, SetAt: monday10},
	}
	if got := o.Changes(); !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %#v", got)
	}
	if s, ok := o.Service(otherSvc); !ok || s.TypicalDuration() != 10*time.Minute || o.SlotCapacity() != 3 {
		t.Errorf("state not applied: %v %v %d", s, ok, o.SlotCapacity())
	}
}

func TestFromEventsRejectsForeignStreams(t *testing.T) {
	if _, err := office.FromEvents(nil); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("empty: %v", err)
	}
	if _, err := office.FromEvents([]domain.Event{onDuty(anna)}); !errors.Is(err, domain.ErrUnknownEvent) {
		t.Errorf("no creation event: %v", err)
	}
}

func TestClerksOnDuty(t *testing.T) {
	o := load(t, onDuty(anna), onDuty(ben),
		office.ClerkPaused{OfficeID: officeID, ClerkID: ben},
		office.ClerkCallStarted{OfficeID: officeID, ClerkID: anna, VisitID: visit1})
	want := []office.ClerkStatus{{ClerkID: anna, InCallWith: visit1}, {ClerkID: ben, Paused: true}}
	if got := o.ClerksOnDuty(); !reflect.DeepEqual(got, want) {
		t.Errorf("clerks = %+v", got)
	}
	if n := o.Clerks(); n != (office.ClerkCounts{OnDuty: 2, Paused: 1, InCall: 1}) {
		t.Errorf("counts = %+v", n)
	}
}

func TestFromEventsRejectsCorruptClerkEvents(t *testing.T) {
	_, err := office.FromEvents([]domain.Event{established(), office.ClerkPaused{OfficeID: officeID, ClerkID: anna}})
	if !errors.Is(err, domain.ErrUnknownEvent) {
		t.Errorf("pause without duty: %v", err)
	}
}

func TestDoorStateText(t *testing.T) {
	for _, d := range []office.DoorState{office.DoorOpen, office.DoorBusy, office.DoorPaused, office.DoorClosed} {
		b, _ := d.MarshalText()
		var back office.DoorState
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("%v: %v %v", d, back, err)
		}
	}
}
