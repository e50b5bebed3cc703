package hours

import (
	"fmt"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Clock is a wall-clock time of day in minutes, 00:00 to 24:00 inclusive.
type Clock struct{ m int16 }

// ErrInvalidClock is returned for malformed times of day.
var ErrInvalidClock = domain.Invalid("invalid_clock", "invalid time of day")

// NewClock returns hh:mm; 24:00 is allowed as the end of a day.
func NewClock(hour, minute int) (Clock, error) {
	if hour < 0 || minute < 0 || minute > 59 || hour > 24 || (hour == 24 && minute != 0) {
		return Clock{}, domain.Wrapf(ErrInvalidClock, "%02d:%02d", hour, minute)
	}
	return Clock{int16(hour*60 + minute)}, nil
}

// ParseClock parses "HH:MM".
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return Clock{}, domain.Wrapf(ErrInvalidClock, "%q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return Clock{}, domain.Wrapf(ErrInvalidClock, "%q", s)
	}
	return NewClock(h, m)
}

// Minutes since midnight.
func (c Clock) Minutes() int { return int(c.m) }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.m/60, c.m%60) }

// Interval is a half-open wall-clock range [From, To) within one day.
type Interval struct{ from, to Clock }

// NewInterval validates from < to.
func NewInterval(from, to Clock) (Interval, error) {
	if from.m >= to.m {
		return Interval{}, domain.Wrapf(ErrInvalidClock, "interval %s-%s is empty or reversed", from, to)
	}
	return Interval{from, to}, nil
}

func (i Interval) From() Clock { return i.from }
func (i Interval) To() Clock   { return i.to }
