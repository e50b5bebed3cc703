package visit

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Clerks is what Admit needs from the office; *office.Office implements it.
// CanAdmit returns nil when the clerk is on duty there, not paused and not
// in a call.
type Clerks interface {
	ID() domain.OfficeID
	CanAdmit(clerk domain.ClerkID) error
}

// AdmitCommand lets a waiting citizen in.
type AdmitCommand struct {
	ClerkID domain.ClerkID
	// CaseID and CaseReference name the case: a new one (NewCase; the
	// application allocated the reference on the ReferenceCounter and the
	// OpenCaseOnVisitAdmitted policy opens it) or an existing one the citizen
	// named.
	CaseID        domain.CaseID
	CaseReference casefile.Reference
	NewCase       bool
	// CallID names the media session the admission starts.
	CallID domain.CallID
}

// Admit lets the waiting visit in. Admitting an admitted visit is a
// conflict (ErrAlreadyAdmitted); the event store's expected revision makes
// two concurrent admissions conflict as well.
func (v *Visit) Admit(cmd AdmitCommand, clerks Clerks, at time.Time) error {
	for _, err := range []error{
		domain.RequireID("clerk id", cmd.ClerkID), domain.RequireID("case id", cmd.CaseID),
		domain.RequireID("call id", cmd.CallID),
	} {
		if err != nil {
			return err
		}
	}
	if cmd.CaseReference.IsZero() {
		return domain.Wrapf(casefile.ErrInvalidReference, "case reference is required")
	}
	if clerks == nil {
		return domain.Wrapf(ErrInvalidVisit, "office is required")
	}
	switch {
	case v.status == StatusAdmitted || v.status == StatusInCall:
		return ErrAlreadyAdmitted
	case v.status != StatusWaiting:
		return ErrNotWaiting
	case clerks.ID() != v.office:
		return ErrWrongOffice
	}
	if err := clerks.CanAdmit(cmd.ClerkID); err != nil {
		return err
	}
	v.record(VisitAdmitted{
		VisitID: v.id, OfficeID: v.office, ClerkID: cmd.ClerkID, CaseID: cmd.CaseID,
		CaseReference: cmd.CaseReference, NewCase: cmd.NewCase, CallID: cmd.CallID, AdmittedAt: at,
	})
	return nil
}

// StartCall records that the media session connected. Repeating it while in
// the call does nothing.
func (v *Visit) StartCall(at time.Time) error {
	switch v.status {
	case StatusInCall:
		return nil
	case StatusAdmitted:
		v.record(VisitCallStarted{VisitID: v.id, CallID: v.call, StartedAt: at})
		return nil
	}
	return ErrNotAdmitted
}

// ReturnToWaitingRoom sends an admitted citizen back to wait. The knock time
// and with it the queue priority are kept; a running call ends first.
func (v *Visit) ReturnToWaitingRoom(clerk domain.ClerkID, at time.Time) error {
	if err := v.requireAdmittedBy(clerk); err != nil {
		return err
	}
	v.endCall(EndReturnedToWaiting, at)
	v.record(VisitReturnedToWaitingRoom{VisitID: v.id, ClerkID: clerk, ReturnedAt: at})
	return nil
}

// End finishes an admitted visit: a running call ends with reason, then
// VisitEnded. Ending an ended visit does nothing.
func (v *Visit) End(reason EndReason, at time.Time) error {
	if v.status == StatusEnded {
		return nil
	}
	if reason.IsZero() {
		return domain.Wrapf(ErrInvalidEndReason, "reason is required")
	}
	if v.status != StatusAdmitted && v.status != StatusInCall {
		return ErrNotAdmitted
	}
	v.endCall(reason, at)
	v.record(VisitEnded{VisitID: v.id, EndedAt: at})
	return nil
}

func (v *Visit) endCall(reason EndReason, at time.Time) {
	if v.status != StatusInCall {
		return
	}
	d := at.Sub(v.callStartedAt)
	if d < 0 {
		d = 0
	}
	v.record(VisitCallEnded{VisitID: v.id, CallID: v.call, DurationSeconds: int64(d / time.Second), Reason: reason, EndedAt: at})
}

func (v *Visit) requireAdmittedBy(clerk domain.ClerkID) error {
	if v.status != StatusAdmitted && v.status != StatusInCall {
		return ErrNotAdmitted
	}
	if v.clerk != clerk {
		return ErrWrongClerk
	}
	return nil
}
