package visit

import (
	"cmp"
	"regexp"
	"slices"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Status is where a visit is in its lifecycle.
type Status struct{ s string }

var (
	StatusWaiting   = Status{"waiting"}
	StatusAdmitted  = Status{"admitted"}
	StatusInCall    = Status{"in_call"}
	StatusEnded     = Status{"ended"}
	StatusDeclined  = Status{"declined"}
	StatusWithdrawn = Status{"withdrawn"}
	StatusExpired   = Status{"expired"}
)

func (s Status) String() string { return s.s }
func (s Status) IsZero() bool   { return s == Status{} }

// IsFinal reports whether nothing more can happen to the visit.
func (s Status) IsFinal() bool {
	return s == StatusEnded || s == StatusDeclined || s == StatusWithdrawn || s == StatusExpired
}

// MarshalText encodes the status name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.s), nil }

// ErrInvalidStatus is returned for unknown statuses.
var ErrInvalidStatus = domain.Invalid("invalid_visit_status", "invalid visit status")

// ParseStatus parses a status name such as "in_call".
func ParseStatus(s string) (Status, error) {
	for _, v := range []Status{StatusWaiting, StatusAdmitted, StatusInCall, StatusEnded, StatusDeclined, StatusWithdrawn, StatusExpired} {
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

// Language is a preferred language as an ISO 639 code: "de", "en", "tr", "uk"…
type Language struct{ s string }

var languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)

// ErrInvalidLanguage is returned for malformed language codes.
var ErrInvalidLanguage = domain.Invalid("invalid_language", "invalid language code")

// German is the default language.
var German = Language{"de"}

// ParseLanguage accepts a lower-case ISO 639-1/-2 code.
func ParseLanguage(s string) (Language, error) {
	if !languagePattern.MatchString(s) {
		return Language{}, domain.Wrapf(ErrInvalidLanguage, "%q", s)
	}
	return Language{s}, nil
}

func (l Language) String() string { return l.s }
func (l Language) IsZero() bool   { return l == Language{} }

// MarshalText encodes the code.
func (l Language) MarshalText() ([]byte, error) { return []byte(l.s), nil }

// UnmarshalText parses a code; empty yields the zero Language.
func (l *Language) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*l = Language{}
		return nil
	}
	v, err := ParseLanguage(string(b))
	*l = v
	return err
}

// Need is an accessibility need of the citizen.
type Need struct{ s string }

var (
	NeedSignLanguage   = Need{"sign_language"}
	NeedTextChatOnly   = Need{"text_chat_only"}
	NeedSimpleLanguage = Need{"simple_language"}
	NeedScreenReader   = Need{"screen_reader"}
	NeedInterpreter    = Need{"interpreter"}
	// NeedCaptions: live captions (speech to text) during the call.
	NeedCaptions = Need{"captions"}
)

var needs = []Need{NeedSignLanguage, NeedTextChatOnly, NeedSimpleLanguage, NeedScreenReader, NeedInterpreter, NeedCaptions}

// ErrInvalidNeed is returned for unknown accessibility needs.
var ErrInvalidNeed = domain.Invalid("invalid_accessibility_need", "unknown accessibility need")

// ParseNeed parses a need name such as "sign_language".
func ParseNeed(s string) (Need, error) {
	for _, n := range needs {
		if n.s == s {
			return n, nil
		}
	}
	return Need{}, domain.Wrapf(ErrInvalidNeed, "%q", s)
}

// Needs returns every known need.
func Needs() []Need { return slices.Clone(needs) }

func (n Need) String() string { return n.s }
func (n Need) IsZero() bool   { return n == Need{} }

// MarshalText encodes the need name.
func (n Need) MarshalText() ([]byte, error) { return []byte(n.s), nil }

// UnmarshalText parses a need name.
func (n *Need) UnmarshalText(b []byte) error {
	v, err := ParseNeed(string(b))
	*n = v
	return err
}

// normaliseNeeds sorts and deduplicates a need set; zero needs are invalid.
func normaliseNeeds(in []Need) ([]Need, error) {
	out := make([]Need, 0, len(in))
	for _, n := range in {
		if n.IsZero() {
			return nil, domain.Wrapf(ErrInvalidNeed, "empty need")
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b Need) int { return cmp.Compare(a.s, b.s) })
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// EndReason says why a call ended.
type EndReason struct{ s string }

var (
	EndCompleted         = EndReason{"completed"}           // the clerk finished the visit
	EndCitizenLeft       = EndReason{"citizen_left"}        // the citizen hung up
	EndConnectionLost    = EndReason{"connection_lost"}     // media failed
	EndReturnedToWaiting = EndReason{"returned_to_waiting"} // sent back to the waiting room
)

var endReasons = []EndReason{EndCompleted, EndCitizenLeft, EndConnectionLost, EndReturnedToWaiting}

// ErrInvalidEndReason is returned for unknown end reasons.
var ErrInvalidEndReason = domain.Invalid("invalid_end_reason", "unknown end reason")

// ParseEndReason parses an end reason name.
func ParseEndReason(s string) (EndReason, error) {
	for _, r := range endReasons {
		if r.s == s {
			return r, nil
		}
	}
	return EndReason{}, domain.Wrapf(ErrInvalidEndReason, "%q", s)
}

func (r EndReason) String() string { return r.s }
func (r EndReason) IsZero() bool   { return r == EndReason{} }

// MarshalText encodes the reason name.
func (r EndReason) MarshalText() ([]byte, error) { return []byte(r.s), nil }

// UnmarshalText parses a reason name.
func (r *EndReason) UnmarshalText(b []byte) error {
	v, err := ParseEndReason(string(b))
	*r = v
	return err
}
