package casefile

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Reference is a case's human reference (Aktenzeichen), unique per year:
// a 2–3 letter city prefix, the year and a six-digit number, e.g.
// DO-2026-000123.
type Reference struct {
	prefix string
	year   int
	number int
}

// MaxReferenceNumber is the largest number per year.
const MaxReferenceNumber = 999999

var referencePattern = regexp.MustCompile(`^([A-Z]{2,3})-(\d{4})-(\d{6})$`)
var prefixPattern = regexp.MustCompile(`^[A-Z]{2,3}$`)

// ErrInvalidReference is returned for malformed references.
var ErrInvalidReference = domain.Invalid("invalid_case_reference", "invalid case reference")

// NewReference validates the parts.
func NewReference(prefix string, year, number int) (Reference, error) {
	if !prefixPattern.MatchString(prefix) {
		return Reference{}, domain.Wrapf(ErrInvalidReference, "prefix %q must be 2-3 capital letters", prefix)
	}
	if year < 2000 || year > 9999 {
		return Reference{}, domain.Wrapf(ErrInvalidReference, "year %d", year)
	}
	if number < 1 || number > MaxReferenceNumber {
		return Reference{}, domain.Wrapf(ErrInvalidReference, "number %d must be 1..%d", number, MaxReferenceNumber)
	}
	return Reference{prefix: prefix, year: year, number: number}, nil
}

// ParseReference parses "DO-2026-000123".
func ParseReference(s string) (Reference, error) {
	m := referencePattern.FindStringSubmatch(s)
	if m == nil {
		return Reference{}, domain.Wrapf(ErrInvalidReference, "%q", s)
	}
	year, _ := strconv.Atoi(m[2])
	number, _ := strconv.Atoi(m[3])
	return NewReference(m[1], year, number)
}

func (r Reference) Prefix() string { return r.prefix }
func (r Reference) Year() int      { return r.year }
func (r Reference) Number() int    { return r.number }
func (r Reference) IsZero() bool   { return r == Reference{} }

func (r Reference) String() string {
	if r.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s-%04d-%06d", r.prefix, r.year, r.number)
}

// MarshalText encodes "DO-2026-000123".
func (r Reference) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses a reference; empty yields the zero Reference.
func (r *Reference) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = Reference{}
		return nil
	}
	v, err := ParseReference(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
