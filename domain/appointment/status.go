package appointment

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
