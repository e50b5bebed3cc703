package application

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
)

// TimerActions implements readside.TimerActions: the scheduler's due
// timers become commands issued by the system. Both are idempotent: a
// visit that is no longer waiting, came back, or an appointment that is no
// longer booked is not an error (the timer merely fired late or twice).
type TimerActions struct {
	expire  visits.ExpireHandler
	noShow  appointments.RecordNoShowHandler
	atStart visits.LosePresenceAtStartHandler
}

// PresenceLostAtStart records that the pages of the visits present when
// this process started are gone (unless they came back meanwhile), so the
// grace period runs for ghosts of a killed or stopped process.
func (t TimerActions) PresenceLostAtStart(ctx context.Context, ids []domain.VisitID) error {
	c, err := timerContext("PresenceAtStart")
	if err != nil {
		return err
	}
	_, err = t.atStart.Handle(ctx, c, visits.LosePresenceAtStart{VisitIDs: ids})
	return err
}

// ExpireVisit expires a visit whose page has been gone for the grace period.
func (t TimerActions) ExpireVisit(ctx context.Context, id domain.VisitID) error {
	c, err := timerContext("ExpireVisitTimer")
	if err != nil {
		return err
	}
	_, err = t.expire.Handle(ctx, c, visits.Expire{VisitID: id})
	return ignoreDecisions(err)
}

// MarkNoShow records a no-show for an appointment whose window closed.
func (t TimerActions) MarkNoShow(ctx context.Context, id domain.AppointmentID) error {
	c, err := timerContext("NoShowTimer")
	if err != nil {
		return err
	}
	return ignoreDecisions(t.noShow.Handle(ctx, c, appointments.RecordNoShow{AppointmentID: id}))
}

func timerContext(name string) (command.Context, error) {
	a, err := domain.NewActor(domain.RoleSystem, name)
	return command.Context{Actor: a}, err
}

// ignoreDecisions drops precondition refusals (nothing to do) and keeps
// everything else, races included, for the scheduler to retry.
func ignoreDecisions(err error) error {
	if err != nil && !errors.Is(err, command.ErrConcurrentChange) && domain.CategoryOf(err) == domain.CategoryPrecondition {
		return nil
	}
	return err
}
