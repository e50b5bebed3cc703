package readside

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// TimerKind names what happens when a timer is due.
type TimerKind string

const (
	// TimerVisitExpiry: a waiting visit whose citizen left (presence lost)
	// expires when the presence grace period is over.
	TimerVisitExpiry TimerKind = "visit_expiry"
	// TimerAppointmentNoShow: an appointment not checked in by the end of
	// its check-in window is a no-show.
	TimerAppointmentNoShow TimerKind = "appointment_no_show"
)

// Timer is one due-at-a-time action, derived from events (never stored on
// its own), so it survives a restart by rebuilding the read model.
type Timer struct {
	Kind          TimerKind
	OfficeID      domain.OfficeID
	VisitID       domain.VisitID       // for TimerVisitExpiry
	AppointmentID domain.AppointmentID // for TimerAppointmentNoShow
	Due           time.Time
}

// Key identifies a timer independent of its due time.
func (t Timer) Key() string {
	switch t.Kind {
	case TimerVisitExpiry:
		return string(t.Kind) + ":" + t.VisitID.String()
	default:
		return string(t.Kind) + ":" + t.AppointmentID.String()
	}
}

// DueTimers is the read model of pending timers (readmodel.Timers).
type DueTimers interface {
	// Due returns the timers due at or before now, earliest first.
	Due(now time.Time) []Timer
	// Present returns the waiting visits whose page the events say is
	// open (no loss recorded since it was last there).
	Present() []domain.VisitID
}

// TimerActions is the command port the scheduler drives; the application
// use cases implement it. Both must be idempotent: several instances may
// fire the same timer, and a timer fires again until the event that
// removes it has been projected.
type TimerActions interface {
	// PresenceLostAtStart records, once after the read models caught up at
	// start, that the pages of these visits are gone: no page can be
	// connected to a process that has just started (it was killed or
	// stopped with them open), so their grace period starts now and the
	// expiry timer ends them unless the page comes back.
	PresenceLostAtStart(ctx context.Context, ids []domain.VisitID) error
	ExpireVisit(ctx context.Context, id domain.VisitID) error
	MarkNoShow(ctx context.Context, id domain.AppointmentID) error
}

// Ticker is told the time on every scheduler tick, e.g. the door read model,
// which re-derives door states at opening and closing time.
type Ticker interface {
	Tick(ctx context.Context, now time.Time)
}

// Clock tells the time; inject a fake one in tests.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// SchedulerConfig configures a Scheduler.
type SchedulerConfig struct {
	Clock   Clock        // required
	Timers  DueTimers    // required
	Actions TimerActions // required
	Tickers []Ticker     // optional
	// Interval between ticks in Run (default 1s).
	Interval time.Duration
	// RetryAfter is how long a fired timer rests before it may fire again
	// while its removing event has not arrived (default 30s).
	RetryAfter time.Duration
	// OnError is told about failed actions (optional). Errors carry IDs only.
	OnError func(t Timer, err error)
	// Ready, when set, holds Run back until it is closed (the event bus's
	// Ready): while read models rebuild, timers would fire on a half-built
	// picture.
	Ready <-chan struct{}
}

// Validate reports every missing dependency or bad value.
func (c SchedulerConfig) Validate() error {
	var errs []error
	if c.Clock == nil {
		errs = append(errs, errors.New("scheduler: clock is required"))
	}
	if c.Timers == nil {
		errs = append(errs, errors.New("scheduler: timers read model is required"))
	}
	if c.Actions == nil {
		errs = append(errs, errors.New("scheduler: timer actions are required"))
	}
	if c.Interval < 0 || c.RetryAfter < 0 {
		errs = append(errs, errors.New("scheduler: interval and retry-after must not be negative"))
	}
	return errors.Join(errs...)
}

// Scheduler fires due timers on ticks of its clock. It is not safe to call
// Tick concurrently; Run calls it from one goroutine.
type Scheduler struct {
	cfg   SchedulerConfig
	fired map[string]time.Time // key → when it may fire again
}

// NewScheduler validates cfg and fills defaults.
func NewScheduler(cfg SchedulerConfig) (*Scheduler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Second
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = 30 * time.Second
	}
	return &Scheduler{cfg: cfg, fired: map[string]time.Time{}}, nil
}

// Run waits for Ready (when set), records the presence lost at start
// (TimerActions.PresenceLostAtStart), then ticks every Interval until ctx
// ends.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.cfg.Ready != nil {
		select {
		case <-s.cfg.Ready:
		case <-ctx.Done():
			return nil
		}
	}
	s.Start(ctx)
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.Tick(ctx)
		}
	}
}

// Start tells the actions which visits were present when this process
// started (Run calls it once, after Ready). A failure is reported through
// OnError and does not stop the scheduler: those visits then keep their
// presence until their page comes and goes.
func (s *Scheduler) Start(ctx context.Context) {
	ids := s.cfg.Timers.Present()
	if len(ids) == 0 {
		return
	}
	if err := s.cfg.Actions.PresenceLostAtStart(ctx, ids); err != nil && s.cfg.OnError != nil {
		s.cfg.OnError(Timer{Kind: TimerVisitExpiry}, fmt.Errorf("presence lost at start: %w", err))
	}
}

// Tick fires every due timer once (then rests it for RetryAfter) and tells
// the tickers the time. It returns how many actions it fired.
func (s *Scheduler) Tick(ctx context.Context) int {
	now := s.cfg.Clock.Now()
	for _, tk := range s.cfg.Tickers {
		tk.Tick(ctx, now)
	}
	due := s.cfg.Timers.Due(now)
	stillDue := make(map[string]bool, len(due))
	n := 0
	for _, t := range due {
		key := t.Key()
		stillDue[key] = true
		if again, ok := s.fired[key]; ok && now.Before(again) {
			continue
		}
		s.fired[key] = now.Add(s.cfg.RetryAfter)
		n++
		if err := s.fire(ctx, t); err != nil && s.cfg.OnError != nil {
			s.cfg.OnError(t, err)
		}
	}
	for key := range s.fired {
		if !stillDue[key] {
			delete(s.fired, key) // its event arrived: the timer is gone
		}
	}
	return n
}

func (s *Scheduler) fire(ctx context.Context, t Timer) error {
	switch t.Kind {
	case TimerVisitExpiry:
		return s.cfg.Actions.ExpireVisit(ctx, t.VisitID)
	case TimerAppointmentNoShow:
		return s.cfg.Actions.MarkNoShow(ctx, t.AppointmentID)
	default:
		return fmt.Errorf("scheduler: unknown timer kind %q", t.Kind)
	}
}
