package hours

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Schedule is validated opening hours: weekly intervals plus exceptions.
// The zero Schedule is always closed.
type Schedule struct {
	weekly     [7][]Interval
	exceptions map[Date]exception
}

type exception struct {
	intervals []Interval // empty: closed all day
	note      string
}

// ErrInvalidSchedule is returned when a Spec does not describe valid hours.
var ErrInvalidSchedule = domain.Invalid("invalid_schedule", "invalid opening hours")

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

// New validates spec and returns the Schedule. Intervals of one day must not
// overlap (touching is fine); every problem is reported.
func New(spec Spec) (Schedule, error) {
	var s Schedule
	var errs []error
	seen := map[time.Weekday]bool{}
	for _, d := range spec.Weekly {
		wd, ok := weekdays[strings.ToLower(d.Weekday)]
		if !ok {
			errs = append(errs, domain.Wrapf(ErrInvalidSchedule, "unknown weekday %q", d.Weekday))
			continue
		}
		if seen[wd] {
			errs = append(errs, domain.Wrapf(ErrInvalidSchedule, "weekday %s listed twice", d.Weekday))
			continue
		}
		seen[wd] = true
		ivs, err := parseIntervals(d.Intervals)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.weekly[wd] = ivs
	}
	for _, e := range spec.Exceptions {
		date, err := ParseDate(e.Date)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if e.Closed && len(e.Intervals) > 0 {
			errs = append(errs, domain.Wrapf(ErrInvalidSchedule, "exception %s is closed but has intervals", e.Date))
			continue
		}
		if !e.Closed && len(e.Intervals) == 0 {
			errs = append(errs, domain.Wrapf(ErrInvalidSchedule, "exception %s needs closed or intervals", e.Date))
			continue
		}
		ivs, err := parseIntervals(e.Intervals)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if s.exceptions == nil {
			s.exceptions = map[Date]exception{}
		}
		if _, dup := s.exceptions[date]; dup {
			errs = append(errs, domain.Wrapf(ErrInvalidSchedule, "exception %s listed twice", e.Date))
			continue
		}
		s.exceptions[date] = exception{intervals: ivs, note: e.Note}
	}
	if len(errs) > 0 {
		return Schedule{}, errors.Join(errs...)
	}
	return s, nil
}

// MustNew is New for tests and fixed fixtures; it panics on invalid specs.
func MustNew(spec Spec) Schedule {
	s, err := New(spec)
	if err != nil {
		panic(err)
	}
	return s
}

func parseIntervals(specs []IntervalSpec) ([]Interval, error) {
	ivs := make([]Interval, 0, len(specs))
	for _, is := range specs {
		from, err := ParseClock(is.From)
		if err != nil {
			return nil, err
		}
		to, err := ParseClock(is.To)
		if err != nil {
			return nil, err
		}
		iv, err := NewInterval(from, to)
		if err != nil {
			return nil, err
		}
		ivs = append(ivs, iv)
	}
	slices.SortFunc(ivs, func(a, b Interval) int { return int(a.from.m) - int(b.from.m) })
	for i := 1; i < len(ivs); i++ {
		if ivs[i].from.m < ivs[i-1].to.m {
			return nil, domain.Wrapf(ErrInvalidSchedule, "intervals %s-%s and %s-%s overlap",
				ivs[i-1].from, ivs[i-1].to, ivs[i].from, ivs[i].to)
		}
	}
	return ivs, nil
}

// Spec returns the plain form of s (weekdays Monday first, exceptions by date).
func (s Schedule) Spec() Spec {
	var out Spec
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if len(s.weekly[wd]) == 0 {
			continue
		}
		out.Weekly = append(out.Weekly, DaySpec{Weekday: strings.ToLower(wd.String()), Intervals: specOf(s.weekly[wd])})
	}
	dates := make([]Date, 0, len(s.exceptions))
	for d := range s.exceptions {
		dates = append(dates, d)
	}
	slices.SortFunc(dates, func(a, b Date) int { return strings.Compare(a.String(), b.String()) })
	for _, d := range dates {
		e := s.exceptions[d]
		out.Exceptions = append(out.Exceptions, ExceptionSpec{
			Date: d.String(), Closed: len(e.intervals) == 0, Intervals: specOf(e.intervals), Note: e.note,
		})
	}
	return out
}

func specOf(ivs []Interval) []IntervalSpec {
	if len(ivs) == 0 {
		return nil
	}
	out := make([]IntervalSpec, len(ivs))
	for i, iv := range ivs {
		out[i] = IntervalSpec{From: iv.from.String(), To: iv.to.String()}
	}
	return out
}
