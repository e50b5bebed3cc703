package readmodel

import (
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// clerkState is one clerk on duty at an office.
type clerkState struct {
	paused bool
	call   domain.VisitID
}

// roster tracks the clerks on duty at one office from its events, exactly
// as office.Office applies them.
type roster map[domain.ClerkID]clerkState

// apply folds a clerk event and reports whether it was one.
func (r roster) apply(e domain.Event) bool {
	switch e := e.(type) {
	case office.ClerkWentOnDuty:
		r[e.ClerkID] = clerkState{}
	case office.ClerkPaused:
		c := r[e.ClerkID]
		c.paused = true
		r[e.ClerkID] = c
	case office.ClerkResumed:
		c := r[e.ClerkID]
		c.paused = false
		r[e.ClerkID] = c
	case office.ClerkWentOffDuty:
		delete(r, e.ClerkID)
	case office.ClerkCallStarted:
		c := r[e.ClerkID]
		c.call = e.VisitID
		r[e.ClerkID] = c
	case office.ClerkCallEnded:
		if c, ok := r[e.ClerkID]; ok {
			c.call = domain.VisitID{}
			r[e.ClerkID] = c
		}
	default:
		return false
	}
	return true
}

// counts summarises the roster as office.Office.Clerks does.
func (r roster) counts() office.ClerkCounts {
	var n office.ClerkCounts
	for _, c := range r {
		n.OnDuty++
		switch {
		case c.paused:
			n.Paused++
		case !c.call.IsZero():
			n.InCall++
		default:
			n.Free++
		}
	}
	return n
}

// serving is the number of clerks on duty and not paused (domain/queue).
func (r roster) serving() int {
	n := r.counts()
	return n.OnDuty - n.Paused
}
