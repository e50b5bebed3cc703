package hours

import "time"

// Range is a concrete opening period [Start, End) as instants in Europe/Berlin.
type Range struct {
	Start time.Time
	End   time.Time
}

// Contains reports whether t lies in [Start, End).
func (r Range) Contains(t time.Time) bool { return !t.Before(r.Start) && t.Before(r.End) }

// horizon bounds searches for the next opening (a year and a bit).
const horizon = 400

// IntervalsOn returns the opening periods of date d as instants, DST-correct:
// on the last Sunday of March an interval 01:00-04:00 lasts two hours, on the
// last Sunday of October three. An exception replaces the weekly hours.
func (s Schedule) IntervalsOn(d Date) []Range {
	ivs := s.weekly[d.Weekday()]
	if e, ok := s.exceptions[d]; ok {
		ivs = e.intervals
	}
	out := make([]Range, 0, len(ivs))
	for _, iv := range ivs {
		r := Range{Start: d.At(iv.from), End: d.At(iv.to)}
		if r.Start.Before(r.End) {
			out = append(out, r)
		}
	}
	return out
}

// IsOpenAt reports whether the office is open at instant t.
func (s Schedule) IsOpenAt(t time.Time) bool {
	_, ok := s.current(t)
	return ok
}

// current returns the opening period containing t.
func (s Schedule) current(t time.Time) (Range, bool) {
	d := BerlinDate(t)
	for _, r := range s.IntervalsOn(d) {
		if r.Contains(t) {
			return r, true
		}
	}
	return Range{}, false
}

// NextOpening returns the earliest instant >= t at which the office is open:
// t itself when open at t. ok is false when nothing opens within about a year.
func (s Schedule) NextOpening(t time.Time) (time.Time, bool) {
	if s.IsOpenAt(t) {
		return t, true
	}
	return s.nextStartAfter(t)
}

// NextOpeningAfterClose returns the start of the next opening period that
// begins after the current one closes (or after t when closed at t).
func (s Schedule) NextOpeningAfterClose(t time.Time) (time.Time, bool) {
	if end, ok := s.ClosingTime(t); ok {
		return s.nextStartAfter(end)
	}
	return s.nextStartAfter(t)
}

func (s Schedule) nextStartAfter(t time.Time) (time.Time, bool) {
	d := BerlinDate(t)
	for i := 0; i < horizon; i++ {
		for _, r := range s.IntervalsOn(d.AddDays(i)) {
			if !r.Start.Before(t) {
				return r.Start, true
			}
		}
	}
	return time.Time{}, false
}

// ClosingTime returns when the opening period containing t ends; touching
// periods (12:00-14:00 and 14:00-16:00, or 24:00 and next day's 00:00) count
// as one. ok is false when closed at t.
func (s Schedule) ClosingTime(t time.Time) (time.Time, bool) {
	r, ok := s.current(t)
	if !ok {
		return time.Time{}, false
	}
	end := r.End
	for i := 0; i < horizon; i++ {
		next, ok := s.current(end)
		if !ok || !next.End.After(end) {
			return end, true
		}
		end = next.End
	}
	return end, true
}
