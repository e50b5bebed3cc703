package casefile

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// ChangeStatus moves the working state; the same status again does nothing.
// Use Close to close a case.
func (c *Case) ChangeStatus(to Status, at time.Time) error {
	if to.IsZero() {
		return domain.Wrapf(ErrInvalidStatus, "status is required")
	}
	if to == StatusClosed {
		return domain.Wrapf(ErrInvalidStatus, "close a case with Close and an outcome")
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if to == c.status {
		return nil
	}
	c.record(CaseStatusChanged{CaseID: c.id, From: c.status, To: to, ChangedAt: at})
	return nil
}

// HandOver moves the case to another office and/or clerk. toClerk may be
// zero (the new office's queue of cases picks it up); handing over to the
// current office and clerk does nothing.
func (c *Case) HandOver(toOffice domain.OfficeID, toClerk domain.ClerkID, at time.Time) error {
	if err := domain.RequireID("office id", toOffice); err != nil {
		return err
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if !c.call.id.IsZero() {
		return ErrCallActive
	}
	if toOffice == c.office && toClerk == c.clerk {
		return nil
	}
	c.record(CaseHandedOver{CaseID: c.id, FromOfficeID: c.office, ToOfficeID: toOffice,
		FromClerkID: c.clerk, ToClerkID: toClerk, HandedOverAt: at})
	return nil
}

// FollowUp proposes a follow-up appointment.
type FollowUp struct {
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
	Start     time.Time
	Note      string // optional, shown to the citizen
}

// ProposeFollowUp records a proposed follow-up appointment starting after
// at. Booking it is a separate command on the appointment aggregates.
func (c *Case) ProposeFollowUp(f FollowUp, at time.Time) error {
	if err := domain.RequireID("office id", f.OfficeID); err != nil {
		return err
	}
	if err := domain.RequireID("service id", f.ServiceID); err != nil {
		return err
	}
	if !f.Start.After(at) {
		return domain.Wrapf(ErrInvalidCase, "follow-up must start in the future")
	}
	note := ""
	if f.Note != "" {
		n, err := domain.CleanText("note", f.Note, 1, 1000, true)
		if err != nil {
			return err
		}
		note = n
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	c.record(CaseFollowUpProposed{CaseID: c.id, OfficeID: f.OfficeID, ServiceID: f.ServiceID,
		ProposedStart: f.Start, Note: note, ProposedAt: at})
	return nil
}

// Close finishes the case with an outcome and an optional summary. A
// running call must end first. After Close every step fails with ErrClosed.
func (c *Case) Close(outcome Outcome, summary string, at time.Time) error {
	if outcome.IsZero() {
		return domain.Wrapf(ErrInvalidOutcome, "outcome is required")
	}
	if summary != "" {
		s, err := domain.CleanText("summary", summary, 1, MaxNote, true)
		if err != nil {
			return err
		}
		summary = s
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if !c.call.id.IsZero() {
		return ErrCallActive
	}
	c.record(CaseClosed{CaseID: c.id, Outcome: outcome, Summary: summary, ClosedAt: at})
	return nil
}
