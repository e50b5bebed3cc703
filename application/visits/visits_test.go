package visits_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

var (
	berlin    = hours.Location()
	start     = time.Date(2026, 3, 2, 10, 0, 0, 0, berlin) // Monday, open
	officeID  = domain.IDFrom[domain.OfficeID](uuid.MustParse("11111111-1111-4111-8111-111111111111"))
	office2ID = domain.IDFrom[domain.OfficeID](uuid.MustParse("55555555-5555-4555-8555-555555555555"))
	serviceID = domain.IDFrom[domain.ServiceID](uuid.MustParse("44444444-4444-4444-8444-444444444444"))
	clerkA    = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	clerkB    = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	admin     = command.Context{Actor: actor(domain.RoleSystem, "admin")}
	anonymous = command.Context{Actor: actor(domain.RoleCitizen, "anonymous")}
)

func actor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

type fakeQueue struct{ ids []domain.VisitID }

func (q *fakeQueue) Waiting(context.Context, domain.OfficeID, int) ([]domain.VisitID, error) {
	return q.ids, nil
}

type fixture struct {
	store *memstore.Store
	now   atomic.Pointer[time.Time]
	deps  visits.Deps
	queue *fakeQueue
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: memstore.New(), queue: &fakeQueue{}}
	f.setNow(start)
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{3}, 32))
	env := command.Env{Store: f.store, Clock: command.ClockFunc(func() time.Time { return *f.now.Load() }), IDs: command.CryptoIDs{}}
	alloc, err := cases.NewReferenceAllocator(f.store, "DO")
	if err != nil {
		t.Fatal(err)
	}
	f.deps = visits.Deps{Env: env, Tokens: tokens, Cases: cases.Deps{Env: env, Tokens: tokens, References: alloc}, Queue: f.queue}
	ctx := context.Background()
	est, _ := offices.NewEstablishOfficeHandler(env)
	open := []hours.IntervalSpec{{From: "08:00", To: "12:00"}}
	for _, id := range []domain.OfficeID{officeID, office2ID} {
		if _, err := est.Handle(ctx, admin, offices.EstablishOffice{
			OfficeID: id, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Büro " + id.String()[:4],
			Services:     []offices.ServiceSpec{{ID: serviceID, Name: "Reisepass", TypicalDuration: 20 * time.Minute}},
			Hours:        hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: open}}},
			SlotCapacity: 1,
		}); err != nil {
			t.Fatal(err)
		}
	}
	duty, _ := offices.NewGoOnDutyHandler(env)
	for _, c := range []command.Context{clerkA, clerkB} {
		for _, id := range []domain.OfficeID{officeID, office2ID} {
			if _, err := duty.Handle(ctx, c, offices.GoOnDuty{OfficeID: id}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func (f *fixture) setNow(t time.Time) { f.now.Store(&t) }

func (f *fixture) knock(t *testing.T) visits.KnockResult {
	t.Helper()
	r, err := f.knockReq(domain.IDFrom[domain.RequestID](uuid.New()), serviceID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) knockReq(req domain.RequestID, svc domain.ServiceID) (visits.KnockResult, error) {
	h, err := visits.NewKnockHandler(f.deps)
	if err != nil {
		return visits.KnockResult{}, err
	}
	return h.Handle(context.Background(), anonymous, visits.Knock{
		RequestID: req, OfficeID: officeID, ServiceID: svc, DisplayName: "Herr K.", Language: visit.German,
	})
}

func (f *fixture) admit(c command.Context, id domain.VisitID) (visits.Admission, error) {
	h, err := visits.NewAdmitVisitHandler(f.deps)
	if err != nil {
		return visits.Admission{}, err
	}
	return h.Handle(context.Background(), c, visits.AdmitVisit{VisitID: id})
}

func TestKnockIsIdempotentPerRequest(t *testing.T) {
	f := setup(t)
	req := domain.IDFrom[domain.RequestID](uuid.New())
	first, err := f.knockReq(req, serviceID)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.knockReq(req, serviceID)
	if err != nil || !again.Repeated || again.Token != first.Token || again.VisitID != first.VisitID {
		t.Fatalf("repeat: %+v, %v", again, err)
	}
	if _, err := f.knockReq(req, domain.IDFrom[domain.ServiceID](uuid.New())); !errors.Is(err, visits.ErrRequestReuse) {
		t.Fatalf("request reused for another service: %v", err)
	}
	evs := f.store.Events(visit.StreamName(first.VisitID))
	if len(evs) != 1 || evs[0].Meta.Actor != visits.CitizenActor(first.VisitID) {
		t.Fatalf("events %v with actor %v", f.store.Types(visit.StreamName(first.VisitID)), evs[0].Meta.Actor)
	}
	if bytes.Contains(evs[0].Data, []byte(first.Token)) || bytes.Contains(evs[0].RawMetadata, []byte(first.Token)) {
		t.Fatal("the token was stored")
	}
}

func TestKnockAtAClosedDoor(t *testing.T) {
	f := setup(t)
	f.setNow(time.Date(2026, 3, 2, 12, 0, 0, 0, berlin))
	_, err := f.knockReq(domain.IDFrom[domain.RequestID](uuid.New()), serviceID)
	var closed *office.DoorClosedError
	if !errors.As(err, &closed) || closed.NextOpening.IsZero() {
		t.Fatalf("knock at closing time: %v", err)
	}
}

func TestKnockWithAppointmentCode(t *testing.T) {
	f := setup(t)
	f.setNow(time.Date(2026, 3, 2, 7, 0, 0, 0, berlin))
	book, _ := appointments.NewBookAppointmentHandler(appointments.Deps{Env: f.deps.Env, Tokens: f.deps.Tokens})
	b, err := book.Handle(context.Background(), anonymous, appointments.BookAppointment{
		RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: officeID, ServiceID: serviceID,
		SlotStart: time.Date(2026, 3, 2, 10, 0, 0, 0, berlin), DisplayName: "Herr K.",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.setNow(time.Date(2026, 3, 2, 9, 55, 0, 0, berlin))
	h, _ := visits.NewKnockHandler(f.deps)
	k := visits.Knock{RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: officeID, ServiceID: serviceID,
		DisplayName: "Herr K.", Language: visit.German, AppointmentID: b.AppointmentID, AppointmentCode: "AAAAA-AAAAA"}
	if _, err := h.Handle(context.Background(), anonymous, k); !errors.Is(err, visits.ErrAppointmentInvalid) {
		t.Fatalf("wrong code: %v", err)
	}
	k.AppointmentCode = b.Code.String()
	r, err := h.Handle(context.Background(), anonymous, k)
	if err != nil {
		t.Fatal(err)
	}
	kn := f.store.Events(visit.StreamName(r.VisitID))[0].Event.(visit.VisitKnocked)
	if kn.AppointmentID != b.AppointmentID || !kn.AppointmentSlot.Equal(b.SlotStart) {
		t.Fatalf("knock %+v does not carry the appointment", kn)
	}
}

func TestAdmitOpensTheCaseAtOnce(t *testing.T) {
	f := setup(t)
	k := f.knock(t)
	a, err := f.admit(clerkA, k.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.NewCase || a.Reference.String() != "DO-2026-000001" || a.CaseID != visits.CaseIDForVisit(k.VisitID) {
		t.Fatalf("admission %+v", a)
	}
	evs := f.store.Events(casefile.StreamName(a.CaseID))
	if len(evs) != 1 || evs[0].Type != "CaseOpened" || evs[0].Meta.CausationID != a.AdmittedEventID {
		t.Fatalf("case stream %v", f.store.Types(casefile.StreamName(a.CaseID)))
	}
	if _, err := f.admit(clerkB, k.VisitID); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("second admission: %v, want a conflict", err)
	}
	st, _ := visits.NewVisitStatusHandler(f.deps)
	view, err := st.Handle(context.Background(), visits.VisitStatus{VisitID: k.VisitID, Token: k.Token})
	if err != nil || view.Status != visit.StatusAdmitted || view.CaseReference != a.Reference || view.CaseToken != cases.Token(f.deps.Tokens, a.CaseID) {
		t.Fatalf("status %+v, %v", view, err)
	}
}

func TestTwoClerksAdmittingConcurrentlyOneWins(t *testing.T) {
	for round := 0; round < 5; round++ {
		f := setup(t)
		k := f.knock(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, c := range []command.Context{clerkA, clerkB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.admit(c, k.VisitID)
			}()
		}
		wg.Wait()
		wins, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, domain.ErrConflict):
				conflicts++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins, %d conflicts", round, wins, conflicts)
		}
		if n := len(f.store.Events(casefile.CounterStreamName("DO", 2026))); n != 1 {
			t.Fatalf("%d references allocated for one visit", n)
		}
	}
}

func TestAdmitNextSkipsStaleHeads(t *testing.T) {
	f := setup(t)
	first, second := f.knock(t), f.knock(t)
	if _, err := f.admit(clerkA, first.VisitID); err != nil {
		t.Fatal(err)
	}
	f.queue.ids = []domain.VisitID{first.VisitID, second.VisitID} // the read model lags
	h, _ := visits.NewAdmitNextHandler(f.deps)
	a, err := h.Handle(context.Background(), clerkB, visits.AdmitNext{OfficeID: officeID})
	if err != nil || a.VisitID != second.VisitID {
		t.Fatalf("admit next: %+v, %v", a, err)
	}
	f.queue.ids = nil
	if _, err := h.Handle(context.Background(), clerkB, visits.AdmitNext{OfficeID: officeID}); !errors.Is(err, visits.ErrQueueEmpty) {
		t.Fatalf("empty queue: %v", err)
	}
}

func TestReturnToWaitingRoomKeepsTheCase(t *testing.T) {
	f := setup(t)
	k := f.knock(t)
	a, err := f.admit(clerkA, k.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := visits.NewReturnToWaitingRoomHandler(f.deps)
	if _, err := back.Handle(context.Background(), clerkB, visits.ReturnToWaitingRoom{VisitID: k.VisitID}); !errors.Is(err, visit.ErrWrongClerk) {
		t.Fatalf("another clerk sending back: %v", err)
	}
	if _, err := back.Handle(context.Background(), clerkA, visits.ReturnToWaitingRoom{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	again, err := f.admit(clerkB, k.VisitID)
	if err != nil || again.NewCase || again.CaseID != a.CaseID || again.Reference != a.Reference {
		t.Fatalf("re-admission %+v, %v; want the same case", again, err)
	}
}

func TestContinueAnExistingCase(t *testing.T) {
	f := setup(t)
	k1 := f.knock(t)
	a1, err := f.admit(clerkA, k1.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	token := cases.Token(f.deps.Tokens, a1.CaseID)
	k2 := f.knock(t)
	h, _ := visits.NewAdmitVisitHandler(f.deps)
	if _, err := h.Handle(context.Background(), clerkB, visits.AdmitVisit{VisitID: k2.VisitID, ContinueReference: a1.Reference, ContinueToken: "guess"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("continue with a wrong token: %v", err)
	}
	a2, err := h.Handle(context.Background(), clerkB, visits.AdmitVisit{VisitID: k2.VisitID, ContinueReference: a1.Reference, ContinueToken: token})
	if err != nil || a2.NewCase || a2.CaseID != a1.CaseID {
		t.Fatalf("continued admission %+v, %v", a2, err)
	}
	if n := len(f.store.Events(casefile.CounterStreamName("DO", 2026))); n != 1 {
		t.Fatalf("%d references allocated, want 1", n)
	}
}

func TestCitizenAndTimerCommands(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.knock(t)
	wd, _ := visits.NewWithdrawHandler(f.deps)
	if _, err := wd.Handle(ctx, anonymous, visits.Withdraw{VisitID: k.VisitID, Token: "x"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("withdraw with a wrong token: %v", err)
	}
	lost, _ := visits.NewPresenceLostHandler(f.deps)
	if _, err := lost.Handle(ctx, admin, visits.PresenceLost{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	exp, _ := visits.NewExpireHandler(f.deps)
	f.setNow(start.Add(time.Minute))
	if _, err := exp.Handle(ctx, admin, visits.Expire{VisitID: k.VisitID}); !errors.Is(err, visit.ErrStillPresent) {
		t.Fatalf("expire within grace: %v", err)
	}
	hb, _ := visits.NewHeartbeatHandler(f.deps)
	if _, err := hb.Handle(ctx, anonymous, visits.Heartbeat{VisitID: k.VisitID, Token: k.Token}); err != nil {
		t.Fatal(err)
	}
	n := len(f.store.Events(visit.StreamName(k.VisitID)))
	if _, err := hb.Handle(ctx, anonymous, visits.Heartbeat{VisitID: k.VisitID, Token: k.Token}); err != nil || len(f.store.Events(visit.StreamName(k.VisitID))) != n {
		t.Fatalf("a heartbeat while present wrote something (%v)", err)
	}
	if _, err := lost.Handle(ctx, admin, visits.PresenceLost{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	f.setNow(start.Add(4 * time.Minute))
	if _, err := exp.Handle(ctx, admin, visits.Expire{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	types := f.store.Types(visit.StreamName(k.VisitID))
	want := []string{"VisitKnocked", "VisitPresenceLost", "VisitPresenceRegained", "VisitPresenceLost", "VisitExpired"}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
	k2 := f.knock(t)
	if _, err := wd.Handle(ctx, anonymous, visits.Withdraw{VisitID: k2.VisitID, Token: k2.Token}); err != nil {
		t.Fatal(err)
	}
}

func TestClerkCommandsOnAVisit(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	msg, _ := visits.NewSendMessageHandler(f.deps)
	dec, _ := visits.NewDeclineHandler(f.deps)
	k := f.knock(t)
	if _, err := msg.Handle(ctx, clerkA, visits.SendMessage{VisitID: k.VisitID, Text: "Noch etwa 10 Minuten"}); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Handle(ctx, clerkA, visits.Decline{VisitID: k.VisitID, Reason: "Bitte an das Standesamt", ReferToOffice: office2ID, ReferToService: serviceID}); err != nil {
		t.Fatal(err)
	}
	k2 := f.knock(t)
	if _, err := dec.Handle(ctx, anonymous, visits.Decline{VisitID: k2.VisitID, Reason: "x"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("citizen declining: %v", err)
	}
	if _, err := dec.Handle(ctx, clerkA, visits.Decline{VisitID: k2.VisitID, Reason: "Nicht zuständig"}); err != nil {
		t.Fatal(err)
	}
	k3 := f.knock(t)
	a, err := f.admit(clerkA, k3.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	call, _ := visits.NewStartCallHandler(f.deps)
	if _, err := call.Handle(ctx, admin, visits.StartCall{VisitID: k3.VisitID}); err != nil {
		t.Fatal(err)
	}
	end, _ := visits.NewEndVisitHandler(f.deps)
	if _, err := end.Handle(ctx, clerkB, visits.EndVisit{VisitID: k3.VisitID, Reason: visit.EndCompleted}); !errors.Is(err, visit.ErrWrongClerk) {
		t.Fatalf("another clerk ending the visit: %v", err)
	}
	if _, err := end.Handle(ctx, clerkA, visits.EndVisit{VisitID: k3.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	types := f.store.Types(visit.StreamName(k3.VisitID))
	if got := types[len(types)-2:]; got[0] != "VisitCallEnded" || got[1] != "VisitEnded" {
		t.Fatalf("events %v", types)
	}
	if _, err := eventlog.VerifyChain(f.store.Events(casefile.StreamName(a.CaseID))); err != nil {
		t.Fatal(err)
	}
}
