package readmodel

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Timers is the read model of pending timers (projection
// "TimerProjection"), read by readside.Scheduler:
//
//   - visit expiry: a waiting visit whose page is gone is due the grace
//     period after presence was lost; regaining presence or leaving the
//     queue removes it.
//   - appointment no-show: a booked appointment is due just after its
//     check-in window closes; check-in, cancellation or the no-show itself
//     removes it, rescheduling moves it.
//
// Because it is rebuilt from events, timers survive a restart.
type Timers struct {
	grace  time.Duration
	window appointment.CheckInWindow

	mu      sync.RWMutex
	tr      readside.Tracker
	waiting map[domain.VisitID]domain.OfficeID // visits waiting, for presence events
	inCall  map[domain.VisitID]domain.OfficeID // admitted visits, which may return to waiting
	pending map[string]readside.Timer
	appts   map[domain.AppointmentID]domain.OfficeID
}

var (
	_ readside.Handler   = (*Timers)(nil)
	_ readside.DueTimers = (*Timers)(nil)
)

// NewTimers returns an empty timer model with the presence grace period
// (visit.DefaultGracePeriod when 0) and check-in window (default when zero).
func NewTimers(grace time.Duration, w appointment.CheckInWindow) *Timers {
	if grace <= 0 {
		grace = visit.DefaultGracePeriod
	}
	if w.IsZero() {
		w = appointment.DefaultCheckInWindow()
	}
	return &Timers{
		grace: grace, window: w,
		waiting: map[domain.VisitID]domain.OfficeID{}, inCall: map[domain.VisitID]domain.OfficeID{}, pending: map[string]readside.Timer{},
		appts: map[domain.AppointmentID]domain.OfficeID{},
	}
}

// Name implements readside.Handler.
func (t *Timers) Name() string { return "TimerProjection" }

// Handle implements readside.Handler.
func (t *Timers) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tr.Seen(e.Position) {
		return nil
	}
	t.apply(e.Event)
	t.tr.Mark(e.Position)
	return nil
}

func (t *Timers) apply(ev domain.Event) {
	switch e := ev.(type) {
	case visit.VisitKnocked:
		t.waiting[e.VisitID] = e.OfficeID
	case visit.VisitReferred:
		if _, ok := t.waiting[e.VisitID]; ok {
			t.waiting[e.VisitID] = e.ToOfficeID
		}
		key := readside.Timer{Kind: readside.TimerVisitExpiry, VisitID: e.VisitID}.Key()
		if tm, ok := t.pending[key]; ok {
			tm.OfficeID = e.ToOfficeID
			t.pending[key] = tm
		}
	case visit.VisitReturnedToWaitingRoom:
		if o, ok := t.inCall[e.VisitID]; ok {
			delete(t.inCall, e.VisitID)
			t.waiting[e.VisitID] = o
		}
	case visit.VisitPresenceLost:
		if o, ok := t.waiting[e.VisitID]; ok {
			tm := readside.Timer{Kind: readside.TimerVisitExpiry, OfficeID: o, VisitID: e.VisitID, Due: e.At.Add(t.grace)}
			t.pending[tm.Key()] = tm
		}
	case visit.VisitPresenceRegained:
		t.cancelVisit(e.VisitID, false)
	case visit.VisitAdmitted:
		t.cancelVisit(e.VisitID, false)
		delete(t.waiting, e.VisitID)
		t.inCall[e.VisitID] = e.OfficeID
	case visit.VisitExpired:
		t.cancelVisit(e.VisitID, true)
	case visit.VisitWithdrawn:
		t.cancelVisit(e.VisitID, true)
	case visit.VisitDeclined:
		t.cancelVisit(e.VisitID, true)
	case visit.VisitEnded:
		t.cancelVisit(e.VisitID, true)
	case appointment.AppointmentBooked:
		t.appts[e.AppointmentID] = e.OfficeID
		t.arm(e.AppointmentID, e.SlotStart)
	case appointment.AppointmentRescheduled:
		if _, ok := t.appts[e.AppointmentID]; ok {
			t.arm(e.AppointmentID, e.ToStart)
		}
	case appointment.AppointmentCheckedIn:
		t.disarm(e.AppointmentID)
	case appointment.AppointmentCancelled:
		t.disarm(e.AppointmentID)
	case appointment.AppointmentNoShowRecorded:
		t.disarm(e.AppointmentID)
	}
}

func (t *Timers) cancelVisit(v domain.VisitID, final bool) {
	delete(t.pending, readside.Timer{Kind: readside.TimerVisitExpiry, VisitID: v}.Key())
	if final {
		delete(t.waiting, v)
		delete(t.inCall, v)
	}
}

func (t *Timers) arm(id domain.AppointmentID, slotStart time.Time) {
	// The domain refuses a no-show until strictly after the window closes.
	tm := readside.Timer{Kind: readside.TimerAppointmentNoShow, OfficeID: t.appts[id], AppointmentID: id, Due: t.window.Closes(slotStart).Add(time.Second)}
	t.pending[tm.Key()] = tm
}

func (t *Timers) disarm(id domain.AppointmentID) {
	delete(t.pending, readside.Timer{Kind: readside.TimerAppointmentNoShow, AppointmentID: id}.Key())
	delete(t.appts, id)
}

// Due implements readside.DueTimers: the timers due at or before now,
// earliest first.
func (t *Timers) Due(now time.Time) []readside.Timer {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []readside.Timer
	for _, tm := range t.pending {
		if !tm.Due.After(now) {
			out = append(out, tm)
		}
	}
	sortTimers(out)
	return out
}

// Present implements readside.DueTimers: the waiting visits without a
// recorded loss of their page (no expiry timer pending).
func (t *Timers) Present() []domain.VisitID {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []domain.VisitID
	for v := range t.waiting {
		if _, lost := t.pending[readside.Timer{Kind: readside.TimerVisitExpiry, VisitID: v}.Key()]; !lost {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b domain.VisitID) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// Pending returns every pending timer, earliest first.
func (t *Timers) Pending() []readside.Timer {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]readside.Timer, 0, len(t.pending))
	for _, tm := range t.pending {
		out = append(out, tm)
	}
	sortTimers(out)
	return out
}

func sortTimers(ts []readside.Timer) {
	slices.SortFunc(ts, func(a, b readside.Timer) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.Key(), b.Key())
	})
}
