package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
)

// SessionTokenPrefix starts every session token, so a leaked one is easy to
// recognise (secret scanners) and never confused with a capability token.
const SessionTokenPrefix = "bbs_"

// maxTokenLen bounds any presented token before it is hashed or compared.
const maxTokenLen = 128

// NewSessionToken returns "bbs_" and 256 bits from crypto/rand in URL-safe
// base64.
func NewSessionToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return SessionTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken returns the hex SHA-256 of a token: the only form in which
// tokens are kept (session table, events).
func HashToken(token string) string {
	h := tokenHash(token)
	return string(h[:])
}

// tokenHash is HashToken in an array, so a map lookup by it (m[string(h[:])])
// allocates nothing; tokens up to maxTokenLen are copied on the stack.
func tokenHash(token string) (out [2 * sha256.Size]byte) {
	var sum [sha256.Size]byte
	if len(token) <= maxTokenLen {
		var buf [maxTokenLen]byte
		sum = sha256.Sum256(append(buf[:0], token...))
	} else {
		sum = sha256.Sum256([]byte(token))
	}
	hex.Encode(out[:], sum[:])
	return out
}

func isSessionToken(t string) bool { return strings.HasPrefix(t, SessionTokenPrefix) }

// Capabilities checks citizen capability tokens. A token grants exactly one
// subject; the check must run in constant time.
type Capabilities interface {
	Grants(token string, s Subject) bool
}

// TokenCapabilities checks tokens issued by the application's
// command.Tokens (HMAC-SHA-256 of the subject under a server key, 256 bits):
// the server recomputes the token of the subject in the path and compares,
// so no token or token table is needed to check one.
type TokenCapabilities struct{ Tokens command.Tokens }

// Grants implements Capabilities.
func (c TokenCapabilities) Grants(token string, s Subject) bool {
	if c.Tokens == nil || s.ID == uuid.Nil || s.Kind.IsZero() || len(token) > maxTokenLen {
		return false
	}
	return command.CheckToken(token, c.Tokens.Token(s.Kind.s, s.ID)) == nil
}
