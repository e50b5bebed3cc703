package appointment

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// CheckInWindow is the time around a slot's start in which a knock with the
// appointment's code gives priority: from Before the start until After it.
type CheckInWindow struct {
	before, after time.Duration
}

// DefaultCheckInWindow is 10 minutes before to 15 minutes after slot start.
func DefaultCheckInWindow() CheckInWindow {
	return CheckInWindow{before: 10 * time.Minute, after: 15 * time.Minute}
}

// ErrInvalidWindow is returned for negative or excessive windows.
var ErrInvalidWindow = domain.Invalid("invalid_check_in_window", "invalid check-in window")

// NewCheckInWindow validates 0..2h on either side.
func NewCheckInWindow(before, after time.Duration) (CheckInWindow, error) {
	if before < 0 || after < 0 || before > 2*time.Hour || after > 2*time.Hour {
		return CheckInWindow{}, domain.Wrapf(ErrInvalidWindow, "before %v, after %v", before, after)
	}
	return CheckInWindow{before: before, after: after}, nil
}

func (w CheckInWindow) Before() time.Duration { return w.before }
func (w CheckInWindow) After() time.Duration  { return w.after }
func (w CheckInWindow) IsZero() bool          { return w == CheckInWindow{} }

// Opens returns when check-in for a slot starting at slotStart opens.
func (w CheckInWindow) Opens(slotStart time.Time) time.Time { return slotStart.Add(-w.before) }

// Closes returns when check-in closes; a knock after that is a walk-in and
// the appointment may be marked as a no-show.
func (w CheckInWindow) Closes(slotStart time.Time) time.Time { return slotStart.Add(w.after) }

// Contains reports whether t lies in [Opens, Closes].
func (w CheckInWindow) Contains(slotStart, t time.Time) bool {
	return !t.Before(w.Opens(slotStart)) && !t.After(w.Closes(slotStart))
}
