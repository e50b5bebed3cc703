package appintegration_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

var (
	buergerdienste = seed.OfficeID("buergerdienste")
	reisepass      = seed.ServiceID("buergerdienste", "reisepass")
	auditor        = command.Context{Actor: actor(domain.RoleAuditor, "pruefer-1")}
)

func (h *harness) knock(tb testing.TB) visits.KnockResult {
	tb.Helper()
	r, err := h.app.Commands.Knock.Handle(context.Background(), citizen, visits.Knock{
		RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: buergerdienste, ServiceID: reisepass,
		DisplayName: "Frau A.", Language: visit.German,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestKnockAdmitCaseAndAudit(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	clerk := newClerk()
	h.onDuty(t, clerk, buergerdienste)
	k := h.knock(t)
	a, err := h.app.Commands.AdmitVisit.Handle(ctx, clerk, visits.AdmitVisit{VisitID: k.VisitID})
	if err != nil {
		t.Fatal(err)
	}
	if a.Reference.String() != "DO-2026-000001" || !a.NewCase {
		t.Fatalf("admission %+v", a)
	}
	c := h.app.Commands
	if _, err := c.AddNote.Handle(ctx, clerk, cases.AddNote{CaseID: a.CaseID, Text: "Antrag aufgenommen", Visibility: casefile.VisibleCitizen}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNote.Handle(ctx, clerk, cases.AddNote{CaseID: a.CaseID, Text: "Foto biometrisch ok", Visibility: casefile.Internal}); err != nil {
		t.Fatal(err)
	}
	req, err := c.RequestDocument.Handle(ctx, clerk, cases.RequestDocument{CaseID: a.CaseID, What: "Altes Ausweisdokument", DueDate: hours.BerlinDate(monday10).AddDays(14)})
	if err != nil {
		t.Fatal(err)
	}
	view, err := h.app.Queries.VisitStatus.Handle(ctx, visits.VisitStatus{VisitID: k.VisitID, Token: k.Token})
	if err != nil || view.CaseToken == "" {
		t.Fatalf("visit status %+v, %v", view, err)
	}
	doc, err := c.ReceiveDocument.Handle(ctx, citizen, cases.ReceiveDocument{CaseID: a.CaseID, Token: view.CaseToken, RequestID: req, FileName: "ausweis.pdf", Content: strings.NewReader("%PDF-1.7 ...")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EndVisit.Handle(ctx, clerk, visits.EndVisit{VisitID: k.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CloseCase.Handle(ctx, clerk, cases.CloseCase{CaseID: a.CaseID, Outcome: casefile.OutcomeCompleted, Summary: "Reisepass beantragt"}); err != nil {
		t.Fatal(err)
	}
	cv, err := h.app.Queries.CitizenCase.Handle(ctx, cases.CitizenCase{Reference: a.Reference, Token: view.CaseToken})
	if err != nil || cv.Status != casefile.StatusClosed || len(cv.Notes) != 1 {
		t.Fatalf("citizen view %+v, %v", cv, err)
	}
	r, err := h.app.Queries.ReplayCase.Handle(ctx, auditor, audit.ReplayCase{CaseID: a.CaseID})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CaseOpened", "CaseNoteAdded", "CaseNoteAdded", "CaseDocumentRequested", "CaseDocumentReceived", "CaseClosed"}
	if len(r.Steps) != len(want) || !r.Verification.Intact {
		t.Fatalf("replay %d steps, verification %+v", len(r.Steps), r.Verification)
	}
	for i, st := range r.Steps {
		if st.Type != want[i] {
			t.Fatalf("step %d is %s, want %s", i, st.Type, want[i])
		}
	}
	if r.Steps[0].ActorRole != "system" || r.Steps[1].ActorRole != "clerk" || r.Steps[4].ActorRole != "citizen" {
		t.Fatalf("actors %s %s %s", r.Steps[0].ActorRole, r.Steps[1].ActorRole, r.Steps[4].ActorRole)
	}
	if !r.Steps[5].State.Closed || r.Steps[4].State.OpenDocumentRequests != 0 || r.Steps[3].State.OpenDocumentRequests != 1 {
		t.Fatal("states do not follow the steps")
	}
	v, err := h.app.Queries.VerifyCase.Handle(ctx, auditor, audit.VerifyCase{CaseID: a.CaseID})
	if err != nil || v.Head != r.Verification.Head {
		t.Fatalf("verify %+v, %v", v, err)
	}
	if n := len(h.load(t, audit.LogStreamName(a.CaseID))); n != 2 {
		t.Fatalf("%d audit records, want 2", n)
	}
	rc, err := h.app.Queries.GetDocument.Handle(ctx, clerk, cases.GetDocument{CaseID: a.CaseID, SHA256: doc.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
}

func TestTwoClerksAdmitTheSameVisit(t *testing.T) {
	h := start(t)
	clerks := []command.Context{newClerk(), newClerk()}
	for _, c := range clerks {
		h.onDuty(t, c, buergerdienste)
	}
	for round := 0; round < 3; round++ {
		k := h.knock(t)
		errs := make([]error, len(clerks))
		var wg sync.WaitGroup
		for i, c := range clerks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = h.app.Commands.AdmitVisit.Handle(context.Background(), c, visits.AdmitVisit{VisitID: k.VisitID})
			}()
		}
		wg.Wait()
		// Free the winner for the next round only now: ending the visit
		// while the other admission still runs would turn its conflict into
		// "not waiting", a different (if also refused) race.
		for i, c := range clerks {
			if errs[i] == nil {
				if _, err := h.app.Commands.EndVisit.Handle(context.Background(), c, visits.EndVisit{VisitID: k.VisitID, Reason: visit.EndCompleted}); err != nil {
					t.Fatal(err)
				}
			}
		}
		wins, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, domain.ErrConflict) || errors.Is(err, eventlog.ErrConflict):
				conflicts++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d wins, %d conflicts (%v)", round, wins, conflicts, errs)
		}
		if n := count(h.load(t, visit.StreamName(k.VisitID)), "VisitAdmitted"); n != 1 {
			t.Fatalf("%d admissions recorded", n)
		}
	}
	if n := len(h.load(t, casefile.CounterStreamName("DO", 2026))); n != 3 {
		t.Fatalf("%d references for 3 visits", n)
	}
}

func TestReferencesUniqueAndGapFreeUnder20ConcurrentOpenings(t *testing.T) {
	h := start(t)
	second := h.newApp(t) // another app instance with its own allocator
	const n = 20
	clerks := make([]command.Context, n)
	knocks := make([]visits.KnockResult, n)
	for i := range clerks {
		clerks[i] = newClerk()
		h.onDuty(t, clerks[i], buergerdienste)
		knocks[i] = h.knock(t)
	}
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := h.app
			if i%2 == 1 {
				app = second
			}
			a, err := app.Commands.AdmitVisit.Handle(context.Background(), clerks[i], visits.AdmitVisit{VisitID: knocks[i].VisitID})
			if err != nil {
				t.Error(err)
				return
			}
			refs[i] = a.Reference.String()
			if n := len(h.load(t, casefile.StreamName(a.CaseID))); n != 1 {
				t.Errorf("case %s has %d events", a.Reference, n)
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, r := range refs {
		seen[r] = true
	}
	for i := 1; i <= n; i++ {
		ref, _ := casefile.NewReference("DO", 2026, i)
		if !seen[ref.String()] {
			t.Fatalf("%s missing from %v", ref, refs)
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct references for %d cases", len(seen), n)
	}
}

func TestPolicyRetryDoesNothingTwice(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	clerk := newClerk()
	h.onDuty(t, clerk, buergerdienste)
	k := h.knock(t)
	a, err := h.app.Commands.AdmitVisit.Handle(ctx, clerk, visits.AdmitVisit{VisitID: k.VisitID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Commands.StartCall.Handle(ctx, command.Context{Actor: actor(domain.RoleSystem, "media")}, visits.StartCall{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Commands.EndVisit.Handle(ctx, clerk, visits.EndVisit{VisitID: k.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	// At-least-once delivery: every visit event reaches every policy three
	// times, over real gRPC.
	for round := 0; round < 3; round++ {
		for _, e := range h.load(t, visit.StreamName(k.VisitID)) {
			for _, p := range h.app.Policies {
				if err := p.Handle(ctx, e); err != nil {
					t.Fatalf("%s on %s: %v", p.Name(), e.Type, err)
				}
			}
		}
	}
	caseEvents := h.load(t, casefile.StreamName(a.CaseID))
	officeEvents := h.load(t, office.StreamName(buergerdienste))
	for _, c := range []struct {
		evs  []eventlog.RecordedEvent
		typ  string
		want int
	}{
		{caseEvents, "CaseOpened", 1}, {caseEvents, "CallStarted", 1}, {caseEvents, "CallEnded", 1},
		{officeEvents, "ClerkCallStarted", 1}, {officeEvents, "ClerkCallEnded", 1},
	} {
		if got := count(c.evs, c.typ); got != c.want {
			t.Errorf("%s: %d, want %d (%v)", c.typ, got, c.want, types(c.evs))
		}
	}
	if _, err := eventlog.VerifyChain(caseEvents); err != nil {
		t.Fatal(err)
	}
}
