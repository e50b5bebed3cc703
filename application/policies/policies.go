package policies

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Stable policy names. The visit handlers do the work of the first four at
// once with the same derived event IDs (see visits.PolicyWrite).
const (
	OpenCaseOnVisitAdmitted               = visits.OpenCasePolicy
	MarkClerkInCallOnVisitAdmitted        = visits.ClerkInCallPolicy
	FreeClerkOnVisitEnded                 = visits.FreeClerkOnEndedPolicy
	FreeClerkOnVisitReturnedToWaitingRoom = visits.FreeClerkOnReturnedPolicy
	StartCaseCallOnVisitCallStarted       = "StartCaseCallOnVisitCallStarted"
	EndCaseCallOnVisitCallEnded           = "EndCaseCallOnVisitCallEnded"
	CheckInAppointmentOnVisitKnocked      = "CheckInAppointmentOnVisitKnocked"
)

// Deps are what the policies need.
type Deps struct {
	Env          command.Env
	Cases        cases.Deps
	Appointments appointments.Deps
}

// All returns every policy, in a stable order.
func All(d Deps) ([]Policy, error) {
	if err := d.Env.Validate(); err != nil {
		return nil, err
	}
	open, err := cases.NewOpenCaseHandler(d.Cases)
	if err != nil {
		return nil, err
	}
	startCall, err := cases.NewStartCaseCallHandler(d.Cases)
	if err != nil {
		return nil, err
	}
	endCall, err := cases.NewEndCaseCallHandler(d.Cases)
	if err != nil {
		return nil, err
	}
	checkIn, err := appointments.NewCheckInAppointmentHandler(d.Appointments)
	if err != nil {
		return nil, err
	}
	offices, err := command.NewRepository(d.Env.Store, office.FromEvents, d.Env.IDs, command.RepositoryOptions{Retries: 3})
	if err != nil {
		return nil, err
	}
	visits, err := command.NewRepository(d.Env.Store, visit.FromEvents, d.Env.IDs, command.RepositoryOptions{})
	if err != nil {
		return nil, err
	}
	// visitOf reads the visit a visit event belongs to (for its clerk,
	// office, case and call, which not every event repeats).
	visitOf := func(ctx context.Context, stream string) (*visit.Visit, error) {
		l, err := visits.Load(ctx, stream)
		return l.Aggregate, err
	}
	freeClerk := func(ctx context.Context, _ command.Context, w command.Write, e eventlog.RecordedEvent) error {
		// The clerk is the one of the admission that the event ends: find the
		// last VisitAdmitted before it.
		evs, err := d.Env.Store.Load(ctx, e.Stream)
		if err != nil {
			return err
		}
		var adm *visit.VisitAdmitted
		for _, x := range evs {
			if x.Revision >= e.Revision {
				break
			}
			if a, ok := x.Event.(visit.VisitAdmitted); ok {
				adm = &a
			}
		}
		if adm == nil {
			return nil
		}
		_, _, err = offices.Update(ctx, office.StreamName(adm.OfficeID), w, func(o *office.Office) error {
			return o.EndCall(adm.ClerkID, adm.VisitID, w.Meta.OccurredAt)
		})
		return err
	}
	mk := func(name string, streams []string, h func(context.Context, command.Context, command.Write, eventlog.RecordedEvent) error) Policy {
		return Policy{name: name, streams: streams, handle: h, env: d.Env}
	}
	visitStreams := []string{"visit-"}
	return []Policy{
		mk(OpenCaseOnVisitAdmitted, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			a, ok := e.Event.(visit.VisitAdmitted)
			if !ok || !a.NewCase {
				return nil
			}
			v, err := visitOf(ctx, e.Stream)
			if err != nil {
				return err
			}
			_, err = open.Handle(ctx, pc, cases.OpenCase{
				CaseID: a.CaseID, Reference: a.CaseReference, OfficeID: a.OfficeID, ServiceID: v.Service(),
				VisitID: a.VisitID, ClerkID: a.ClerkID,
			}, &w)
			return err
		}),
		mk(MarkClerkInCallOnVisitAdmitted, visitStreams, func(ctx context.Context, _ command.Context, w command.Write, e eventlog.RecordedEvent) error {
			a, ok := e.Event.(visit.VisitAdmitted)
			if !ok {
				return nil
			}
			_, _, err := offices.Update(ctx, office.StreamName(a.OfficeID), w, func(o *office.Office) error {
				return o.StartCall(a.ClerkID, a.VisitID, a.AdmittedAt)
			})
			return err
		}),
		mk(FreeClerkOnVisitEnded, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			if _, ok := e.Event.(visit.VisitEnded); !ok {
				return nil
			}
			return freeClerk(ctx, pc, w, e)
		}),
		mk(FreeClerkOnVisitReturnedToWaitingRoom, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			if _, ok := e.Event.(visit.VisitReturnedToWaitingRoom); !ok {
				return nil
			}
			return freeClerk(ctx, pc, w, e)
		}),
		mk(StartCaseCallOnVisitCallStarted, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			s, ok := e.Event.(visit.VisitCallStarted)
			if !ok {
				return nil
			}
			v, err := visitOf(ctx, e.Stream)
			if err != nil {
				return err
			}
			caseID, _ := v.Case()
			return startCall.Handle(ctx, pc, cases.StartCaseCall{CaseID: caseID, CallID: s.CallID, VisitID: s.VisitID, At: s.StartedAt}, &w)
		}),
		mk(EndCaseCallOnVisitCallEnded, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			s, ok := e.Event.(visit.VisitCallEnded)
			if !ok {
				return nil
			}
			v, err := visitOf(ctx, e.Stream)
			if err != nil {
				return err
			}
			reason, err := casefile.ParseCallEndReason(s.Reason.String())
			if err != nil {
				return err
			}
			caseID, _ := v.Case()
			return endCall.Handle(ctx, pc, cases.EndCaseCall{CaseID: caseID, CallID: s.CallID, Reason: reason, At: s.EndedAt}, &w)
		}),
		mk(CheckInAppointmentOnVisitKnocked, visitStreams, func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error {
			k, ok := e.Event.(visit.VisitKnocked)
			if !ok || k.AppointmentID.IsZero() {
				return nil
			}
			return checkIn.Handle(ctx, pc, appointments.CheckInAppointment{AppointmentID: k.AppointmentID, VisitID: k.VisitID, KnockedAt: k.KnockedAt}, &w)
		}),
	}, nil
}

// ErrUnknownPolicy is returned by ByName for names not in All.
var ErrUnknownPolicy = errors.New("policies: unknown policy")

// ByName finds a policy in list.
func ByName(list []Policy, name string) (Policy, error) {
	for _, p := range list {
		if p.name == name {
			return p, nil
		}
	}
	return Policy{}, ErrUnknownPolicy
}
