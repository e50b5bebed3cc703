package visits

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// AdmitVisit lets a waiting citizen in (Einlass) as the acting clerk. With
// ContinueReference and ContinueToken the visit continues the citizen's
// existing case; otherwise a new case is opened (or, after a return to the
// waiting room, the visit's case continues).
type AdmitVisit struct {
	VisitID           domain.VisitID
	ContinueReference casefile.Reference
	ContinueToken     string
}

// Admission is the result of an admission.
type Admission struct {
	VisitID   domain.VisitID
	CaseID    domain.CaseID
	Reference casefile.Reference
	NewCase   bool
	CallID    domain.CallID
	// AdmittedEventID is the ID of VisitAdmitted, the causation of the
	// policies that follow.
	AdmittedEventID uuid.UUID
}

// AdmitVisitHandler handles AdmitVisit.
type AdmitVisitHandler struct {
	d    deps
	open cases.OpenCaseHandler
}

// NewAdmitVisitHandler refuses missing dependencies, the case deps and the
// reference allocator included.
func NewAdmitVisitHandler(d Deps) (AdmitVisitHandler, error) {
	dd, err := newDeps(d)
	if err != nil {
		return AdmitVisitHandler{}, err
	}
	if d.Cases.References == nil {
		return AdmitVisitHandler{}, errors.New("visits: admission needs the case reference allocator")
	}
	open, err := cases.NewOpenCaseHandler(d.Cases)
	if err != nil {
		return AdmitVisitHandler{}, err
	}
	return AdmitVisitHandler{d: dd, open: open}, nil
}

// CaseIDForVisit is the ID of the case a visit opens: derived, so every
// attempt to admit the visit names the same case and allocates at most one
// reference for it.
func CaseIDForVisit(id domain.VisitID) domain.CaseID {
	return domain.IDFrom[domain.CaseID](command.DeriveID("case-of-visit", id.String()))
}

// Handle admits the visit, then opens its new case.
func (h AdmitVisitHandler) Handle(ctx context.Context, c command.Context, cmd AdmitVisit) (Admission, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return Admission{}, err
	}
	vl, err := h.d.visits.Load(ctx, visit.StreamName(cmd.VisitID))
	if err != nil {
		return Admission{}, err
	}
	v := vl.Aggregate
	switch st := v.Status(); {
	case st == visit.StatusAdmitted || st == visit.StatusInCall:
		return Admission{}, visit.ErrAlreadyAdmitted
	case st != visit.StatusWaiting:
		return Admission{}, visit.ErrNotWaiting
	}
	ol, err := h.d.offices.Load(ctx, office.StreamName(v.Office()))
	if err != nil {
		return Admission{}, err
	}
	if err := ol.Aggregate.CanAdmit(clerk); err != nil { // before a reference is spent
		return Admission{}, err
	}
	meta := h.d.Env.Meta(c)
	ids, w := h.d.drawIDs(command.Write{Meta: meta})
	admittedID := ids[0]
	// Take the clerk first, on the office stream with its expected
	// revision: a clerk who double-clicks "admit" on two visits gets one,
	// and no case reference is spent on an admission that cannot happen.
	// The write is the one MarkClerkInCallOnVisitAdmitted would make.
	officeStream := office.StreamName(v.Office())
	_, busy := PolicyWrite(h.d.Env, ClerkInCallPolicy, meta.CorrelationID, admittedID)
	if _, _, err := h.d.offices.Update(ctx, officeStream, busy, func(o *office.Office) error {
		return o.StartCall(clerk, cmd.VisitID, meta.OccurredAt)
	}); err != nil {
		return Admission{}, err
	}
	ac := visit.AdmitCommand{ClerkID: clerk, CallID: domain.IDFrom[domain.CallID](h.d.Env.IDs.NewUUID())}
	// release undoes taking the clerk when the admission did not happen. It
	// runs even when the caller has gone (a hung-up request must not leave
	// the clerk "in a call" for good), and when the outcome of the visit's
	// append is unknown it first reads the visit: if this admission landed,
	// the clerk is really in the call and stays taken.
	release := func(cause error) error {
		undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if !definiteRefusal(cause) {
			if l, err := h.d.visits.Load(undoCtx, visit.StreamName(cmd.VisitID)); err == nil &&
				l.Aggregate.Clerk() == clerk && !l.Aggregate.Call().IsZero() && l.Aggregate.Call() == ac.CallID {
				return cause
			}
		}
		_, _, err := h.d.offices.Update(undoCtx, officeStream, command.Write{Meta: meta}, func(o *office.Office) error {
			return o.EndCall(clerk, cmd.VisitID, meta.OccurredAt)
		})
		return errors.Join(cause, err)
	}
	switch caseID, ref := v.Case(); {
	case !cmd.ContinueReference.IsZero():
		ac.CaseID, ac.CaseReference, err = h.continued(ctx, cmd)
	case !caseID.IsZero():
		ac.CaseID, ac.CaseReference = caseID, ref
	default:
		// Idempotent per case ID, which is derived from the visit: a retried
		// or lost admission of this visit reuses the number, so none is lost.
		ac.CaseID, ac.NewCase = CaseIDForVisit(v.ID()), true
		year := hours.BerlinDate(meta.OccurredAt).Year()
		ac.CaseReference, err = h.d.Cases.References.Allocate(ctx, command.Write{Meta: meta}, ac.CaseID, year)
	}
	if err != nil {
		return Admission{}, release(err)
	}
	_, _, err = h.d.visits.Update(ctx, visit.StreamName(cmd.VisitID), w, func(v *visit.Visit) error {
		return v.Admit(ac, ol.Aggregate, meta.OccurredAt) // the office as it was before the clerk was taken
	})
	if err != nil { // e.g. another clerk was first
		return Admission{}, release(err)
	}
	res := Admission{VisitID: cmd.VisitID, CaseID: ac.CaseID, Reference: ac.CaseReference, NewCase: ac.NewCase, CallID: ac.CallID, AdmittedEventID: admittedID}
	if !ac.NewCase {
		return res, nil
	}
	// Open the case now, exactly as the policy would (same actor, causation
	// and event IDs); if this fails the policy will do it.
	pc, pw := OpenCaseWrite(h.d.Env, meta.CorrelationID, admittedID)
	if _, err := h.open.Handle(ctx, pc, cases.OpenCase{
		CaseID: ac.CaseID, Reference: ac.CaseReference, OfficeID: v.Office(), ServiceID: v.Service(),
		VisitID: v.ID(), ClerkID: clerk,
	}, &pw); err != nil {
		return res, err
	}
	return res, nil
}

// continued resolves the citizen's case and checks its token.
func (h AdmitVisitHandler) continued(ctx context.Context, cmd AdmitVisit) (domain.CaseID, casefile.Reference, error) {
	id, err := h.d.Cases.References.Resolve(ctx, cmd.ContinueReference)
	if err != nil {
		return domain.CaseID{}, casefile.Reference{}, command.ErrBadToken
	}
	if err := command.CheckToken(cmd.ContinueToken, cases.Token(h.d.Tokens, id)); err != nil {
		return domain.CaseID{}, casefile.Reference{}, err
	}
	evs, err := h.d.Env.Store.Load(ctx, casefile.StreamName(id))
	if err != nil {
		return domain.CaseID{}, casefile.Reference{}, err
	}
	history := make([]domain.Event, len(evs))
	for i, e := range evs {
		history[i] = e.Event
	}
	cs, err := casefile.FromEvents(history)
	if err != nil {
		return domain.CaseID{}, casefile.Reference{}, err
	}
	if cs.IsClosed() {
		return domain.CaseID{}, casefile.Reference{}, casefile.ErrClosed
	}
	return id, cs.Reference(), nil
}

// definiteRefusal reports whether err means the store or the domain refused
// the write, so nothing was written; other errors (a lost connection, a
// cancelled request) leave the outcome unknown.
func definiteRefusal(err error) bool {
	return errors.Is(err, eventlog.ErrConflict) || !domain.CategoryOf(err).IsZero()
}
