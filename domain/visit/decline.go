package visit

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// MaxReason is the longest decline or referral reason.
const MaxReason = 500

// Decline turns a waiting visit away with a reason shown to the citizen.
// To decline with a referral to another office use Refer.
func (v *Visit) Decline(clerk domain.ClerkID, reason string, at time.Time) error {
	if err := domain.RequireID("clerk id", clerk); err != nil {
		return err
	}
	reason, err := domain.CleanText("reason", reason, 1, MaxReason, true)
	if err != nil {
		return err
	}
	if v.status != StatusWaiting {
		return ErrNotWaiting
	}
	v.record(VisitDeclined{VisitID: v.id, ClerkID: clerk, Reason: reason, DeclinedAt: at})
	return nil
}

// ReferCommand declines a visit here and moves it into another office's
// queue for one of that office's services.
type ReferCommand struct {
	ClerkID     domain.ClerkID
	ToServiceID domain.ServiceID
	Reason      string
}

// Refer moves a waiting visit to target's queue. The visit keeps its knock
// time, so it is placed there as if it had knocked there at first. target
// must accept knocks for the service now (its door open or busy).
func (v *Visit) Refer(cmd ReferCommand, target Door, at time.Time) error {
	if err := domain.RequireID("clerk id", cmd.ClerkID); err != nil {
		return err
	}
	if err := domain.RequireID("service id", cmd.ToServiceID); err != nil {
		return err
	}
	reason, err := domain.CleanText("reason", cmd.Reason, 1, MaxReason, true)
	if err != nil {
		return err
	}
	if target == nil {
		return domain.Wrapf(ErrInvalidVisit, "target office is required")
	}
	if target.ID() == v.office {
		return ErrSameOffice
	}
	if v.status != StatusWaiting {
		return ErrNotWaiting
	}
	if err := target.AcceptKnock(cmd.ToServiceID, at); err != nil {
		return err
	}
	v.record(VisitReferred{
		VisitID: v.id, ClerkID: cmd.ClerkID, FromOfficeID: v.office, ToOfficeID: target.ID(),
		ToServiceID: cmd.ToServiceID, Reason: reason, ReferredAt: at,
	})
	return nil
}

// MaxMessage is the longest text message to a waiting citizen.
const MaxMessage = 1000

// SendMessage records a clerk's text message to a waiting citizen.
func (v *Visit) SendMessage(clerk domain.ClerkID, text string, at time.Time) error {
	if err := domain.RequireID("clerk id", clerk); err != nil {
		return err
	}
	text, err := domain.CleanText("message", text, 1, MaxMessage, true)
	if err != nil {
		return err
	}
	if v.status != StatusWaiting {
		return ErrNotWaiting
	}
	v.record(VisitMessageSent{VisitID: v.id, ClerkID: clerk, Text: text, SentAt: at})
	return nil
}
