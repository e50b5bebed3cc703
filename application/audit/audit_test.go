package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

var (
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clerk   = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	auditor = command.Context{Actor: mustActor(domain.RoleAuditor, "pruefer-7")}
)

func mustActor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

// caseWithNotes writes a case with n notes, one minute apart, and closes it.
func caseWithNotes(tb testing.TB, n int) (*memstore.Store, audit.Deps, domain.CaseID) {
	tb.Helper()
	s := memstore.New()
	keys := newKeyring(tb)
	s.Signer = keys
	clock := t0
	env := command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return clock }), IDs: command.CryptoIDs{}}
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{1}, 32))
	d := cases.Deps{Env: env, Tokens: tokens}
	id := domain.IDFrom[domain.CaseID](uuid.New())
	ref, _ := casefile.NewReference("DO", 2026, 1)
	open, _ := cases.NewOpenCaseHandler(d)
	ctx := context.Background()
	if _, err := open.Handle(ctx, clerk, cases.OpenCase{CaseID: id, Reference: ref, OfficeID: domain.IDFrom[domain.OfficeID](uuid.New()),
		ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), ClerkID: domain.IDFrom[domain.ClerkID](uuid.New())}, nil); err != nil {
		tb.Fatal(err)
	}
	note, _ := cases.NewAddNoteHandler(d)
	for i := 0; i < n; i++ {
		clock = clock.Add(time.Minute)
		if _, err := note.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: fmt.Sprintf("Schritt %d", i), Visibility: casefile.Internal}); err != nil {
			tb.Fatal(err)
		}
	}
	clock = clock.Add(time.Minute)
	closeH, _ := cases.NewCloseCaseHandler(d)
	if _, err := closeH.Handle(ctx, clerk, cases.CloseCase{CaseID: id, Outcome: casefile.OutcomeCompleted}); err != nil {
		tb.Fatal(err)
	}
	return s, audit.Deps{Env: env, Keys: keys.Public()}, id
}

func TestReplayVerifiesAndIsRecorded(t *testing.T) {
	s, env, id := caseWithNotes(t, 3)
	h, err := audit.NewReplayCaseHandler(env)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := h.Handle(ctx, clerk, audit.ReplayCase{CaseID: id}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("clerk replaying: %v", err)
	}
	r, err := h.Handle(ctx, auditor, audit.ReplayCase{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 5 || !r.Verification.Intact || r.Verification.Head != r.Steps[4].Hash {
		t.Fatalf("replay: %d steps, verification %+v", len(r.Steps), r.Verification)
	}
	for i, st := range r.Steps {
		wantNotes := min(i, 3)
		if st.State.Notes != wantNotes || st.Revision != uint64(i) || st.ActorRole != "clerk" {
			t.Fatalf("step %d: %+v", i, st)
		}
		if i > 0 && st.PrevHash != r.Steps[i-1].Hash {
			t.Fatalf("step %d does not link to its predecessor", i)
		}
	}
	if !r.Steps[4].State.Closed || r.Steps[3].State.Closed {
		t.Fatal("closing does not show in the states")
	}
	log := s.Events(audit.LogStreamName(id))
	if len(log) != 1 || log[0].Meta.Actor != auditor.Actor || log[0].Event.(audit.CaseAuditAccessed).Kind != audit.AccessReplay {
		t.Fatalf("audit log %v", s.Types(audit.LogStreamName(id)))
	}
}

func TestStateAtAndExport(t *testing.T) {
	s, env, id := caseWithNotes(t, 3)
	ctx := context.Background()
	at, _ := audit.NewCaseStateAtHandler(env)
	cases := []struct {
		at       time.Time
		existed  bool
		notes    int
		revision uint64
	}{
		{at: t0.Add(-time.Second)},
		{at: t0, existed: true, notes: 0, revision: 0},
		{at: t0.Add(2*time.Minute + 30*time.Second), existed: true, notes: 2, revision: 2},
		{at: t0.Add(time.Hour), existed: true, notes: 3, revision: 4},
	}
	for _, c := range cases {
		got, err := at.Handle(ctx, auditor, audit.CaseStateAt{CaseID: id, At: c.at})
		if err != nil {
			t.Fatal(err)
		}
		if got.Existed != c.existed || got.State.Notes != c.notes || got.Revision != c.revision {
			t.Errorf("at %v: %+v, want existed %v, %d notes, revision %d", c.at, got, c.existed, c.notes, c.revision)
		}
	}
	ex, _ := audit.NewExportCaseHandler(env)
	doc, err := ex.Handle(ctx, auditor, audit.ExportCase{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	var back audit.Export
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Steps) != 5 || !back.Verification.Intact || back.ExportedBy != "auditor:pruefer-7" {
		t.Fatalf("export: %d steps, %+v, by %q", len(back.Steps), back.Verification, back.ExportedBy)
	}
	if n := len(s.Events(audit.LogStreamName(id))); n != len(cases)+1 {
		t.Fatalf("%d audit records, want %d", n, len(cases)+1)
	}
}

func TestVerifyReportsTheBreak(t *testing.T) {
	s, env, id := caseWithNotes(t, 3)
	v, _ := audit.NewVerifyCaseHandler(env)
	got, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || !got.Intact || got.Events != 5 {
		t.Fatalf("verify: %+v, %v", got, err)
	}
	evs := s.Events("case-" + id.String())
	evs[1].Data = []byte(`{"text":"geändert"}`)
	broken := audit.VerifyEvidence(audit.Evidence{Stream: "case-" + id.String(), Events: evs, Keys: env.Keys})
	if broken.Intact || broken.Break == nil || broken.Break.Revision != 1 || !has(failedAt(broken), 2) {
		t.Fatalf("tampered stream: %+v", broken)
	}
	if _, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: domain.IDFrom[domain.CaseID](uuid.New())}); !errors.Is(err, casefile.ErrNotFound) {
		t.Fatalf("unknown case: %v", err)
	}
}

func BenchmarkFold1000(b *testing.B) {
	s, _, id := caseWithNotes(b, 998)
	evs := s.Events("case-" + id.String())
	b.ResetTimer()
	for b.Loop() {
		if _, err := audit.Fold(evs); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNothingIsReturnedWhenTheAccessCannotBeRecorded(t *testing.T) {
	s, env, id := caseWithNotes(t, 1)
	s.BeforeAppend = func(stream string) error {
		if stream == audit.LogStreamName(id) {
			return errors.New("audit log unavailable")
		}
		return nil
	}
	h, _ := audit.NewReplayCaseHandler(env)
	r, err := h.Handle(context.Background(), auditor, audit.ReplayCase{CaseID: id})
	if err == nil || len(r.Steps) != 0 {
		t.Fatalf("replay without a record: %d steps, %v", len(r.Steps), err)
	}
}
