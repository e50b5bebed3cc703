package readmodel

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// DailyStats are one office's figures for one Berlin day. Each event counts
// on the day it happened (its own timestamp), in the office the visit was
// in then.
type DailyStats struct {
	OfficeID  domain.OfficeID
	Date      hours.Date
	Knocks    int // visits that knocked (a referral counts in the target office)
	Served    int // visits admitted for the first time
	Declined  int
	Referred  int // sent on to another office
	Withdrawn int
	Expired   int
	NoShows   int
	// AverageWait is from knock to first admission over Served visits.
	AverageWait time.Duration
	// Calls ended that day and their average duration.
	Calls       int
	AverageCall time.Duration
	waitSum     time.Duration
	callSum     time.Duration
}

// Stats is the daily statistics read model (projection "StatsProjection").
type Stats struct {
	notify readside.ChangeNotifier

	mu     sync.RWMutex
	tr     readside.Tracker
	days   map[statsKey]*DailyStats
	visits map[domain.VisitID]*statsVisit
	appts  map[domain.AppointmentID]domain.OfficeID
}

type statsKey struct {
	office domain.OfficeID
	date   hours.Date
}

type statsVisit struct {
	office    domain.OfficeID
	knockedAt time.Time
	served    bool
}

var _ readside.Handler = (*Stats)(nil)

// NewStats returns an empty statistics model; notify may be nil.
func NewStats(notify readside.ChangeNotifier) *Stats {
	return &Stats{
		notify: notifierOr(notify), days: map[statsKey]*DailyStats{},
		visits: map[domain.VisitID]*statsVisit{}, appts: map[domain.AppointmentID]domain.OfficeID{},
	}
}

// Name implements readside.Handler.
func (s *Stats) Name() string { return "StatsProjection" }

// Handle implements readside.Handler.
func (s *Stats) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	office := applyOnce(&s.mu, &s.tr, e, s.apply)
	if !office.IsZero() {
		s.notify.Notify(readside.Change{Kind: readside.KindStats, OfficeID: office, Position: e.Position})
	}
	return nil
}

// apply folds an event and returns the office whose figures moved.
func (s *Stats) apply(ev domain.Event) domain.OfficeID {
	switch e := ev.(type) {
	case visit.VisitKnocked:
		s.visits[e.VisitID] = &statsVisit{office: e.OfficeID, knockedAt: e.KnockedAt}
		s.day(e.OfficeID, e.KnockedAt).Knocks++
		return e.OfficeID
	case visit.VisitReferred:
		v, ok := s.visits[e.VisitID]
		if !ok {
			return domain.OfficeID{}
		}
		s.day(v.office, e.ReferredAt).Referred++
		v.office = e.ToOfficeID
		s.day(v.office, e.ReferredAt).Knocks++
		return e.FromOfficeID
	case visit.VisitAdmitted:
		v, ok := s.visits[e.VisitID]
		if !ok || v.served {
			return domain.OfficeID{}
		}
		v.served = true
		d := s.day(v.office, e.AdmittedAt)
		d.Served++
		d.waitSum += max(e.AdmittedAt.Sub(v.knockedAt), 0)
		d.AverageWait = d.waitSum / time.Duration(d.Served)
		return v.office
	case visit.VisitDeclined:
		defer delete(s.visits, e.VisitID) // final: nothing more will count
		return s.count(e.VisitID, e.DeclinedAt, func(d *DailyStats) { d.Declined++ })
	case visit.VisitWithdrawn:
		defer delete(s.visits, e.VisitID)
		return s.count(e.VisitID, e.WithdrawnAt, func(d *DailyStats) { d.Withdrawn++ })
	case visit.VisitExpired:
		defer delete(s.visits, e.VisitID)
		return s.count(e.VisitID, e.ExpiredAt, func(d *DailyStats) { d.Expired++ })
	case visit.VisitEnded:
		delete(s.visits, e.VisitID)
	case visit.VisitCallEnded:
		return s.count(e.VisitID, e.EndedAt, func(d *DailyStats) {
			d.Calls++
			d.callSum += time.Duration(e.DurationSeconds) * time.Second
			d.AverageCall = d.callSum / time.Duration(d.Calls)
		})
	case appointment.AppointmentBooked:
		s.appts[e.AppointmentID] = e.OfficeID
	case appointment.AppointmentNoShowRecorded:
		o, ok := s.appts[e.AppointmentID]
		if !ok {
			return domain.OfficeID{}
		}
		delete(s.appts, e.AppointmentID)
		s.day(o, e.RecordedAt).NoShows++
		return o
	}
	return domain.OfficeID{}
}

func (s *Stats) count(id domain.VisitID, at time.Time, f func(*DailyStats)) domain.OfficeID {
	v, ok := s.visits[id]
	if !ok {
		return domain.OfficeID{}
	}
	f(s.day(v.office, at))
	return v.office
}

func (s *Stats) day(o domain.OfficeID, at time.Time) *DailyStats {
	k := statsKey{o, hours.BerlinDate(at)}
	d, ok := s.days[k]
	if !ok {
		d = &DailyStats{OfficeID: o, Date: k.date}
		s.days[k] = d
	}
	return d
}

// Day returns an office's figures for a Berlin date (zero figures when
// nothing happened).
func (s *Stats) Day(o domain.OfficeID, date hours.Date) DailyStats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if d, ok := s.days[statsKey{o, date}]; ok {
		return d.public()
	}
	return DailyStats{OfficeID: o, Date: date}
}

// Days returns every day with figures for an office, oldest first.
func (s *Stats) Days(o domain.OfficeID) []DailyStats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []DailyStats
	for k, d := range s.days {
		if k.office == o {
			out = append(out, d.public())
		}
	}
	slices.SortFunc(out, func(a, b DailyStats) int { return compareDates(a.Date, b.Date) })
	return out
}

// public drops the running sums.
func (d *DailyStats) public() DailyStats {
	out := *d
	out.waitSum, out.callSum = 0, 0
	return out
}

func compareDates(a, b hours.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}
