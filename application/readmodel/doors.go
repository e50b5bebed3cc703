package readmodel

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// DoorView is an office's door as a live view shows it.
type DoorView struct {
	OfficeID domain.OfficeID
	Name     string
	State    office.DoorState
	Clerks   office.ClerkCounts
	// ClosesAt is the end of the current opening period (zero when closed).
	ClosesAt time.Time
	// NextOpening is the start of the next opening period after the current
	// one (zero when none within a year).
	NextOpening time.Time
}

// Doors is the door-state read model (projection "DoorProjection"): for
// each office its hours and clerks, from which the door state at any
// instant is derived as office.Office.Door derives it.
type Doors struct {
	notify readside.ChangeNotifier

	mu      sync.RWMutex
	tr      readside.Tracker
	offices map[domain.OfficeID]*doorOffice
}

type doorOffice struct {
	name     string
	schedule hours.Schedule
	clerks   roster
	shown    office.DoorState // the state last notified, for Tick
}

var _ readside.Handler = (*Doors)(nil)

// NewDoors returns an empty door read model; notify may be nil.
func NewDoors(notify readside.ChangeNotifier) *Doors {
	return &Doors{notify: notifierOr(notify), offices: map[domain.OfficeID]*doorOffice{}}
}

// Name implements readside.Handler.
func (d *Doors) Name() string { return "DoorProjection" }

// Handle implements readside.Handler.
func (d *Doors) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	changed, id := func() (bool, domain.OfficeID) {
		d.mu.Lock()
		defer d.mu.Unlock() // also when apply panics: the router recovers and retries
		if d.tr.Seen(e.Position) {
			return false, domain.OfficeID{}
		}
		changed, id := d.apply(e.Event)
		d.tr.Mark(e.Position) // not on a panic: the retry applies it again
		return changed, id
	}()
	if changed {
		d.notify.Notify(readside.Change{Kind: readside.KindDoor, OfficeID: id, Position: e.Position})
	}
	return nil
}

func (d *Doors) apply(ev domain.Event) (bool, domain.OfficeID) {
	switch e := ev.(type) {
	case office.OfficeEstablished:
		s, err := hours.New(e.Hours)
		if err != nil {
			return false, e.OfficeID // the aggregate refused this spec; cannot happen for recorded events
		}
		d.offices[e.OfficeID] = &doorOffice{name: e.Name, schedule: s, clerks: roster{}}
		return true, e.OfficeID
	case office.OfficeHoursSet:
		o := d.office(e.OfficeID)
		if s, err := hours.New(e.Hours); err == nil {
			o.schedule = s
		}
		return true, e.OfficeID
	case office.ClerkWentOnDuty:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	case office.ClerkPaused:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	case office.ClerkResumed:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	case office.ClerkWentOffDuty:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	case office.ClerkCallStarted:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	case office.ClerkCallEnded:
		return d.office(e.OfficeID).clerks.apply(e), e.OfficeID
	}
	return false, domain.OfficeID{}
}

func (d *Doors) office(id domain.OfficeID) *doorOffice {
	o, ok := d.offices[id]
	if !ok {
		o = &doorOffice{clerks: roster{}}
		d.offices[id] = o
	}
	return o
}

// Door returns an office's door at instant now.
func (d *Doors) Door(id domain.OfficeID, now time.Time) (DoorView, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.offices[id]
	if !ok {
		return DoorView{}, false
	}
	return o.view(id, now), true
}

// All returns every office's door at now, ordered by office ID.
func (d *Doors) All(now time.Time) []DoorView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]DoorView, 0, len(d.offices))
	for id, o := range d.offices {
		out = append(out, o.view(id, now))
	}
	slices.SortFunc(out, func(a, b DoorView) int { return compareIDs(a.OfficeID, b.OfficeID) })
	return out
}

// Tick notifies a door change for every office whose state at now differs
// from the state last seen by Tick (opening and closing times pass without
// an event). The readside.Scheduler calls it.
func (d *Doors) Tick(_ context.Context, now time.Time) {
	var changes []readside.Change
	func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		for id, o := range d.offices {
			st := o.state(now)
			if st != o.shown {
				o.shown = st
				changes = append(changes, readside.Change{Kind: readside.KindDoor, OfficeID: id})
			}
		}
	}()
	notifyAll(d.notify, changes)
}

func (o *doorOffice) state(at time.Time) office.DoorState {
	if !o.schedule.IsOpenAt(at) {
		return office.DoorClosed
	}
	n := o.clerks.counts()
	switch {
	case n.OnDuty == 0:
		return office.DoorClosed
	case n.Free > 0:
		return office.DoorOpen
	case n.InCall > 0:
		return office.DoorBusy
	default:
		return office.DoorPaused
	}
}

func (o *doorOffice) view(id domain.OfficeID, now time.Time) DoorView {
	v := DoorView{OfficeID: id, Name: o.name, State: o.state(now), Clerks: o.clerks.counts()}
	if end, ok := o.schedule.ClosingTime(now); ok {
		v.ClosesAt = end
	}
	if next, ok := o.schedule.NextOpeningAfterClose(now); ok {
		v.NextOpening = next
	}
	return v
}

// compareIDs orders typed IDs by their UUID bytes.
func compareIDs[K any](a, b domain.ID[K]) int {
	ua, ub := a.UUID(), b.UUID()
	for i := range ua {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
