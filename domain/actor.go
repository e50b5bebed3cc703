package domain

import "fmt"

// Role is who acts: a citizen, a clerk (Sachbearbeiter:in), an auditor
// (Prüfer:in) or the system (policies, timers).
type Role struct{ s string }

var (
	RoleCitizen = Role{"citizen"}
	RoleClerk   = Role{"clerk"}
	RoleAuditor = Role{"auditor"}
	RoleSystem  = Role{"system"}
)

var roles = []Role{RoleCitizen, RoleClerk, RoleAuditor, RoleSystem}

// ParseRole parses "citizen", "clerk", "auditor" or "system".
func ParseRole(s string) (Role, error) {
	for _, r := range roles {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, Wrapf(ErrInvalidRole, "%q", s)
}

// ErrInvalidRole is returned for unknown roles.
var ErrInvalidRole = Invalid("invalid_role", "invalid role")

func (r Role) String() string { return r.s }

// IsZero reports whether r is the zero Role.
func (r Role) IsZero() bool { return r == Role{} }

// MarshalText encodes the role name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.s), nil }

// UnmarshalText decodes a role name; empty yields the zero Role.
func (r *Role) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = Role{}
		return nil
	}
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Actor is who did something: a role and an opaque ID (a clerk's ID, a
// visit's capability subject, an auditor's ID or a policy name) — never a
// person's name. The application puts it into event metadata.
type Actor struct {
	role Role
	id   string
}

// NewActor validates and returns an Actor.
func NewActor(role Role, id string) (Actor, error) {
	if role.IsZero() {
		return Actor{}, Wrapf(ErrInvalidActor, "role is required")
	}
	if id == "" || len(id) > 128 {
		return Actor{}, Wrapf(ErrInvalidActor, "id must be 1..128 bytes")
	}
	return Actor{role: role, id: id}, nil
}

// ClerkActor returns the actor for a clerk.
func ClerkActor(id ClerkID) Actor { return Actor{role: RoleClerk, id: id.String()} }

// ErrInvalidActor is returned for incomplete actors.
var ErrInvalidActor = Invalid("invalid_actor", "invalid actor")

func (a Actor) Role() Role     { return a.role }
func (a Actor) ID() string     { return a.id }
func (a Actor) IsZero() bool   { return a == Actor{} }
func (a Actor) String() string { return fmt.Sprintf("%s:%s", a.role, a.id) }
