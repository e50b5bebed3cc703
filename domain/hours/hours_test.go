package hours_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

func berlin(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hours.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func iv(from, to string) hours.IntervalSpec { return hours.IntervalSpec{From: from, To: to} }

// Mon–Fri 08:00–12:00 and 14:00–18:00, Sunday 01:00–04:00 (to hit DST
// changes), Christmas Eve closed, 2026-12-31 only 08:00–10:00.
func schedule(t *testing.T) hours.Schedule {
	t.Helper()
	week := []hours.IntervalSpec{iv("08:00", "12:00"), iv("14:00", "18:00")}
	s, err := hours.New(hours.Spec{
		Weekly: []hours.DaySpec{
			{Weekday: "monday", Intervals: week}, {Weekday: "tuesday", Intervals: week},
			{Weekday: "wednesday", Intervals: week}, {Weekday: "thursday", Intervals: week},
			{Weekday: "friday", Intervals: week},
			{Weekday: "sunday", Intervals: []hours.IntervalSpec{iv("01:00", "04:00")}},
		},
		Exceptions: []hours.ExceptionSpec{
			{Date: "2026-12-24", Closed: true, Note: "Heiligabend"},
			{Date: "2026-12-31", Intervals: []hours.IntervalSpec{iv("08:00", "10:00")}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIsOpenAt(t *testing.T) {
	s := schedule(t)
	cases := []struct {
		at   string
		open bool
	}{
		{"2026-11-23 07:59", false},
		{"2026-11-23 08:00", true},
		{"2026-11-23 11:59", true},
		{"2026-11-23 12:00", false},
		{"2026-11-23 14:30", true},
		{"2026-11-28 10:00", false}, // Saturday
		{"2026-12-24 10:00", false}, // exception: closed
		{"2026-12-31 09:00", true},  // special hours
		{"2026-12-31 15:00", false}, // special hours replace the weekly ones
		{"2026-03-29 02:30", true},  // does not exist; normalised to 03:30 CEST
		{"2026-03-29 03:59", true},
		{"2026-03-29 04:00", false},
	}
	for _, c := range cases {
		if got := s.IsOpenAt(berlin(c.at)); got != c.open {
			t.Errorf("IsOpenAt(%s) = %v, want %v", c.at, got, c.open)
		}
	}
}

func TestDSTIntervalLengths(t *testing.T) {
	s := schedule(t)
	for _, c := range []struct {
		date string
		want time.Duration
	}{
		{"2026-03-22", 3 * time.Hour}, // ordinary Sunday
		{"2026-03-29", 2 * time.Hour}, // spring forward: 02:00 skipped
		{"2026-10-25", 4 * time.Hour}, // fall back: 02:00–03:00 twice
	} {
		d, _ := hours.ParseDate(c.date)
		rs := s.IntervalsOn(d)
		if len(rs) != 1 {
			t.Fatalf("%s: %d intervals", c.date, len(rs))
		}
		if got := rs[0].End.Sub(rs[0].Start); got != c.want {
			t.Errorf("%s: open %v, want %v", c.date, got, c.want)
		}
	}
	// In the repeated hour of 25 October both instants are open.
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	second := first.Add(time.Hour)                          // 02:30 CET
	if !s.IsOpenAt(first) || !s.IsOpenAt(second) {
		t.Error("both 02:30 on 2026-10-25 must be open")
	}
	// Closing at 04:00 CET is 03:00 UTC, at 04:00 CEST 02:00 UTC.
	if end, _ := s.ClosingTime(first); !end.Equal(time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("closing on fall-back day = %v", end.UTC())
	}
	spring := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // 01:30 CET
	if end, _ := s.ClosingTime(spring); !end.Equal(time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("closing on spring-forward day = %v", end.UTC())
	}
}

func TestNextOpening(t *testing.T) {
	s := schedule(t)
	cases := []struct{ at, want string }{
		{"2026-11-23 07:00", "2026-11-23 08:00"},
		{"2026-11-23 09:00", "2026-11-23 09:00"}, // open now
		{"2026-11-23 12:30", "2026-11-23 14:00"},
		{"2026-11-27 18:00", "2026-11-29 01:00"}, // Friday evening → Sunday
		{"2026-12-23 19:00", "2026-12-25 08:00"}, // skips the closed 24th
		{"2026-03-28 23:00", "2026-03-29 01:00"},
	}
	for _, c := range cases {
		got, ok := s.NextOpening(berlin(c.at))
		if !ok || !got.Equal(berlin(c.want)) {
			t.Errorf("NextOpening(%s) = %v %v, want %s", c.at, got.In(hours.Location()), ok, c.want)
		}
	}
	if _, ok := (hours.Schedule{}).NextOpening(berlin("2026-01-01 00:00")); ok {
		t.Error("zero schedule never opens")
	}
	got, _ := s.NextOpeningAfterClose(berlin("2026-11-23 09:00"))
	if !got.Equal(berlin("2026-11-23 14:00")) {
		t.Errorf("NextOpeningAfterClose = %v", got)
	}
}

func TestClosingTimeMergesTouchingIntervals(t *testing.T) {
	s := hours.MustNew(hours.Spec{Weekly: []hours.DaySpec{
		{Weekday: "monday", Intervals: []hours.IntervalSpec{iv("20:00", "24:00")}},
		{Weekday: "tuesday", Intervals: []hours.IntervalSpec{iv("00:00", "02:00"), iv("02:00", "03:00")}},
	}})
	end, ok := s.ClosingTime(berlin("2026-11-23 21:00"))
	if !ok || !end.Equal(berlin("2026-11-24 03:00")) {
		t.Errorf("ClosingTime = %v %v", end, ok)
	}
	if _, ok := s.ClosingTime(berlin("2026-11-23 19:00")); ok {
		t.Error("closed at 19:00")
	}
}

func TestNewRejectsInvalidSpecs(t *testing.T) {
	for name, spec := range map[string]hours.Spec{
		"unknown weekday": {Weekly: []hours.DaySpec{{Weekday: "caturday"}}},
		"overlap":         {Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: []hours.IntervalSpec{iv("08:00", "12:00"), iv("11:00", "13:00")}}}},
		"reversed":        {Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: []hours.IntervalSpec{iv("12:00", "08:00")}}}},
		"bad clock":       {Weekly: []hours.DaySpec{{Weekday: "monday", Intervals: []hours.IntervalSpec{iv("8:00", "12:00")}}}},
		"bad date":        {Exceptions: []hours.ExceptionSpec{{Date: "2026-02-30", Closed: true}}},
		"empty exception": {Exceptions: []hours.ExceptionSpec{{Date: "2026-02-03"}}},
	} {
		if _, err := hours.New(spec); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestSpecRoundTrip(t *testing.T) {
	s := schedule(t)
	b, err := json.Marshal(s.Spec())
	if err != nil {
		t.Fatal(err)
	}
	var spec hours.Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	s2, err := hours.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(s2.Spec())
	if string(b) != string(b2) {
		t.Errorf("round trip changed spec:\n%s\n%s", b, b2)
	}
}
