package domain

import (
	"fmt"

	"github.com/google/uuid"
)

// ID is a typed UUID; K is a marker that keeps identifiers of different
// kinds apart at compile time. Use the aliases below (OfficeID, VisitID, …).
// The zero ID is invalid everywhere. IDs marshal as canonical UUID strings.
type ID[K any] struct{ u uuid.UUID }

type (
	officeKind      struct{}
	departmentKind  struct{}
	serviceKind     struct{}
	clerkKind       struct{}
	visitKind       struct{}
	appointmentKind struct{}
	caseKind        struct{}
	callKind        struct{}
	requestKind     struct{}
	noteKind        struct{}
	documentKind    struct{}
)

type (
	OfficeID      = ID[officeKind]
	DepartmentID  = ID[departmentKind]
	ServiceID     = ID[serviceKind]
	ClerkID       = ID[clerkKind]
	VisitID       = ID[visitKind]
	AppointmentID = ID[appointmentKind]
	CaseID        = ID[caseKind]
	CallID        = ID[callKind]
	// RequestID identifies a client request (an idempotency key).
	RequestID = ID[requestKind]
	NoteID    = ID[noteKind]
	// DocumentRequestID identifies one "document requested" step of a case.
	DocumentRequestID = ID[documentKind]
)

// idPtr is satisfied by *ID[K] for every kind K.
type idPtr[I any] interface {
	*I
	setUUID(uuid.UUID)
}

func (id *ID[K]) setUUID(u uuid.UUID) { id.u = u }

// IDFrom wraps a UUID: domain.IDFrom[domain.OfficeID](u). The application
// generates UUIDs (uuid.New) or derives them deterministically; the domain
// never generates random IDs itself.
func IDFrom[I any, P idPtr[I]](u uuid.UUID) I {
	var id I
	P(&id).setUUID(u)
	return id
}

// ParseID parses a canonical UUID string into a typed ID, refusing the nil
// UUID: domain.ParseID[domain.VisitID](s).
func ParseID[I any, P idPtr[I]](s string) (I, error) {
	var id I
	u, err := uuid.Parse(s)
	if err != nil {
		return id, Wrapf(ErrInvalidID, "%q", s)
	}
	if u == uuid.Nil {
		return id, Wrapf(ErrInvalidID, "nil UUID")
	}
	P(&id).setUUID(u)
	return id, nil
}

// ErrInvalidID is returned for malformed or nil identifiers.
var ErrInvalidID = Invalid("invalid_id", "invalid identifier")

// UUID returns the underlying UUID.
func (id ID[K]) UUID() uuid.UUID { return id.u }

// IsZero reports whether id is the zero (nil) ID.
func (id ID[K]) IsZero() bool { return id.u == uuid.Nil }

func (id ID[K]) String() string { return id.u.String() }

// MarshalText encodes the ID as a UUID string.
func (id ID[K]) MarshalText() ([]byte, error) { return []byte(id.u.String()), nil }

// UnmarshalText decodes a UUID string; an empty string yields the zero ID.
func (id *ID[K]) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = ID[K]{}
		return nil
	}
	u, err := uuid.ParseBytes(b)
	if err != nil {
		return fmt.Errorf("domain: parse id: %w", err)
	}
	id.u = u
	return nil
}

// RequireID returns an invalid error naming field when id is zero.
func RequireID[K any](field string, id ID[K]) error {
	if id.IsZero() {
		return Wrapf(ErrInvalidID, "%s is required", field)
	}
	return nil
}
