package office

import (
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// DoorState is the derived state of an office door (Tür).
type DoorState struct{ s string }

var (
	// DoorOpen: within opening hours and at least one clerk on duty is free.
	DoorOpen = DoorState{"open"}
	// DoorBusy: within hours, every on-duty, non-paused clerk is in a call.
	DoorBusy = DoorState{"busy"}
	// DoorPaused: within hours, every on-duty clerk is paused.
	DoorPaused = DoorState{"paused"}
	// DoorClosed: outside opening hours or nobody on duty.
	DoorClosed = DoorState{"closed"}
)

func (d DoorState) String() string { return d.s }
func (d DoorState) IsZero() bool   { return d == DoorState{} }

// MarshalText encodes the state name.
func (d DoorState) MarshalText() ([]byte, error) { return []byte(d.s), nil }

// ParseDoorState parses "open", "busy", "paused" or "closed".
func ParseDoorState(s string) (DoorState, error) {
	for _, d := range []DoorState{DoorOpen, DoorBusy, DoorPaused, DoorClosed} {
		if d.s == s {
			return d, nil
		}
	}
	return DoorState{}, domain.Wrapf(ErrInvalidOffice, "door state %q", s)
}

// UnmarshalText parses a state name.
func (d *DoorState) UnmarshalText(b []byte) error {
	v, err := ParseDoorState(string(b))
	*d = v
	return err
}

// ClerkStatus is one clerk on duty.
type ClerkStatus struct {
	ClerkID domain.ClerkID
	Paused  bool
	// InCallWith is the visit the clerk is in a call with; zero when free.
	InCallWith domain.VisitID
}

// ClerksOnDuty lists the clerks on duty in the order they went on duty.
func (o *Office) ClerksOnDuty() []ClerkStatus {
	out := make([]ClerkStatus, 0, len(o.onDutyOrder))
	for _, id := range o.onDutyOrder {
		c := o.clerks[id]
		out = append(out, ClerkStatus{ClerkID: id, Paused: c.paused, InCallWith: c.call})
	}
	return out
}

// ClerkCounts summarises the clerks on duty.
type ClerkCounts struct {
	OnDuty int // including paused and in call
	Paused int
	InCall int
	Free   int // on duty, not paused, not in call
}

// Clerks counts the clerks on duty by status.
func (o *Office) Clerks() ClerkCounts {
	var n ClerkCounts
	for _, c := range o.clerks {
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

// Door derives the door state at instant at.
func (o *Office) Door(at time.Time) DoorState {
	if !o.schedule.IsOpenAt(at) {
		return DoorClosed
	}
	n := o.Clerks()
	switch {
	case n.OnDuty == 0:
		return DoorClosed
	case n.Free > 0:
		return DoorOpen
	case n.InCall > 0:
		return DoorBusy
	default:
		return DoorPaused
	}
}

// DoorClosedError refuses a knock. NextOpening is the start of the next
// opening period after the current one (zero if none within a year, or when
// the door is only paused within hours and may reopen any moment).
type DoorClosedError struct {
	State       DoorState
	NextOpening time.Time
}

func (e *DoorClosedError) Error() string {
	if e.NextOpening.IsZero() {
		return fmt.Sprintf("the door is %s", e.State)
	}
	return fmt.Sprintf("the door is %s; next opening %s", e.State, e.NextOpening.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrDoorClosed) and the precondition category work.
func (e *DoorClosedError) Unwrap() error { return ErrDoorClosed }

// AcceptKnock decides whether a citizen may knock for service at instant at:
// the service must be offered and the door open or busy. It returns
// ErrServiceNotOffered or a *DoorClosedError. visit.Knock calls it through
// its Door port.
func (o *Office) AcceptKnock(service domain.ServiceID, at time.Time) error {
	if _, ok := o.Service(service); !ok {
		return ErrServiceNotOffered
	}
	switch st := o.Door(at); st {
	case DoorOpen, DoorBusy:
		return nil
	case DoorPaused:
		return &DoorClosedError{State: st}
	default:
		next, _ := o.schedule.NextOpeningAfterClose(at)
		return &DoorClosedError{State: st, NextOpening: next}
	}
}
