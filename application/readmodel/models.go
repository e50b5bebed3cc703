package readmodel

import (
	"context"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// StreamPrefixes are the stream categories the read models follow; pass
// them to the $all subscription.
var StreamPrefixes = []string{"office-", "visit-", "appointment-", "slots-", "case-"}

// Config configures New. Zero values take the domain's defaults.
type Config struct {
	Notifier    readside.ChangeNotifier // optional
	Window      appointment.CheckInWindow
	GracePeriod time.Duration
}

// Models are all read models of one process.
type Models struct {
	Doors    *Doors
	Queues   *Queues
	Calendar *Calendar
	Cases    *Cases
	Stats    *Stats
	Timers   *Timers
}

// New returns empty read models.
func New(cfg Config) *Models {
	return &Models{
		Doors:    NewDoors(cfg.Notifier),
		Queues:   NewQueues(cfg.Notifier, cfg.Window),
		Calendar: NewCalendar(cfg.Notifier),
		Cases:    NewCases(cfg.Notifier),
		Stats:    NewStats(cfg.Notifier),
		Timers:   NewTimers(cfg.GracePeriod, cfg.Window),
	}
}

// Handlers lists the projections for the event bus.
func (m *Models) Handlers() []readside.Handler {
	return []readside.Handler{m.Doors, m.Queues, m.Calendar, m.Cases, m.Stats, m.Timers}
}

// Tickers lists the models the scheduler tells the time.
func (m *Models) Tickers() []readside.Ticker {
	return []readside.Ticker{m.Doors, m.Queues}
}

var _ readside.Ticker = (*Doors)(nil)

// Snapshot is every read model's content at one instant, as plain values:
// for comparing models (a rebuild equals the live state) and for
// diagnostics.
type Snapshot struct {
	Doors    []DoorView
	Queues   []QueueView
	Visits   []VisitView
	Calendar []CalendarDay
	Cases    []CaseSummary
	Stats    []DailyStats
	Timers   []readside.Timer
}

// Snapshot queries every model at now.
func (m *Models) Snapshot(now time.Time) Snapshot {
	s := Snapshot{Doors: m.Doors.All(now), Cases: m.Cases.List(CaseFilter{}), Timers: m.Timers.Pending()}
	offices := m.Queues.Offices()
	for _, d := range s.Doors {
		offices = append(offices, d.OfficeID)
	}
	offices = append(offices, m.Calendar.Offices()...)
	slices.SortFunc(offices, compareIDs)
	offices = slices.Compact(offices)
	for _, o := range offices {
		s.Queues = append(s.Queues, m.Queues.Queue(o, now))
		s.Stats = append(s.Stats, m.Stats.Days(o)...)
		for _, d := range m.Calendar.Dates(o) {
			if day, ok := m.Calendar.Day(o, d, now); ok {
				s.Calendar = append(s.Calendar, day)
			}
		}
	}
	for _, v := range m.Queues.Visits() {
		if view, ok := m.Queues.Visit(v, now); ok {
			s.Visits = append(s.Visits, view)
		}
	}
	return s
}

// Offices lists the offices the calendar knows, ordered by ID.
func (c *Calendar) Offices() []domain.OfficeID {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]domain.OfficeID, 0, len(c.offices))
	for id := range c.offices {
		out = append(out, id)
	}
	slices.SortFunc(out, compareIDs)
	return out
}

// Dates lists the Berlin dates with appointments or reservations of an
// office, oldest first.
func (c *Calendar) Dates(id domain.OfficeID) []hours.Date {
	c.mu.RLock()
	defer c.mu.RUnlock()
	seen := map[hours.Date]bool{}
	for k := range c.ledgers {
		if k.office == id {
			seen[k.date] = true
		}
	}
	for _, a := range c.appts {
		if a.office == id {
			seen[hours.BerlinDate(a.Start)] = true
		}
	}
	out := make([]hours.Date, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.SortFunc(out, compareDates)
	return out
}

// Tick tells every ticking model the time (readside.Ticker).
func (m *Models) Tick(ctx context.Context, now time.Time) {
	for _, t := range m.Tickers() {
		t.Tick(ctx, now)
	}
}
