package cases_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// TestCaseSteps: given an open case (with a running call where needed),
// when a command, then one event of a type, or an error.
func TestCaseSteps(t *testing.T) {
	otherOffice := domain.IDFrom[domain.OfficeID](uuid.New())
	callID := domain.IDFrom[domain.CallID](uuid.New())
	media := command.Context{Actor: mustActor(domain.RoleSystem, "media")}
	citizenInCall := mustActor(domain.RoleCitizen, "visit-1")
	type when func(ctx context.Context, d cases.Deps, id domain.CaseID) error
	startCall := func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
		h, _ := cases.NewStartCaseCallHandler(d)
		return h.Handle(ctx, system, cases.StartCaseCall{CaseID: id, CallID: callID, At: now}, nil)
	}
	tests := []struct {
		name    string
		inCall  bool
		when    when
		then    string
		wantErr error
	}{
		{name: "hand over", then: "CaseHandedOver", when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewHandOverHandler(d)
			_, err := h.Handle(ctx, clerk, cases.HandOver{CaseID: id, ToOfficeID: otherOffice})
			return err
		}},
		{name: "hand over during a call", inCall: true, wantErr: casefile.ErrCallActive, when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewHandOverHandler(d)
			_, err := h.Handle(ctx, clerk, cases.HandOver{CaseID: id, ToOfficeID: otherOffice})
			return err
		}},
		{name: "propose follow-up", then: "CaseFollowUpProposed", when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewProposeFollowUpHandler(d)
			_, err := h.Handle(ctx, clerk, cases.ProposeFollowUp{CaseID: id, OfficeID: otherOffice, ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), Start: now.Add(48 * time.Hour), Note: "Bitte Unterlagen mitbringen"})
			return err
		}},
		{name: "follow-up in the past", wantErr: casefile.ErrInvalidCase, when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewProposeFollowUpHandler(d)
			_, err := h.Handle(ctx, clerk, cases.ProposeFollowUp{CaseID: id, OfficeID: otherOffice, ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), Start: now.Add(-time.Hour)})
			return err
		}},
		{name: "start call", then: "CallStarted", when: startCall},
		{name: "participant joins", inCall: true, then: "CallParticipantJoined", when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewRecordCallParticipantHandler(d)
			_, err := h.Handle(ctx, media, cases.RecordCallParticipant{CaseID: id, CallID: callID, Participant: citizenInCall, Joined: true})
			return err
		}},
		{name: "participant leaves without joining", inCall: true, wantErr: casefile.ErrParticipantAbsent, when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewRecordCallParticipantHandler(d)
			_, err := h.Handle(ctx, media, cases.RecordCallParticipant{CaseID: id, CallID: callID, Participant: citizenInCall})
			return err
		}},
		{name: "end call", inCall: true, then: "CallEnded", when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewEndCaseCallHandler(d)
			return h.Handle(ctx, system, cases.EndCaseCall{CaseID: id, CallID: callID, Reason: casefile.CallCompleted, At: now}, nil)
		}},
		{name: "close during a call", inCall: true, wantErr: casefile.ErrCallActive, when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewCloseCaseHandler(d)
			_, err := h.Handle(ctx, clerk, cases.CloseCase{CaseID: id, Outcome: casefile.OutcomeCompleted})
			return err
		}},
		{name: "status by a citizen", wantErr: domain.ErrForbidden, when: func(ctx context.Context, d cases.Deps, id domain.CaseID) error {
			h, _ := cases.NewChangeStatusHandler(d)
			_, err := h.Handle(ctx, citizen, cases.ChangeStatus{CaseID: id, To: casefile.StatusInProgress})
			return err
		}},
		{name: "unknown case", wantErr: casefile.ErrNotFound, when: func(ctx context.Context, d cases.Deps, _ domain.CaseID) error {
			h, _ := cases.NewChangeStatusHandler(d)
			_, err := h.Handle(ctx, clerk, cases.ChangeStatus{CaseID: domain.IDFrom[domain.CaseID](uuid.New()), To: casefile.StatusInProgress})
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			ctx := context.Background()
			id := f.open(t)
			if tc.inCall {
				if err := startCall(ctx, f.deps, id); err != nil {
					t.Fatal(err)
				}
			}
			before := f.store.Types(casefile.StreamName(id))
			err := tc.when(ctx, f.deps, id)
			after := f.store.Types(casefile.StreamName(id))
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || len(after) != len(before) {
					t.Fatalf("err = %v, events %v; want %v and nothing written", err, after, tc.wantErr)
				}
				return
			}
			if err != nil || len(after) != len(before)+1 || after[len(after)-1] != tc.then {
				t.Fatalf("err = %v, events %v; want %s appended", err, after, tc.then)
			}
		})
	}
}
