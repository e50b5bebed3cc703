package cases_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// TestCaseStepsWithTheSameRequestIDAreStoredOnce: every case step sent
// twice with one client request ID (an answer lost, the client retries) is
// one event and answers alike; with another request ID it is a second event.
func TestCaseStepsWithTheSameRequestIDAreStoredOnce(t *testing.T) {
	type step func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error)
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	steps := []struct {
		name, event string
		twice       bool // a second, different request is allowed by the rules
		do          step
	}{
		{name: "add note", event: "CaseNoteAdded", twice: true, do: func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error) {
			h, _ := cases.NewAddNoteHandler(d)
			return h.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: "Rückruf vereinbart", Visibility: casefile.Internal, ClientRequest: req})
		}},
		{name: "request document", event: "CaseDocumentRequested", twice: true, do: func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error) {
			h, _ := cases.NewRequestDocumentHandler(d)
			return h.Handle(ctx, clerk, cases.RequestDocument{CaseID: id, What: "Meldebescheinigung", DueDate: hours.DateOf(now.Add(72 * time.Hour)), ClientRequest: req})
		}},
		{name: "receive document", event: "CaseDocumentReceived", twice: true, do: func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error) {
			h, _ := cases.NewReceiveDocumentHandler(d)
			return h.Handle(ctx, clerk, cases.ReceiveDocument{CaseID: id, FileName: "a.pdf", Content: bytes.NewReader(pdf), ClientRequest: req})
		}},
		{name: "hand over", event: "CaseHandedOver", twice: true, do: func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error) {
			h, _ := cases.NewHandOverHandler(d)
			s, err := h.Handle(ctx, clerk, cases.HandOver{CaseID: id, ToOfficeID: domain.IDFrom[domain.OfficeID](uuid.NewSHA1(uuid.Nil, []byte(req.String()))), ClientRequest: req})
			return s.Revision, err
		}},
		{name: "close", event: "CaseClosed", do: func(ctx context.Context, d cases.Deps, id domain.CaseID, req domain.RequestID) (any, error) {
			h, _ := cases.NewCloseCaseHandler(d)
			s, err := h.Handle(ctx, clerk, cases.CloseCase{CaseID: id, Outcome: casefile.OutcomeCompleted, ClientRequest: req})
			return s.Revision, err
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			f := setup(t)
			ctx := context.Background()
			id := f.open(t)
			req := domain.IDFrom[domain.RequestID](uuid.New())
			first, err := s.do(ctx, f.deps, id, req)
			if err != nil {
				t.Fatal(err)
			}
			again, err := s.do(ctx, f.deps, id, req)
			if err != nil {
				t.Fatalf("the retry with the same request ID failed: %v", err)
			}
			if first != again {
				t.Errorf("the retry answered %v, the first request %v", again, first)
			}
			if n := count(f.store.Types(casefile.StreamName(id)), s.event); n != 1 {
				t.Fatalf("the same request twice stored %d %s, want 1", n, s.event)
			}
			if !s.twice {
				return
			}
			if _, err := s.do(ctx, f.deps, id, domain.IDFrom[domain.RequestID](uuid.New())); err != nil {
				t.Fatal(err)
			}
			if n := count(f.store.Types(casefile.StreamName(id)), s.event); n != 2 {
				t.Fatalf("two different requests stored %d %s, want 2", n, s.event)
			}
		})
	}
}

func count(types []string, want string) int {
	n := 0
	for _, ty := range types {
		if ty == want {
			n++
		}
	}
	return n
}
