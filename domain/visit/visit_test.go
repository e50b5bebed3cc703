package visit_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func id[I any, P interface {
	*I
	UnmarshalText([]byte) error
}](s string) I {
	var v I
	if err := P(&v).UnmarshalText([]byte(s)); err != nil {
		panic(err)
	}
	return v
}

var (
	officeA  = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a1"))
	officeB  = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a2"))
	svc      = domain.IDFrom[domain.ServiceID](uuid.MustParse("00000000-0000-0000-0000-0000000000b1"))
	svcB     = domain.IDFrom[domain.ServiceID](uuid.MustParse("00000000-0000-0000-0000-0000000000b2"))
	anna     = domain.IDFrom[domain.ClerkID](uuid.MustParse("00000000-0000-0000-0000-0000000000c1"))
	ben      = domain.IDFrom[domain.ClerkID](uuid.MustParse("00000000-0000-0000-0000-0000000000c2"))
	request  = domain.IDFrom[domain.RequestID](uuid.MustParse("00000000-0000-0000-0000-0000000000f1"))
	caseID   = domain.IDFrom[domain.CaseID](uuid.MustParse("00000000-0000-0000-0000-0000000000d1"))
	callID   = domain.IDFrom[domain.CallID](uuid.MustParse("00000000-0000-0000-0000-0000000000e1"))
	visitID  = visit.IDForRequest(officeA, request)
	caseRef  = id[casefile.Reference]("DO-2026-000123")
	t0       = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	knockedE = visit.VisitKnocked{
		VisitID: visitID, RequestID: request, OfficeID: officeA, ServiceID: svc,
		DisplayName: "Frau K.", Language: visit.German, KnockedAt: t0,
	}
)

func min(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// fakeOffice implements visit.Door and visit.Clerks.
type fakeOffice struct {
	id       domain.OfficeID
	knockErr error
	admitErr error
}

func (f fakeOffice) ID() domain.OfficeID                           { return f.id }
func (f fakeOffice) AcceptKnock(domain.ServiceID, time.Time) error { return f.knockErr }
func (f fakeOffice) CanAdmit(domain.ClerkID) error                 { return f.admitErr }

var (
	openA  = fakeOffice{id: officeA}
	openB  = fakeOffice{id: officeB}
	admitA = visit.AdmitCommand{ClerkID: anna, CaseID: caseID, CaseReference: caseRef, NewCase: true, CallID: callID}
)

func admitted(at time.Time) visit.VisitAdmitted {
	return visit.VisitAdmitted{VisitID: visitID, OfficeID: officeA, ClerkID: anna, CaseID: caseID,
		CaseReference: caseRef, NewCase: true, CallID: callID, AdmittedAt: at}
}

func TestKnock(t *testing.T) {
	cmd := visit.KnockCommand{
		VisitID: visitID, RequestID: request, ServiceID: svc, DisplayName: "  Frau K. ",
		Language: visit.German, Needs: []visit.Need{visit.NeedTextChatOnly, visit.NeedSignLanguage, visit.NeedTextChatOnly},
	}
	v, err := visit.Knock(cmd, openA, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := knockedE
	want.Needs = []visit.Need{visit.NeedSignLanguage, visit.NeedTextChatOnly}
	if got := v.Changes(); !reflect.DeepEqual(got, []domain.Event{want}) {
		t.Errorf("changes = %#v", got)
	}
	if v.Status() != visit.StatusWaiting || v.Version() != 0 || !v.SameKnock(cmd) {
		t.Errorf("status %v version %d", v.Status(), v.Version())
	}

	closed := &office.DoorClosedError{State: office.DoorClosed, NextOpening: min(60)}
	cases := map[string]struct {
		mutate func(*visit.KnockCommand)
		door   visit.Door
		want   error
	}{
		"closed door":          {door: fakeOffice{id: officeA, knockErr: closed}, want: office.ErrDoorClosed},
		"empty name":           {mutate: func(c *visit.KnockCommand) { c.DisplayName = " " }, want: domain.ErrInvalidText},
		"name too long":        {mutate: func(c *visit.KnockCommand) { c.DisplayName = string(make([]byte, 41)) }, want: domain.ErrInvalid},
		"no language":          {mutate: func(c *visit.KnockCommand) { c.Language = visit.Language{} }, want: visit.ErrInvalidLanguage},
		"visit id not derived": {mutate: func(c *visit.KnockCommand) { c.VisitID = domain.IDFrom[domain.VisitID](uuid.New()) }, want: visit.ErrInvalidVisit},
		"half an appointment":  {mutate: func(c *visit.KnockCommand) { c.AppointmentSlot = min(5) }, want: visit.ErrInvalidVisit},
	}
	for name, c := range cases {
		cmd := cmd
		if c.mutate != nil {
			c.mutate(&cmd)
		}
		door := c.door
		if door == nil {
			door = openA
		}
		if _, err := visit.Knock(cmd, door, t0); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	// The closed-door error keeps the next opening for the problem details.
	_, err = visit.Knock(cmd, fakeOffice{id: officeA, knockErr: closed}, t0)
	var dc *office.DoorClosedError
	if !errors.As(err, &dc) || !dc.NextOpening.Equal(min(60)) {
		t.Errorf("closed door error = %v", err)
	}
}

func TestKnockAtRealOffice(t *testing.T) {
	iv := []hours.IntervalSpec{{From: "08:00", To: "18:00"}}
	o, err := office.FromEvents([]domain.Event{
		office.OfficeEstablished{OfficeID: officeA, Name: "Mitte", SlotCapacity: 1,
			Services: []office.ServiceData{{ID: svc, Name: "Ausweis", TypicalMinutes: 15}},
			Hours:    hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: iv}}}},
		office.ClerkWentOnDuty{OfficeID: officeA, ClerkID: anna},
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := visit.KnockCommand{VisitID: visitID, RequestID: request, ServiceID: svc, DisplayName: "K", Language: visit.German}
	if _, err := visit.Knock(cmd, o, t0); err != nil {
		t.Errorf("10:00 Berlin: %v", err)
	}
	if _, err := visit.Knock(cmd, o, time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)); !errors.Is(err, office.ErrDoorClosed) {
		t.Errorf("18:00 Berlin: %v", err)
	}
	v, _ := visit.FromEvents([]domain.Event{knockedE})
	if err := v.Admit(admitA, o, min(1)); err != nil {
		t.Errorf("admit at real office: %v", err)
	}
}

func TestIDForRequestIsDeterministic(t *testing.T) {
	if visit.IDForRequest(officeA, request) != visitID {
		t.Error("same office and request must give the same visit ID")
	}
	if visit.IDForRequest(officeB, request) == visitID {
		t.Error("another office must give another visit ID")
	}
}

type when func(*visit.Visit) error

func TestLifecycle(t *testing.T) {
	lost := visit.VisitPresenceLost{VisitID: visitID, At: min(1)}
	callStarted := visit.VisitCallStarted{VisitID: visitID, CallID: callID, StartedAt: min(11)}
	cases := []struct {
		name    string
		given   []domain.Event
		when    when
		then    []domain.Event
		wantErr error
	}{
		{name: "presence lost", when: func(v *visit.Visit) error { return v.PresenceLost(min(1)) },
			then: []domain.Event{lost}},
		{name: "presence lost twice does nothing", given: []domain.Event{lost},
			when: func(v *visit.Visit) error { return v.PresenceLost(min(2)) }},
		{name: "presence regained", given: []domain.Event{lost},
			when: func(v *visit.Visit) error { return v.PresenceRegained(min(2)) },
			then: []domain.Event{visit.VisitPresenceRegained{VisitID: visitID, At: min(2)}}},
		{name: "expire after grace", given: []domain.Event{lost},
			when: func(v *visit.Visit) error { return v.Expire(min(3), visit.DefaultGracePeriod) },
			then: []domain.Event{visit.VisitExpired{VisitID: visitID, PresenceLostAt: min(1), ExpiredAt: min(3)}}},
		{name: "expire within grace", given: []domain.Event{lost},
			when:    func(v *visit.Visit) error { return v.Expire(min(2), visit.DefaultGracePeriod) },
			wantErr: visit.ErrStillPresent},
		{name: "expire after regained", given: []domain.Event{lost, visit.VisitPresenceRegained{VisitID: visitID, At: min(2)}},
			when:    func(v *visit.Visit) error { return v.Expire(min(10), visit.DefaultGracePeriod) },
			wantErr: visit.ErrStillPresent},
		{name: "withdraw", when: func(v *visit.Visit) error { return v.Withdraw(min(4)) },
			then: []domain.Event{visit.VisitWithdrawn{VisitID: visitID, WithdrawnAt: min(4)}}},
		{name: "withdraw when admitted", given: []domain.Event{admitted(min(5))},
			when: func(v *visit.Visit) error { return v.Withdraw(min(6)) }, wantErr: visit.ErrNotWaiting},
		{name: "decline", when: func(v *visit.Visit) error { return v.Decline(anna, "Bitte Termin buchen", min(4)) },
			then: []domain.Event{visit.VisitDeclined{VisitID: visitID, ClerkID: anna, Reason: "Bitte Termin buchen", DeclinedAt: min(4)}}},
		{name: "decline without reason", when: func(v *visit.Visit) error { return v.Decline(anna, "", min(4)) },
			wantErr: domain.ErrInvalid},
		{name: "refer keeps the knock time",
			when: func(v *visit.Visit) error {
				return v.Refer(visit.ReferCommand{ClerkID: anna, ToServiceID: svcB, Reason: "Zuständig ist B"}, openB, min(4))
			},
			then: []domain.Event{visit.VisitReferred{VisitID: visitID, ClerkID: anna, FromOfficeID: officeA, ToOfficeID: officeB,
				ToServiceID: svcB, Reason: "Zuständig ist B", ReferredAt: min(4)}}},
		{name: "refer to own office",
			when: func(v *visit.Visit) error {
				return v.Refer(visit.ReferCommand{ClerkID: anna, ToServiceID: svc, Reason: "x"}, openA, min(4))
			}, wantErr: visit.ErrSameOffice},
		{name: "refer to closed office",
			when: func(v *visit.Visit) error {
				return v.Refer(visit.ReferCommand{ClerkID: anna, ToServiceID: svcB, Reason: "x"},
					fakeOffice{id: officeB, knockErr: &office.DoorClosedError{State: office.DoorClosed}}, min(4))
			}, wantErr: office.ErrDoorClosed},
		{name: "message", when: func(v *visit.Visit) error { return v.SendMessage(anna, "Noch 5 Minuten", min(4)) },
			then: []domain.Event{visit.VisitMessageSent{VisitID: visitID, ClerkID: anna, Text: "Noch 5 Minuten", SentAt: min(4)}}},
		{name: "admit", when: func(v *visit.Visit) error { return v.Admit(admitA, openA, min(10)) },
			then: []domain.Event{admitted(min(10))}},
		{name: "admit twice is a conflict", given: []domain.Event{admitted(min(10))},
			when: func(v *visit.Visit) error { return v.Admit(admitA, openA, min(11)) }, wantErr: domain.ErrConflict},
		{name: "admit by clerk in a call",
			when: func(v *visit.Visit) error {
				return v.Admit(admitA, fakeOffice{id: officeA, admitErr: office.ErrClerkInCall}, min(10))
			}, wantErr: office.ErrClerkInCall},
		{name: "admit at another office", when: func(v *visit.Visit) error { return v.Admit(admitA, openB, min(10)) },
			wantErr: visit.ErrWrongOffice},
		{name: "admit a withdrawn visit", given: []domain.Event{visit.VisitWithdrawn{VisitID: visitID}},
			when: func(v *visit.Visit) error { return v.Admit(admitA, openA, min(10)) }, wantErr: visit.ErrNotWaiting},
		{name: "admit after referral at the new office",
			given: []domain.Event{visit.VisitReferred{VisitID: visitID, FromOfficeID: officeA, ToOfficeID: officeB, ToServiceID: svcB}},
			when:  func(v *visit.Visit) error { return v.Admit(admitA, openB, min(10)) },
			then: []domain.Event{visit.VisitAdmitted{VisitID: visitID, OfficeID: officeB, ClerkID: anna, CaseID: caseID,
				CaseReference: caseRef, NewCase: true, CallID: callID, AdmittedAt: min(10)}}},
		{name: "call starts", given: []domain.Event{admitted(min(10))},
			when: func(v *visit.Visit) error { return v.StartCall(min(11)) }, then: []domain.Event{callStarted}},
		{name: "end a call", given: []domain.Event{admitted(min(10)), callStarted},
			when: func(v *visit.Visit) error { return v.End(visit.EndCompleted, min(31)) },
			then: []domain.Event{
				visit.VisitCallEnded{VisitID: visitID, CallID: callID, DurationSeconds: 1200, Reason: visit.EndCompleted, EndedAt: min(31)},
				visit.VisitEnded{VisitID: visitID, EndedAt: min(31)},
			}},
		{name: "end before the call started", given: []domain.Event{admitted(min(10))},
			when: func(v *visit.Visit) error { return v.End(visit.EndCitizenLeft, min(12)) },
			then: []domain.Event{visit.VisitEnded{VisitID: visitID, EndedAt: min(12)}}},
		{name: "end a waiting visit", when: func(v *visit.Visit) error { return v.End(visit.EndCompleted, min(12)) },
			wantErr: visit.ErrNotAdmitted},
		{name: "back to the waiting room", given: []domain.Event{admitted(min(10)), callStarted},
			when: func(v *visit.Visit) error { return v.ReturnToWaitingRoom(anna, min(16)) },
			then: []domain.Event{
				visit.VisitCallEnded{VisitID: visitID, CallID: callID, DurationSeconds: 300, Reason: visit.EndReturnedToWaiting, EndedAt: min(16)},
				visit.VisitReturnedToWaitingRoom{VisitID: visitID, ClerkID: anna, ReturnedAt: min(16)},
			}},
		{name: "back to the waiting room by another clerk", given: []domain.Event{admitted(min(10))},
			when: func(v *visit.Visit) error { return v.ReturnToWaitingRoom(ben, min(16)) }, wantErr: visit.ErrWrongClerk},
		{name: "admit again after the waiting room",
			given: []domain.Event{admitted(min(10)), visit.VisitReturnedToWaitingRoom{VisitID: visitID, ClerkID: anna}},
			when:  func(v *visit.Visit) error { return v.Admit(admitA, openA, min(20)) },
			then:  []domain.Event{admitted(min(20))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := visit.FromEvents(append([]domain.Event{knockedE}, c.given...))
			if err != nil {
				t.Fatal(err)
			}
			err = c.when(v)
			if (c.wantErr == nil && err != nil) || !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			got := v.Changes()
			if len(got) != len(c.then) || (len(got) > 0 && !reflect.DeepEqual(got, c.then)) {
				t.Errorf("changes:\n got %#v\nwant %#v", got, c.then)
			}
		})
	}
}

func TestReturnedVisitKeepsKnockTime(t *testing.T) {
	v, _ := visit.FromEvents([]domain.Event{knockedE, admitted(min(10)),
		visit.VisitReturnedToWaitingRoom{VisitID: visitID, ClerkID: anna, ReturnedAt: min(12)}})
	if v.Status() != visit.StatusWaiting || !v.KnockedAt().Equal(t0) || v.Version() != 3 {
		t.Errorf("status %v knocked %v version %d", v.Status(), v.KnockedAt(), v.Version())
	}
}

func TestEventJSONIsStable(t *testing.T) {
	e := knockedE
	e.Needs = []visit.Need{visit.NeedSignLanguage}
	e.AppointmentID = domain.IDFrom[domain.AppointmentID](uuid.MustParse("00000000-0000-0000-0000-000000000011"))
	e.AppointmentCode = id[appointment.Code]("ABCDE-12345")
	e.AppointmentSlot = min(5)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"visitId":"` + visitID.String() + `","requestId":"00000000-0000-0000-0000-0000000000f1",` +
		`"officeId":"00000000-0000-0000-0000-0000000000a1","serviceId":"00000000-0000-0000-0000-0000000000b1",` +
		`"displayName":"Frau K.","appointmentId":"00000000-0000-0000-0000-000000000011","appointmentCode":"ABCDE-12345",` +
		`"appointmentSlot":"2026-11-23T09:05:00Z","language":"de","needs":["sign_language"],"knockedAt":"2026-11-23T09:00:00Z"}`
	if string(b) != want {
		t.Errorf("json:\n got %s\nwant %s", b, want)
	}
	var back visit.VisitKnocked
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, e) {
		t.Errorf("round trip: %v %#v", err, back)
	}
	walkIn, _ := json.Marshal(knockedE)
	var m map[string]any
	_ = json.Unmarshal(walkIn, &m)
	if _, ok := m["appointmentSlot"]; ok {
		t.Errorf("walk-in must omit appointment fields: %s", walkIn)
	}
}

func TestEventTypesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range visit.EventTypes() {
		if seen[e.EventType()] {
			t.Errorf("duplicate %s", e.EventType())
		}
		seen[e.EventType()] = true
	}
}
