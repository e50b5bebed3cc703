package casefile

import "github.com/buergerbuero/buergerbuero/domain"

// enum is the shared machinery of the small enums below.
type enum interface{ ~struct{ s string } }

func parseEnum[E enum](all []E, s string, base *domain.Error) (E, error) {
	for _, v := range all {
		if struct{ s string }(v).s == s {
			return v, nil
		}
	}
	var zero E
	return zero, domain.Wrapf(base, "%q", s)
}

// Status is a case's working state.
type Status struct{ s string }

var (
	StatusOpen              = Status{"open"}
	StatusInProgress        = Status{"in_progress"}
	StatusWaitingForCitizen = Status{"waiting_for_citizen"}
	StatusWaitingForOffice  = Status{"waiting_for_office"}
	StatusClosed            = Status{"closed"} // only through Close
)

var statuses = []Status{StatusOpen, StatusInProgress, StatusWaitingForCitizen, StatusWaitingForOffice, StatusClosed}

// ErrInvalidStatus is returned for unknown statuses.
var ErrInvalidStatus = domain.Invalid("invalid_case_status", "invalid case status")

// ParseStatus parses a status name such as "waiting_for_citizen".
func ParseStatus(s string) (Status, error) { return parseEnum(statuses, s, ErrInvalidStatus) }

func (s Status) String() string                { return s.s }
func (s Status) IsZero() bool                  { return s == Status{} }
func (s Status) MarshalText() ([]byte, error)  { return []byte(s.s), nil }
func (s *Status) UnmarshalText(b []byte) error { v, err := ParseStatus(string(b)); *s = v; return err }

// Visibility says who may read a note.
type Visibility struct{ s string }

var (
	Internal       = Visibility{"internal"} // staff only
	VisibleCitizen = Visibility{"citizen"}  // also shown to the citizen
)

// ErrInvalidVisibility is returned for unknown visibilities.
var ErrInvalidVisibility = domain.Invalid("invalid_note_visibility", "invalid note visibility")

// ParseVisibility parses "internal" or "citizen".
func ParseVisibility(s string) (Visibility, error) {
	return parseEnum([]Visibility{Internal, VisibleCitizen}, s, ErrInvalidVisibility)
}

func (v Visibility) String() string               { return v.s }
func (v Visibility) IsZero() bool                 { return v == Visibility{} }
func (v Visibility) MarshalText() ([]byte, error) { return []byte(v.s), nil }
func (v *Visibility) UnmarshalText(b []byte) error {
	x, err := ParseVisibility(string(b))
	*v = x
	return err
}

// Outcome is how a case ended.
type Outcome struct{ s string }

var (
	OutcomeCompleted  = Outcome{"completed"}   // the service was provided
	OutcomeRejected   = Outcome{"rejected"}    // the request was refused
	OutcomeWithdrawn  = Outcome{"withdrawn"}   // the citizen withdrew
	OutcomeReferred   = Outcome{"referred"}    // another authority is responsible
	OutcomeNoResponse = Outcome{"no_response"} // the citizen did not answer
)

var outcomes = []Outcome{OutcomeCompleted, OutcomeRejected, OutcomeWithdrawn, OutcomeReferred, OutcomeNoResponse}

// ErrInvalidOutcome is returned for unknown outcomes.
var ErrInvalidOutcome = domain.Invalid("invalid_case_outcome", "invalid case outcome")

// ParseOutcome parses an outcome name.
func ParseOutcome(s string) (Outcome, error) { return parseEnum(outcomes, s, ErrInvalidOutcome) }

func (o Outcome) String() string               { return o.s }
func (o Outcome) IsZero() bool                 { return o == Outcome{} }
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.s), nil }
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	*o = v
	return err
}

// CallEndReason says why a call ended.
type CallEndReason struct{ s string }

var (
	CallCompleted         = CallEndReason{"completed"}
	CallCitizenLeft       = CallEndReason{"citizen_left"}
	CallConnectionLost    = CallEndReason{"connection_lost"}
	CallReturnedToWaiting = CallEndReason{"returned_to_waiting"}
)

var callEndReasons = []CallEndReason{CallCompleted, CallCitizenLeft, CallConnectionLost, CallReturnedToWaiting}

// ErrInvalidCallEndReason is returned for unknown reasons.
var ErrInvalidCallEndReason = domain.Invalid("invalid_call_end_reason", "invalid call end reason")

// ParseCallEndReason parses a reason name; the names match visit.EndReason.
func ParseCallEndReason(s string) (CallEndReason, error) {
	return parseEnum(callEndReasons, s, ErrInvalidCallEndReason)
}

func (r CallEndReason) String() string               { return r.s }
func (r CallEndReason) IsZero() bool                 { return r == CallEndReason{} }
func (r CallEndReason) MarshalText() ([]byte, error) { return []byte(r.s), nil }
func (r *CallEndReason) UnmarshalText(b []byte) error {
	v, err := ParseCallEndReason(string(b))
	*r = v
	return err
}
