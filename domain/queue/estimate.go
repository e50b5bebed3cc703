package queue

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

const (
	// RecentCalls is how many of the latest call durations are averaged.
	RecentCalls = 20
	// DefaultCallDuration is assumed when no call has ended yet.
	DefaultCallDuration = 10 * time.Minute
)

// AverageCall returns the mean of the last RecentCalls durations (newest
// last), ignoring non-positive values; DefaultCallDuration when none.
func AverageCall(recent []time.Duration) time.Duration {
	if len(recent) > RecentCalls {
		recent = recent[len(recent)-RecentCalls:]
	}
	var sum time.Duration
	n := 0
	for _, d := range recent {
		if d > 0 {
			sum += d
			n++
		}
	}
	if n == 0 {
		return DefaultCallDuration
	}
	return sum / time.Duration(n)
}

// EstimateWait returns the estimated wait at 1-based position with clerks
// serving; ok is false when no clerk is serving.
func EstimateWait(position, clerks int, avg time.Duration) (wait time.Duration, ok bool) {
	if clerks < 1 || position < 1 {
		return 0, false
	}
	rounds := (position - 1) / clerks
	wait = time.Duration(rounds)*avg + avg/2
	return (wait + time.Minute - 1).Truncate(time.Minute), true
}

// Place is a visit's place in the queue.
type Place struct {
	Entry
	Position      int // 1-based
	Prioritised   bool
	EstimatedWait time.Duration
	WaitKnown     bool
}

// Places orders entries and gives each its position and estimated wait.
func Places(entries []Entry, now time.Time, w appointment.CheckInWindow, recent []time.Duration, clerks int) []Place {
	ordered := Order(entries, now, w)
	avg := AverageCall(recent)
	out := make([]Place, len(ordered))
	for i, e := range ordered {
		wait, ok := EstimateWait(i+1, clerks, avg)
		out[i] = Place{Entry: e, Position: i + 1, Prioritised: e.Prioritised(now, w), EstimatedWait: wait, WaitKnown: ok}
	}
	return out
}
