package queue

import (
	"cmp"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

// Entry is one waiting visit as the queue needs it.
type Entry struct {
	VisitID   domain.VisitID
	KnockedAt time.Time
	// AppointmentSlot is the start of the booked slot; zero for walk-ins.
	AppointmentSlot time.Time
}

// Prioritised reports whether e counts as a due appointment at now.
func (e Entry) Prioritised(now time.Time, w appointment.CheckInWindow) bool {
	return !e.AppointmentSlot.IsZero() && w.Contains(e.AppointmentSlot, now)
}

// Order returns the entries in serving order (a new slice).
func Order(entries []Entry, now time.Time, w appointment.CheckInWindow) []Entry {
	out := slices.Clone(entries)
	slices.SortStableFunc(out, func(a, b Entry) int {
		pa, pb := a.Prioritised(now, w), b.Prioritised(now, w)
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		case pa && pb:
			if c := a.AppointmentSlot.Compare(b.AppointmentSlot); c != 0 {
				return c
			}
		}
		if c := a.KnockedAt.Compare(b.KnockedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.VisitID.String(), b.VisitID.String())
	})
	return out
}
