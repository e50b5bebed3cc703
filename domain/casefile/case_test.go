package casefile_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

func uid(n byte) uuid.UUID {
	var u uuid.UUID
	u[15] = n
	return u
}

var (
	caseID  = domain.IDFrom[domain.CaseID](uid(1))
	officeA = domain.IDFrom[domain.OfficeID](uid(2))
	officeB = domain.IDFrom[domain.OfficeID](uid(3))
	svc     = domain.IDFrom[domain.ServiceID](uid(4))
	anna    = domain.IDFrom[domain.ClerkID](uid(5))
	ben     = domain.IDFrom[domain.ClerkID](uid(6))
	visitID = domain.IDFrom[domain.VisitID](uid(7))
	callID  = domain.IDFrom[domain.CallID](uid(8))
	noteID  = domain.IDFrom[domain.NoteID](uid(9))
	docReq  = domain.IDFrom[domain.DocumentRequestID](uid(10))
	ref     = mustRef("DO-2026-000123")
	t0      = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	annaA   = domain.ClerkActor(anna)
	citizen = must(domain.NewActor(domain.RoleCitizen, visitID.String()))
	sha     = strings.Repeat("ab", 32)
	opened  = casefile.CaseOpened{CaseID: caseID, Reference: ref, OfficeID: officeA, ServiceID: svc,
		VisitID: visitID, ClerkID: anna, OpenedAt: t0}
	closed      = casefile.CaseClosed{CaseID: caseID, Outcome: casefile.OutcomeCompleted, ClosedAt: t0}
	callStarted = casefile.CallStarted{CaseID: caseID, CallID: callID, VisitID: visitID, StartedAt: t0}
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func mustRef(s string) casefile.Reference { return must(casefile.ParseReference(s)) }

func min(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func TestReference(t *testing.T) {
	r, err := casefile.ParseReference("DO-2026-000123")
	if err != nil || r.Prefix() != "DO" || r.Year() != 2026 || r.Number() != 123 || r.String() != "DO-2026-000123" {
		t.Errorf("parse = %v %v", r, err)
	}
	for _, bad := range []string{"", "do-2026-000123", "DO-2026-123", "DO-26-000123", "DO-2026-000000", "DORT-2026-000001", "DO-2026-0001234"} {
		if _, err := casefile.ParseReference(bad); !errors.Is(err, casefile.ErrInvalidReference) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	if _, err := casefile.NewReference("DO", 2026, 1000000); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("too large: %v", err)
	}
}

func TestOpen(t *testing.T) {
	c, err := casefile.Open(casefile.OpenCommand{CaseID: caseID, Reference: ref, OfficeID: officeA, ServiceID: svc,
		VisitID: visitID, ClerkID: anna}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Changes(); !reflect.DeepEqual(got, []domain.Event{opened}) || c.Status() != casefile.StatusOpen {
		t.Errorf("changes = %#v", got)
	}
	if _, err := casefile.Open(casefile.OpenCommand{CaseID: caseID}, t0); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("incomplete: %v", err)
	}
}

func TestSteps(t *testing.T) {
	due := must(hours.ParseDate("2026-12-01"))
	cases := []struct {
		name    string
		given   []domain.Event
		when    func(*casefile.Case) error
		then    []domain.Event
		wantErr error
	}{
		{name: "internal note", when: func(c *casefile.Case) error {
			return c.AddNote(noteID, "Ausweis geprüft", casefile.Internal, annaA, min(1))
		}, then: []domain.Event{casefile.CaseNoteAdded{CaseID: caseID, NoteID: noteID, Text: "Ausweis geprüft",
			Visibility: casefile.Internal, AuthorRole: domain.RoleClerk, AuthorID: anna.String(), AddedAt: min(1)}}},
		{name: "note without text", when: func(c *casefile.Case) error {
			return c.AddNote(noteID, " ", casefile.Internal, annaA, min(1))
		}, wantErr: domain.ErrInvalidText},
		{name: "request document", when: func(c *casefile.Case) error {
			return c.RequestDocument(docReq, "Meldebescheinigung", due, min(1))
		}, then: []domain.Event{casefile.CaseDocumentRequested{CaseID: caseID, RequestID: docReq, What: "Meldebescheinigung", DueDate: due, RequestedAt: min(1)}}},
		{name: "request document due yesterday", when: func(c *casefile.Case) error {
			return c.RequestDocument(docReq, "x", must(hours.ParseDate("2026-11-22")), min(1))
		}, wantErr: casefile.ErrInvalidCase},
		{name: "receive requested document",
			given: []domain.Event{casefile.CaseDocumentRequested{CaseID: caseID, RequestID: docReq, What: "x", DueDate: due}},
			when: func(c *casefile.Case) error {
				return c.ReceiveDocument(casefile.ReceivedDocument{RequestID: docReq, FileName: "meldung.pdf", SizeBytes: 1234, SHA256: sha}, min(2))
			},
			then: []domain.Event{casefile.CaseDocumentReceived{CaseID: caseID, RequestID: docReq, FileName: "meldung.pdf", SizeBytes: 1234, SHA256: sha, ReceivedAt: min(2)}}},
		{name: "receive for unknown request", when: func(c *casefile.Case) error {
			return c.ReceiveDocument(casefile.ReceivedDocument{RequestID: docReq, FileName: "a.pdf", SizeBytes: 1, SHA256: sha}, min(2))
		}, wantErr: casefile.ErrUnknownDocumentRequest},
		{name: "receive with bad hash", when: func(c *casefile.Case) error {
			return c.ReceiveDocument(casefile.ReceivedDocument{FileName: "a.pdf", SizeBytes: 1, SHA256: strings.ToUpper(sha)}, min(2))
		}, wantErr: casefile.ErrInvalidCase},
		{name: "status change", when: func(c *casefile.Case) error { return c.ChangeStatus(casefile.StatusWaitingForCitizen, min(3)) },
			then: []domain.Event{casefile.CaseStatusChanged{CaseID: caseID, From: casefile.StatusOpen, To: casefile.StatusWaitingForCitizen, ChangedAt: min(3)}}},
		{name: "same status does nothing", when: func(c *casefile.Case) error { return c.ChangeStatus(casefile.StatusOpen, min(3)) }},
		{name: "status closed needs Close", when: func(c *casefile.Case) error { return c.ChangeStatus(casefile.StatusClosed, min(3)) },
			wantErr: casefile.ErrInvalidStatus},
		{name: "hand over to another office", when: func(c *casefile.Case) error { return c.HandOver(officeB, ben, min(4)) },
			then: []domain.Event{casefile.CaseHandedOver{CaseID: caseID, FromOfficeID: officeA, ToOfficeID: officeB, FromClerkID: anna, ToClerkID: ben, HandedOverAt: min(4)}}},
		{name: "propose follow-up", when: func(c *casefile.Case) error {
			return c.ProposeFollowUp(casefile.FollowUp{OfficeID: officeA, ServiceID: svc, Start: min(60 * 24), Note: "Abholung"}, min(5))
		}, then: []domain.Event{casefile.CaseFollowUpProposed{CaseID: caseID, OfficeID: officeA, ServiceID: svc, ProposedStart: min(60 * 24), Note: "Abholung", ProposedAt: min(5)}}},
		{name: "close", when: func(c *casefile.Case) error { return c.Close(casefile.OutcomeCompleted, "erledigt", min(6)) },
			then: []domain.Event{casefile.CaseClosed{CaseID: caseID, Outcome: casefile.OutcomeCompleted, Summary: "erledigt", ClosedAt: min(6)}}},
		{name: "close during a call", given: []domain.Event{callStarted},
			when: func(c *casefile.Case) error { return c.Close(casefile.OutcomeCompleted, "", min(6)) }, wantErr: casefile.ErrCallActive},
		{name: "closed refuses notes", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.AddNote(noteID, "x", casefile.Internal, annaA, min(7)) }, wantErr: casefile.ErrClosed},
		{name: "closed refuses status", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.ChangeStatus(casefile.StatusInProgress, min(7)) }, wantErr: casefile.ErrClosed},
		{name: "closed refuses documents", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.RequestDocument(docReq, "x", due, min(7)) }, wantErr: casefile.ErrClosed},
		{name: "closed refuses handover", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.HandOver(officeB, ben, min(7)) }, wantErr: casefile.ErrClosed},
		{name: "closed refuses closing", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.Close(casefile.OutcomeRejected, "", min(7)) }, wantErr: casefile.ErrClosed},
		{name: "closed refuses calls", given: []domain.Event{closed},
			when: func(c *casefile.Case) error { return c.StartCall(callID, visitID, min(7)) }, wantErr: casefile.ErrClosed},
		{name: "call starts", when: func(c *casefile.Case) error { return c.StartCall(callID, visitID, t0) },
			then: []domain.Event{callStarted}},
		{name: "citizen joins", given: []domain.Event{callStarted},
			when: func(c *casefile.Case) error { return c.JoinCall(callID, citizen, min(1)) },
			then: []domain.Event{casefile.CallParticipantJoined{CaseID: caseID, CallID: callID, Role: domain.RoleCitizen, ParticipantID: visitID.String(), JoinedAt: min(1)}}},
		{name: "join twice", given: []domain.Event{callStarted, casefile.CallParticipantJoined{CaseID: caseID, CallID: callID, Role: domain.RoleCitizen, ParticipantID: visitID.String()}},
			when: func(c *casefile.Case) error { return c.JoinCall(callID, citizen, min(1)) }, wantErr: casefile.ErrParticipantPresent},
		{name: "join without call", when: func(c *casefile.Case) error { return c.JoinCall(callID, citizen, min(1)) },
			wantErr: casefile.ErrNoActiveCall},
		{name: "leave without joining", given: []domain.Event{callStarted},
			when: func(c *casefile.Case) error { return c.LeaveCall(callID, citizen, min(1)) }, wantErr: casefile.ErrParticipantAbsent},
		{name: "end call: remaining participants leave",
			given: []domain.Event{callStarted, casefile.CallParticipantJoined{CaseID: caseID, CallID: callID, Role: domain.RoleClerk, ParticipantID: anna.String()}},
			when:  func(c *casefile.Case) error { return c.EndCall(callID, casefile.CallCompleted, min(20)) },
			then: []domain.Event{
				casefile.CallParticipantLeft{CaseID: caseID, CallID: callID, Role: domain.RoleClerk, ParticipantID: anna.String(), LeftAt: min(20)},
				casefile.CallEnded{CaseID: caseID, CallID: callID, DurationSeconds: 1200, Reason: casefile.CallCompleted, EndedAt: min(20)},
			}},
		{name: "end a call that is not running does nothing",
			when: func(c *casefile.Case) error { return c.EndCall(callID, casefile.CallCompleted, min(20)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cf, err := casefile.FromEvents(append([]domain.Event{opened}, c.given...))
			if err != nil {
				t.Fatal(err)
			}
			err = c.when(cf)
			if (c.wantErr == nil && err != nil) || !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if got := cf.Changes(); len(got) != len(c.then) || (len(got) > 0 && !reflect.DeepEqual(got, c.then)) {
				t.Errorf("changes:\n got %#v\nwant %#v", got, c.then)
			}
		})
	}
}

func TestCitizenView(t *testing.T) {
	c := must(casefile.FromEvents([]domain.Event{opened,
		casefile.CaseNoteAdded{CaseID: caseID, NoteID: noteID, Text: "intern", Visibility: casefile.Internal, AuthorRole: domain.RoleClerk},
		casefile.CaseNoteAdded{CaseID: caseID, NoteID: noteID, Text: "Bitte Foto mitbringen", Visibility: casefile.VisibleCitizen, AuthorRole: domain.RoleClerk, AddedAt: min(2)},
		casefile.CaseStatusChanged{CaseID: caseID, From: casefile.StatusOpen, To: casefile.StatusWaitingForCitizen},
	}))
	want := casefile.CitizenView{Reference: ref, Status: casefile.StatusWaitingForCitizen,
		Notes: []casefile.CitizenNote{{Text: "Bitte Foto mitbringen", AddedAt: min(2)}}}
	if got := casefile.CitizenViewOf(c); !reflect.DeepEqual(got, want) {
		t.Errorf("view = %#v", got)
	}
}

func TestReferenceCounter(t *testing.T) {
	c := must(casefile.NewReferenceCounter("DO", 2026))
	r1 := must(c.Allocate(caseID, t0))
	r2 := must(c.Allocate(domain.IDFrom[domain.CaseID](uid(99)), t0))
	if r1.String() != "DO-2026-000001" || r2.String() != "DO-2026-000002" || c.Version() != 0 || len(c.Changes()) != 2 {
		t.Errorf("allocated %s %s, version %d", r1, r2, c.Version())
	}
	loaded := must(casefile.CounterFromEvents("DO", 2026, c.Changes()))
	if loaded.Version() != 2 || must(loaded.Allocate(caseID, t0)).Number() != 3 {
		t.Errorf("loaded counter version %d", loaded.Version())
	}
	last := casefile.CaseReferenceAllocated{Reference: mustRef("DO-2026-000041"), Number: 41, CaseID: caseID}
	fromLast := must(casefile.CounterFromLast("DO", 2026, last))
	if fromLast.Version() != 41 || must(fromLast.Allocate(caseID, t0)).String() != "DO-2026-000042" {
		t.Errorf("from last: version %d", fromLast.Version())
	}
	if _, err := casefile.CounterFromEvents("DO", 2027, c.Changes()); !errors.Is(err, casefile.ErrInvalidReference) {
		t.Errorf("foreign year: %v", err)
	}
	full := must(casefile.CounterFromLast("DO", 2026, casefile.CaseReferenceAllocated{Reference: mustRef("DO-2026-999999"), Number: 999999}))
	if _, err := full.Allocate(caseID, t0); !errors.Is(err, casefile.ErrReferencesExhausted) {
		t.Errorf("exhausted: %v", err)
	}
	if casefile.CounterStreamName("DO", 2026) != "casereference-DO-2026" {
		t.Error("stream name")
	}
}

func TestCaseEventsRoundTrip(t *testing.T) {
	for _, e := range []domain.Event{opened, closed, callStarted,
		casefile.CaseStatusChanged{CaseID: caseID, From: casefile.StatusOpen, To: casefile.StatusInProgress, ChangedAt: t0}} {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(e))
		if err := json.Unmarshal(b, back.Interface()); err != nil || !reflect.DeepEqual(back.Elem().Interface(), e) {
			t.Errorf("%s: %v %s", e.EventType(), err, b)
		}
	}
}
