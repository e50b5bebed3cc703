package hours

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Date is a civil date (no time, no zone), e.g. 2026-03-29.
type Date struct {
	year  int
	month time.Month
	day   int
}

// ErrInvalidDate is returned for malformed dates.
var ErrInvalidDate = domain.Invalid("invalid_date", "invalid date")

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, domain.Wrapf(ErrInvalidDate, "%q", s)
	}
	return DateOf(t), nil
}

// NewDate returns the date; it refuses days that do not exist.
func NewDate(year int, month time.Month, day int) (Date, error) {
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	if t.Year() != year || t.Month() != month || t.Day() != day {
		return Date{}, domain.Wrapf(ErrInvalidDate, "%04d-%02d-%02d", year, month, day)
	}
	return Date{year, month, day}, nil
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// BerlinDate returns the civil date of instant t in Europe/Berlin.
func BerlinDate(t time.Time) Date { return DateOf(t.In(berlin)) }

func (d Date) Year() int             { return d.year }
func (d Date) Month() time.Month     { return d.month }
func (d Date) Day() int              { return d.day }
func (d Date) IsZero() bool          { return d == Date{} }
func (d Date) String() string        { return d.noon().Format(time.DateOnly) }
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// AddDays returns the date n days later (earlier if n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n)) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.noon().Before(o.noon()) }

// At returns the instant of wall-clock time c on d in Europe/Berlin. A wall
// time skipped by the spring DST change moves forward (02:30 → 03:30); 24:00
// is midnight of the next day.
func (d Date) At(c Clock) time.Time {
	return time.Date(d.year, d.month, d.day, 0, int(c.m), 0, 0, berlin)
}

// MarshalText encodes "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes "YYYY-MM-DD"; empty yields the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) noon() time.Time { return time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC) }
