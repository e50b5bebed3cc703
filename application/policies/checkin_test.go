package policies_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/policies"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func TestKnockWithCodeChecksTheAppointmentInOnce(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	clock := time.Date(2026, 3, 2, 7, 0, 0, 0, hours.Location())
	env := command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return clock }), IDs: command.CryptoIDs{}}
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{6}, 32))
	ad := appointments.Deps{Env: env, Tokens: tokens}
	cd := cases.Deps{Env: env, Tokens: tokens}
	list, err := policies.All(policies.Deps{Env: env, Cases: cd, Appointments: ad})
	if err != nil {
		t.Fatal(err)
	}
	est, _ := offices.NewEstablishOfficeHandler(env)
	if _, err := est.Handle(ctx, system, offices.EstablishOffice{
		OfficeID: officeID, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Bürgerdienste",
		Services:     []offices.ServiceSpec{{ID: serviceID, Name: "Reisepass", TypicalDuration: 20 * time.Minute}},
		Hours:        hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: []hours.IntervalSpec{{From: "08:00", To: "12:00"}}}}},
		SlotCapacity: 1,
	}); err != nil {
		t.Fatal(err)
	}
	book, _ := appointments.NewBookAppointmentHandler(ad)
	slot := time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())
	b, err := book.Handle(ctx, citizen, appointments.BookAppointment{RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: officeID, ServiceID: serviceID, SlotStart: slot, DisplayName: "Herr T."})
	if err != nil {
		t.Fatal(err)
	}
	clock = slot.Add(-5 * time.Minute)
	duty, _ := offices.NewGoOnDutyHandler(env)
	if _, err := duty.Handle(ctx, clerk, offices.GoOnDuty{OfficeID: officeID}); err != nil {
		t.Fatal(err)
	}
	knock, _ := visits.NewKnockHandler(visits.Deps{Env: env, Tokens: tokens, Cases: cd})
	k, err := knock.Handle(ctx, citizen, visits.Knock{RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: officeID, ServiceID: serviceID,
		DisplayName: "Herr T.", Language: visit.German, AppointmentID: b.AppointmentID, AppointmentCode: b.Code.String()})
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, s, list, visit.StreamName(k.VisitID))
	evs := s.Events(appointment.StreamName(b.AppointmentID))
	if got := s.Types(appointment.StreamName(b.AppointmentID)); count(got, "AppointmentCheckedIn") != 1 {
		t.Fatalf("appointment events %v", got)
	}
	if in := evs[len(evs)-1].Event.(appointment.AppointmentCheckedIn); in.VisitID != k.VisitID {
		t.Fatalf("checked in visit %v, want %v", in.VisitID, k.VisitID)
	}
}
