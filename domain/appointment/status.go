package appointment

import "github.com/buergerbuero/buergerbuero/domain"

// Status is where an appointment is in its lifecycle.
type Status struct{ s string }

var (
	StatusBooked    = Status{"booked"}
	StatusCancelled = Status{"cancelled"}
	StatusCheckedIn = Status{"checked_in"}
	StatusNoShow    = Status{"no_show"}
)

func (s Status) String() string { return s.s }
func (s Status) IsZero() bool   { return s == Status{} }

// MarshalText encodes the status name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.s), nil }

// ErrInvalidStatus is returned for unknown statuses.
var ErrInvalidStatus = domain.Invalid("invalid_appointment_status", "invalid appointment status")

// ParseStatus parses a status name such as "no_show".
func ParseStatus(s string) (Status, error) {
	for _, v := range []Status{StatusBooked, StatusCancelled, StatusCheckedIn, StatusNoShow} {
		if v.s == s {
			return v, nil
		}
	}
	return Status{}, domain.Wrapf(ErrInvalidStatus, "%q", s)
}

// UnmarshalText parses a status name.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	*s = v
	return err
}
