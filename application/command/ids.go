package command

import (
	"crypto/rand"
	"io"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

// IDs generates identifiers and random bytes. Production uses CryptoIDs;
// tests may pass a seeded reader.
type IDs interface {
	// NewUUID returns a fresh random UUID (v4).
	NewUUID() uuid.UUID
	// Random is the source of randomness for tokens and confirmation codes.
	Random() io.Reader
}

// CryptoIDs draws from crypto/rand.
type CryptoIDs struct{}

// NewUUID returns a random v4 UUID.
func (CryptoIDs) NewUUID() uuid.UUID { return uuid.New() }

// Random returns crypto/rand.Reader.
func (CryptoIDs) Random() io.Reader { return rand.Reader }

// Namespace is the root of every deterministic (v5) identifier the
// application derives. Changing it would change every derived ID: never do.
var Namespace = uuid.MustParse("6d3f8b4e-1c0a-4c51-9a57-0b0e8e6e2a11")

// DeriveID returns uuid.NewSHA1(Namespace, kind + "/" + parts joined by "/").
// Equal inputs give equal IDs, so a retried command or policy writes the
// same IDs and the event store recognises the repeat.
func DeriveID(kind string, parts ...string) uuid.UUID {
	name := kind
	for _, p := range parts {
		name += "/" + p
	}
	return uuid.NewSHA1(Namespace, []byte(name))
}

// ClerkOf returns the clerk a context acts for: the actor must have the
// clerk role and a clerk ID. Clerk commands take the clerk from here, never
// from the request body, so nobody acts in another clerk's name.
func ClerkOf(c Context) (domain.ClerkID, error) {
	if err := c.RequireRole(domain.RoleClerk); err != nil {
		return domain.ClerkID{}, err
	}
	return domain.ParseID[domain.ClerkID](c.Actor.ID())
}
