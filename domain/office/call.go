package office

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// CanAdmit reports whether a clerk may admit a visit now: on duty here, not
// paused and not in a call. Opening hours are not checked: waiting citizens
// are served after closing time. visit.Admit calls it through its Clerks port.
func (o *Office) CanAdmit(id domain.ClerkID) error {
	c, err := o.onDuty(id)
	if err != nil {
		return err
	}
	switch {
	case c.paused:
		return ErrClerkPaused
	case !c.call.IsZero():
		return ErrClerkInCall
	}
	return nil
}

// StartCall marks a clerk as in a call with a visit (policy on VisitAdmitted).
// Repeating it for the same visit does nothing.
func (o *Office) StartCall(id domain.ClerkID, visit domain.VisitID, at time.Time) error {
	c, err := o.onDuty(id)
	if err != nil {
		return err
	}
	if c.call == visit {
		return nil
	}
	if !c.call.IsZero() {
		return ErrClerkInCall
	}
	o.record(ClerkCallStarted{OfficeID: o.id, ClerkID: id, VisitID: visit, At: at})
	return nil
}

// EndCall marks a clerk's call with visit as over (policy on VisitEnded or
// VisitReturnedToWaitingRoom). It does nothing when the clerk is not in that
// call, so retries are harmless.
func (o *Office) EndCall(id domain.ClerkID, visit domain.VisitID, at time.Time) error {
	c, ok := o.clerks[id]
	if !ok || c.call != visit {
		return nil
	}
	o.record(ClerkCallEnded{OfficeID: o.id, ClerkID: id, VisitID: visit, At: at})
	return nil
}
