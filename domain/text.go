package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText trims s and checks it is valid UTF-8 without control characters
// (newlines allowed when multiline) and at most maxRunes long.
func CleanText(field, s string, minRunes, maxRunes int, multiline bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", Wrapf(ErrInvalidText, "%s is not valid UTF-8", field)
	}
	n := utf8.RuneCountInString(s)
	if n < minRunes || n > maxRunes {
		return "", Wrapf(ErrInvalidText, "%s must be %d..%d characters", field, minRunes, maxRunes)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return "", Wrapf(ErrInvalidText, "%s contains control characters", field)
		}
	}
	return s, nil
}

// ErrInvalidText is returned for text that is empty, too long or malformed.
var ErrInvalidText = Invalid("invalid_text", "invalid text")

// ErrUnknownEvent is returned by FromEvents for an event type the aggregate
// does not know, or a stream that does not start with its creation event.
var ErrUnknownEvent = Invalid("unknown_event", "unknown or out-of-order event")
