package offices

import (
	"context"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// SetHoursException adds or replaces the exception for one date (a holiday,
// a closure or special hours) and keeps the rest of the hours.
type SetHoursException struct {
	OfficeID  domain.OfficeID
	Exception hours.ExceptionSpec
}

// SetHoursExceptionHandler handles SetHoursException.
type SetHoursExceptionHandler struct{ u updater }

// NewSetHoursExceptionHandler refuses an incomplete env.
func NewSetHoursExceptionHandler(env command.Env) (SetHoursExceptionHandler, error) {
	u, err := newUpdater(env)
	return SetHoursExceptionHandler{u: u}, err
}

// Handle merges the exception into the office's hours.
func (h SetHoursExceptionHandler) Handle(ctx context.Context, c command.Context, cmd SetHoursException) (command.Saved, error) {
	date, err := hours.ParseDate(cmd.Exception.Date)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		spec := o.Schedule().Spec()
		spec.Exceptions = slices.DeleteFunc(spec.Exceptions, func(e hours.ExceptionSpec) bool { return e.Date == date.String() })
		ex := cmd.Exception
		ex.Date = date.String()
		spec.Exceptions = append(spec.Exceptions, ex)
		s, err := hours.New(spec)
		if err != nil {
			return err
		}
		return o.SetHours(s, now)
	})
}

// RemoveHoursException drops the exception for one date; the weekly hours
// apply again. Removing a date without an exception changes nothing.
type RemoveHoursException struct {
	OfficeID domain.OfficeID
	Date     string // YYYY-MM-DD
}

// RemoveHoursExceptionHandler handles RemoveHoursException.
type RemoveHoursExceptionHandler struct{ u updater }

// NewRemoveHoursExceptionHandler refuses an incomplete env.
func NewRemoveHoursExceptionHandler(env command.Env) (RemoveHoursExceptionHandler, error) {
	u, err := newUpdater(env)
	return RemoveHoursExceptionHandler{u: u}, err
}

// Handle removes the exception.
func (h RemoveHoursExceptionHandler) Handle(ctx context.Context, c command.Context, cmd RemoveHoursException) (command.Saved, error) {
	date, err := hours.ParseDate(cmd.Date)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		spec := o.Schedule().Spec()
		n := len(spec.Exceptions)
		spec.Exceptions = slices.DeleteFunc(spec.Exceptions, func(e hours.ExceptionSpec) bool { return e.Date == date.String() })
		if len(spec.Exceptions) == n {
			return nil
		}
		s, err := hours.New(spec)
		if err != nil {
			return err
		}
		return o.SetHours(s, now)
	})
}
