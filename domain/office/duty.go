package office

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// GoOnDuty starts a clerk's duty at this office (allowed outside opening
// hours too, e.g. to prepare). Already on duty is a conflict.
func (o *Office) GoOnDuty(id domain.ClerkID, at time.Time) error {
	if err := domain.RequireID("clerk id", id); err != nil {
		return err
	}
	if _, ok := o.clerks[id]; ok {
		return ErrClerkAlreadyOnDuty
	}
	o.record(ClerkWentOnDuty{OfficeID: o.id, ClerkID: id, At: at})
	return nil
}

// Pause pauses a clerk on duty who is not in a call.
func (o *Office) Pause(id domain.ClerkID, at time.Time) error {
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
	o.record(ClerkPaused{OfficeID: o.id, ClerkID: id, At: at})
	return nil
}

// Resume ends a clerk's pause.
func (o *Office) Resume(id domain.ClerkID, at time.Time) error {
	c, err := o.onDuty(id)
	if err != nil {
		return err
	}
	if !c.paused {
		return ErrClerkNotPaused
	}
	o.record(ClerkResumed{OfficeID: o.id, ClerkID: id, At: at})
	return nil
}

// GoOffDuty ends a clerk's duty; a clerk in a call must end it first.
func (o *Office) GoOffDuty(id domain.ClerkID, at time.Time) error {
	c, err := o.onDuty(id)
	if err != nil {
		return err
	}
	if !c.call.IsZero() {
		return ErrClerkInCall
	}
	o.record(ClerkWentOffDuty{OfficeID: o.id, ClerkID: id, At: at})
	return nil
}

func (o *Office) onDuty(id domain.ClerkID) (*clerk, error) {
	c, ok := o.clerks[id]
	if !ok {
		return nil, ErrClerkNotOnDuty
	}
	return c, nil
}
