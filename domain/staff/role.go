package staff

import (
	"slices"
	"strings"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Role is what a staff user may do. Roles are independent: an admin manages
// accounts but does not see cases unless also clerk or auditor.
type Role struct{ s string }

var (
	// RoleClerk serves the queues of the offices assigned to the user.
	RoleClerk = Role{"clerk"}
	// RoleAuditor replays and verifies cases.
	RoleAuditor = Role{"auditor"}
	// RoleAdmin manages staff accounts.
	RoleAdmin = Role{"admin"}
)

var allRoles = []Role{RoleClerk, RoleAuditor, RoleAdmin}

// ParseRole parses "clerk", "auditor" or "admin".
func ParseRole(s string) (Role, error) {
	for _, r := range allRoles {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, domain.Wrapf(ErrInvalidRole, "%q", s)
}

func (r Role) String() string { return r.s }

// IsZero reports whether r is the zero Role.
func (r Role) IsZero() bool { return r == Role{} }

// MarshalText encodes the role name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.s), nil }

// UnmarshalText decodes a role name.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// normaliseRoles validates roles and returns them sorted without duplicates.
func normaliseRoles(roles []Role) ([]Role, error) {
	if len(roles) == 0 {
		return nil, domain.Wrapf(ErrInvalidRole, "at least one role is required")
	}
	out := make([]Role, 0, len(roles))
	for _, r := range roles {
		if r.IsZero() {
			return nil, domain.Wrapf(ErrInvalidRole, "zero role")
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Role) int { return strings.Compare(a.s, b.s) })
	return out, nil
}
