package queue

import (
	"bytes"
	"slices"
	"time"

	"github.com/google/uuid"

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

// Order returns the entries in serving order (a new slice): due
// appointments first by slot, then everyone by knock time, ties by visit ID.
// Each entry's prioritisation is decided once, and visit IDs are compared as
// bytes, which orders them exactly as their canonical strings (fixed-width
// lower-case hex) would without formatting them.
func Order(entries []Entry, now time.Time, w appointment.CheckInWindow) []Entry {
	keyed := make([]ordered, len(entries))
	for i, e := range entries {
		keyed[i] = ordered{Entry: e, id: e.VisitID.UUID(), prio: e.Prioritised(now, w)}
	}
	slices.SortStableFunc(keyed, compareOrdered)
	out := make([]Entry, len(keyed))
	for i := range keyed {
		out[i] = keyed[i].Entry
	}
	return out
}

// ordered is an entry with its sort keys.
type ordered struct {
	Entry
	id   uuid.UUID
	prio bool
}

func compareOrdered(a, b ordered) int {
	switch {
	case a.prio && !b.prio:
		return -1
	case b.prio && !a.prio:
		return 1
	case a.prio && b.prio:
		if c := a.AppointmentSlot.Compare(b.AppointmentSlot); c != 0 {
			return c
		}
	}
	if c := a.KnockedAt.Compare(b.KnockedAt); c != 0 {
		return c
	}
	return bytes.Compare(a.id[:], b.id[:])
}
