package appointment

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// Slot is a bookable period with the places left.
type Slot struct {
	Start, End time.Time
	Free       int
}

// FreeSlots lists the bookable slots of one day: each opening period is cut
// into consecutive slots of the service's duration from its start (a slot
// must end by the period's end); a slot is free when fewer than capacity
// reservations on ledger overlap it. Slots starting at or before now are
// left out. ledger may be nil for an empty day.
func FreeSlots(schedule hours.Schedule, day hours.Date, duration time.Duration, capacity int, ledger *SlotLedger, now time.Time) []Slot {
	if duration <= 0 || capacity < 1 {
		return nil
	}
	var out []Slot
	for _, r := range schedule.IntervalsOn(day) {
		for start := r.Start; !start.Add(duration).After(r.End); start = start.Add(duration) {
			if !start.After(now) {
				continue
			}
			end := start.Add(duration)
			taken := 0
			if ledger != nil {
				taken = ledger.Taken(start, end)
			}
			if taken < capacity {
				out = append(out, Slot{Start: start, End: end, Free: capacity - taken})
			}
		}
	}
	return out
}

// ErrNotASlot is returned when a start time is not on the slot grid of a
// service (see IsSlot).
var ErrNotASlot = domain.Invalid("not_a_slot", "the start time is not a slot of this service")

// IsSlot reports whether [start, start+duration) is one of the slots
// FreeSlots would list for the day of start (ignoring capacity and now).
func IsSlot(schedule hours.Schedule, start time.Time, duration time.Duration) bool {
	if duration <= 0 {
		return false
	}
	for _, r := range schedule.IntervalsOn(hours.BerlinDate(start)) {
		if start.Before(r.Start) || start.Add(duration).After(r.End) {
			continue
		}
		return start.Sub(r.Start)%duration == 0
	}
	return false
}
