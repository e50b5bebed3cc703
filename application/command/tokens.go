package command

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Tokens issues capability tokens: the secret a citizen holds to see their
// own visit or case. A token is derived from a server key and the subject's
// ID (HMAC-SHA-256, 256 bits, URL-safe base64), so
//   - a retried knock or a policy-opened case yields the same token without
//     storing it anywhere,
//   - only its SHA-256 hash (TokenHash) ever goes into an event,
//   - nobody without the key can compute one.
type Tokens interface {
	Token(purpose string, subject uuid.UUID) string
}

// HMACTokens implements Tokens with a server key of at least 32 bytes, kept
// in configuration (every app instance needs the same key).
type HMACTokens struct{ key []byte }

// ErrWeakKey is returned for token keys shorter than 32 bytes.
var ErrWeakKey = errors.New("command: token key must be at least 32 bytes")

// NewHMACTokens copies key and refuses keys shorter than 32 bytes.
func NewHMACTokens(key []byte) (*HMACTokens, error) {
	if len(key) < 32 {
		return nil, ErrWeakKey
	}
	return &HMACTokens{key: append([]byte(nil), key...)}, nil
}

// Token returns the token for subject and purpose ("visit", "case").
func (t *HMACTokens) Token(purpose string, subject uuid.UUID) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(subject[:])
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TokenHash is the hex SHA-256 of a token, the only form events carry.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// ErrBadToken is returned when a capability token does not match.
var ErrBadToken = domain.Forbidden("bad_capability_token", "the token does not grant access")

// CheckToken compares a presented token with the expected one in constant
// time.
func CheckToken(presented, expected string) error {
	if presented == "" || subtle.ConstantTimeCompare([]byte(presented), []byte(expected)) != 1 {
		return ErrBadToken
	}
	return nil
}
