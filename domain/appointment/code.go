package appointment

import (
	"fmt"
	"io"
	"strings"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Code is a confirmation code (Terminbestätigungscode): 10 characters of
// Crockford base32 (no I, L, O, U), 50 random bits, written XXXXX-XXXXX.
// Short enough to read out on the phone, too many to guess: codes are only
// accepted together with a rate-limited endpoint.
type Code struct{ s string }

const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen      = 10
)

// ErrInvalidCode is returned for malformed confirmation codes.
var ErrInvalidCode = domain.Invalid("invalid_confirmation_code", "invalid confirmation code")

// NewCode draws a code from r, which must be crypto/rand.Reader outside tests.
func NewCode(r io.Reader) (Code, error) {
	b := make([]byte, codeLen)
	if _, err := io.ReadFull(r, b); err != nil {
		return Code{}, fmt.Errorf("appointment: read random code: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]&31] // 256 is a multiple of 32: uniform
	}
	return Code{string(b)}, nil
}

// ParseCode accepts upper or lower case, with or without the hyphen or
// spaces, and maps the easily confused O→0 and I, L→1 as Crockford does.
func ParseCode(s string) (Code, error) {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s)
	if len(s) != codeLen {
		return Code{}, ErrInvalidCode
	}
	for _, r := range s {
		if !strings.ContainsRune(codeAlphabet, r) {
			return Code{}, ErrInvalidCode
		}
	}
	return Code{s}, nil
}

// String returns the code as XXXXX-XXXXX.
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return c.s[:5] + "-" + c.s[5:]
}

func (c Code) IsZero() bool { return c == Code{} }

// MarshalText encodes XXXXX-XXXXX.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText parses a code; empty yields the zero Code.
func (c *Code) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Code{}
		return nil
	}
	v, err := ParseCode(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
