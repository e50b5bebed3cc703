package readside_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

type fakeTimers struct {
	timers  []readside.Timer
	present []domain.VisitID
}

func (f *fakeTimers) Present() []domain.VisitID { return f.present }

func (f *fakeTimers) Due(now time.Time) []readside.Timer {
	var out []readside.Timer
	for _, t := range f.timers {
		if !t.Due.After(now) {
			out = append(out, t)
		}
	}
	return out
}

type fakeActions struct {
	mu      sync.Mutex
	lost    []domain.VisitID
	expired []domain.VisitID
	noShows []domain.AppointmentID
	err     error
}

func (a *fakeActions) ExpireVisit(_ context.Context, id domain.VisitID) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expired = append(a.expired, id)
	return a.err
}

func (a *fakeActions) PresenceLostAtStart(_ context.Context, ids []domain.VisitID) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lost = append(a.lost, ids...)
	return a.err
}

func (a *fakeActions) MarkNoShow(_ context.Context, id domain.AppointmentID) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.noShows = append(a.noShows, id)
	return a.err
}

type tickRecorder struct{ at []time.Time }

func (r *tickRecorder) Tick(_ context.Context, now time.Time) { r.at = append(r.at, now) }

func TestSchedulerFiresDueTimersOnceUntilRetryAfter(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	visit := domain.IDFrom[domain.VisitID](uuid.New())
	appt := domain.IDFrom[domain.AppointmentID](uuid.New())
	clock := &fakeClock{now: t0}
	timers := &fakeTimers{timers: []readside.Timer{
		{Kind: readside.TimerVisitExpiry, VisitID: visit, Due: t0.Add(2 * time.Minute)},
		{Kind: readside.TimerAppointmentNoShow, AppointmentID: appt, Due: t0.Add(5 * time.Minute)},
	}}
	actions := &fakeActions{}
	ticks := &tickRecorder{}
	s, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: clock, Timers: timers, Actions: actions, Tickers: []readside.Ticker{ticks}, RetryAfter: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	steps := []struct {
		at        time.Duration
		wantFired int
	}{
		{0, 0},                 // nothing due yet
		{2 * time.Minute, 1},   // visit expiry due
		{150 * time.Second, 0}, // resting: its event has not arrived yet
		{5 * time.Minute, 2},   // rest over: visit again, and the no-show
	}
	for _, st := range steps {
		clock.now = t0.Add(st.at)
		if got := s.Tick(ctx); got != st.wantFired {
			t.Errorf("at +%v fired %d, want %d", st.at, got, st.wantFired)
		}
	}
	if len(actions.expired) != 2 || actions.expired[0] != visit {
		t.Errorf("expired %v, want the visit twice", actions.expired)
	}
	if len(actions.noShows) != 1 || actions.noShows[0] != appt {
		t.Errorf("no-shows %v, want the appointment once", actions.noShows)
	}
	if len(ticks.at) != len(steps) {
		t.Errorf("tickers told %d times, want %d", len(ticks.at), len(steps))
	}
}

func TestSchedulerForgetsTimersThatAreGoneAndReportsErrors(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	visit := domain.IDFrom[domain.VisitID](uuid.New())
	clock := &fakeClock{now: t0}
	timers := &fakeTimers{timers: []readside.Timer{{Kind: readside.TimerVisitExpiry, VisitID: visit, Due: t0}}}
	actions := &fakeActions{err: errors.New("boom")}
	var reported []readside.Timer
	s, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: clock, Timers: timers, Actions: actions, RetryAfter: time.Hour,
		OnError: func(tm readside.Timer, _ error) { reported = append(reported, tm) },
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Tick(context.Background())
	if len(reported) != 1 || reported[0].VisitID != visit {
		t.Fatalf("reported %v, want the failed visit timer", reported)
	}
	timers.timers = nil // the VisitExpired event removed it
	s.Tick(context.Background())
	timers.timers = []readside.Timer{{Kind: readside.TimerVisitExpiry, VisitID: visit, Due: t0}} // re-armed later
	if got := s.Tick(context.Background()); got != 1 {
		t.Errorf("a re-armed timer fired %d times, want 1 (the old rest must be forgotten)", got)
	}
}

func TestSchedulerConfigValidate(t *testing.T) {
	_, err := readside.NewScheduler(readside.SchedulerConfig{Interval: -1})
	if err == nil {
		t.Fatal("NewScheduler accepted an empty config")
	}
	for _, want := range []string{"clock", "timers", "actions", "negative"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

type signallingActions struct {
	fakeActions
	fired chan struct{}
}

func (a *signallingActions) ExpireVisit(ctx context.Context, id domain.VisitID) error {
	defer func() {
		select {
		case a.fired <- struct{}{}:
		default:
		}
	}()
	return a.fakeActions.ExpireVisit(ctx, id)
}

func TestSchedulerRunTicksUntilCancelled(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	timers := &fakeTimers{timers: []readside.Timer{{Kind: readside.TimerVisitExpiry, VisitID: domain.IDFrom[domain.VisitID](uuid.New()), Due: t0}}}
	actions := &signallingActions{fired: make(chan struct{}, 1)}
	ready := make(chan struct{})
	ticked := &signallingTicker{c: make(chan struct{}, 1)}
	s, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: &fakeClock{now: t0}, Timers: timers, Actions: actions, Tickers: []readside.Ticker{ticked}, Interval: time.Millisecond, Ready: ready,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// Run must hold back until ready: with a 1 ms interval a tick would
	// come long before this wait ends (it cannot fail a correct Run).
	select {
	case <-ticked.c:
		t.Fatal("Run ticked before the read models were ready")
	case <-time.After(50 * time.Millisecond):
	}
	close(ready)
	select {
	case <-actions.fired:
	case <-time.After(20 * time.Second):
		t.Fatal("Run never fired the due timer")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

type signallingTicker struct{ c chan struct{} }

func (s *signallingTicker) Tick(context.Context, time.Time) {
	select {
	case s.c <- struct{}{}:
	default:
	}
}

// TestSchedulerLosesThePresenceOfVisitsPresentAtStart: once the read side
// is ready, the visits it shows as present are handed to the actions as
// lost (no page can be connected to a process that just started), before
// any tick.
func TestSchedulerLosesThePresenceOfVisitsPresentAtStart(t *testing.T) {
	v1, v2 := domain.IDFrom[domain.VisitID](uuid.New()), domain.IDFrom[domain.VisitID](uuid.New())
	actions := &fakeActions{}
	ready := make(chan struct{})
	s, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: &fakeClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}, Timers: &fakeTimers{present: []domain.VisitID{v1, v2}},
		Actions: actions, Ready: ready, Interval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	actions.mu.Lock()
	early := len(actions.lost)
	actions.mu.Unlock()
	if early != 0 {
		t.Fatalf("presence lost before the read side was ready: %v", actions.lost)
	}
	close(ready)
	deadline := time.Now().Add(10 * time.Second)
	for {
		actions.mu.Lock()
		n := len(actions.lost)
		actions.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("presence lost at start for %d visits, want 2", n)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
