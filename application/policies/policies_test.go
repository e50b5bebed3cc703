package policies_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/policies"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

var (
	now       = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())
	officeID  = domain.IDFrom[domain.OfficeID](uuid.New())
	serviceID = domain.IDFrom[domain.ServiceID](uuid.New())
	clerk     = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	system    = command.Context{Actor: mustActor(domain.RoleSystem, "test")}
	citizen   = command.Context{Actor: mustActor(domain.RoleCitizen, "anonymous")}
)

func mustActor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

// deliver runs every policy over every visit event so far, twice, as an
// at-least-once subscription would.
func deliver(t *testing.T, s *memstore.Store, list []policies.Policy, stream string) {
	t.Helper()
	for round := 0; round < 2; round++ {
		for _, e := range s.Events(stream) {
			for _, p := range list {
				if err := p.Handle(context.Background(), e); err != nil {
					t.Fatalf("%s on %s: %v", p.Name(), e.Type, err)
				}
			}
		}
	}
}

func count(types []string, want string) int {
	n := 0
	for _, t := range types {
		if t == want {
			n++
		}
	}
	return n
}

func TestPoliciesAreIdempotentAndComplete(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	env := command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return now }), IDs: command.CryptoIDs{}}
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{5}, 32))
	alloc, _ := cases.NewReferenceAllocator(s, "DO")
	cd := cases.Deps{Env: env, Tokens: tokens, References: alloc}
	list, err := policies.All(policies.Deps{Env: env, Cases: cd, Appointments: appointments.Deps{Env: env, Tokens: tokens}})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range list {
		if names[p.Name()] || p.Name() == "" {
			t.Fatalf("policy name %q empty or twice", p.Name())
		}
		names[p.Name()] = true
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
	duty, _ := offices.NewGoOnDutyHandler(env)
	if _, err := duty.Handle(ctx, clerk, offices.GoOnDuty{OfficeID: officeID}); err != nil {
		t.Fatal(err)
	}
	vd := visits.Deps{Env: env, Tokens: tokens, Cases: cd}
	knock, _ := visits.NewKnockHandler(vd)
	k, err := knock.Handle(ctx, citizen, visits.Knock{RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: officeID, ServiceID: serviceID, DisplayName: "Frau S.", Language: visit.German})
	if err != nil {
		t.Fatal(err)
	}
	// Admission fails to open the case (the process "dies"): the policy must.
	s.BeforeAppend = func(stream string) error {
		if len(stream) > 5 && stream[:5] == "case-" {
			return errors.New("injected crash")
		}
		return nil
	}
	admit, _ := visits.NewAdmitVisitHandler(vd)
	a, err := admit.Handle(ctx, clerk, visits.AdmitVisit{VisitID: k.VisitID})
	if err == nil {
		t.Fatal("admission should report the failed case opening")
	}
	s.BeforeAppend = nil
	if len(s.Events(casefile.StreamName(a.CaseID))) != 0 {
		t.Fatal("case written despite the crash")
	}
	vs := visit.StreamName(k.VisitID)
	deliver(t, s, list, vs)
	caseTypes := s.Types(casefile.StreamName(a.CaseID))
	if count(caseTypes, "CaseOpened") != 1 {
		t.Fatalf("case events %v", caseTypes)
	}
	officeTypes := s.Types(office.StreamName(officeID))
	if count(officeTypes, "ClerkCallStarted") != 1 {
		t.Fatalf("office events %v", officeTypes)
	}
	start, _ := visits.NewStartCallHandler(vd)
	if _, err := start.Handle(ctx, system, visits.StartCall{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	end, _ := visits.NewEndVisitHandler(vd)
	if _, err := end.Handle(ctx, clerk, visits.EndVisit{VisitID: k.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	deliver(t, s, list, vs)
	caseTypes = s.Types(casefile.StreamName(a.CaseID))
	officeTypes = s.Types(office.StreamName(officeID))
	for _, c := range []struct {
		types []string
		want  string
	}{
		{caseTypes, "CaseOpened"}, {caseTypes, "CallStarted"}, {caseTypes, "CallEnded"},
		{officeTypes, "ClerkCallStarted"}, {officeTypes, "ClerkCallEnded"},
	} {
		if count(c.types, c.want) != 1 {
			t.Errorf("%s appears %d times in %v, want once", c.want, count(c.types, c.want), c.types)
		}
	}
	if _, err := eventlog.VerifyChain(s.Events(casefile.StreamName(a.CaseID))); err != nil {
		t.Fatal(err)
	}
	opened := s.Events(casefile.StreamName(a.CaseID))[0]
	if opened.Meta.Actor.ID() != policies.OpenCaseOnVisitAdmitted || opened.Meta.CausationID != a.AdmittedEventID {
		t.Fatalf("case opened by %v caused by %v", opened.Meta.Actor, opened.Meta.CausationID)
	}
}

func TestPolicyRetriesInfrastructureFailures(t *testing.T) {
	s := memstore.New()
	env := command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return now }), IDs: command.CryptoIDs{}}
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{5}, 32))
	list, err := policies.All(policies.Deps{Env: env, Cases: cases.Deps{Env: env, Tokens: tokens}, Appointments: appointments.Deps{Env: env, Tokens: tokens}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := policies.ByName(list, policies.MarkClerkInCallOnVisitAdmitted)
	if err != nil {
		t.Fatal(err)
	}
	// The office does not exist: not found is worth a retry, not a swallow.
	e := eventlog.RecordedEvent{ID: uuid.New(), Stream: "visit-x", Type: "VisitAdmitted", Event: visit.VisitAdmitted{OfficeID: officeID}}
	if err := p.Handle(context.Background(), e); !errors.Is(err, office.ErrNotFound) {
		t.Fatalf("err = %v, want not found to be returned", err)
	}
}
