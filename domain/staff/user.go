package staff

import (
	"fmt"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// User is the StaffUser aggregate. Create it with Create, load it with
// FromEvents; the zero value is not usable.
type User struct {
	domain.Base
	id           UserID
	username     string
	roles        []Role
	offices      []domain.OfficeID
	passwordHash string
	disabled     bool
	createdAt    time.Time
}

// FromEvents rehydrates a user from its stream, oldest event first.
func FromEvents(history []domain.Event) (*User, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	if _, ok := history[0].(StaffUserCreated); !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "staff stream starts with %s", history[0].EventType())
	}
	u := &User{}
	for _, e := range history {
		if err := u.apply(e); err != nil {
			return nil, err
		}
		u.Loaded()
	}
	return u, nil
}

func (u *User) record(e domain.Event) {
	if err := u.apply(e); err != nil {
		panic(fmt.Sprintf("staff: recorded event does not apply: %v", err)) // programming error
	}
	u.Track(e)
}

func (u *User) apply(e domain.Event) error {
	switch e := e.(type) {
	case StaffUserCreated:
		u.id, u.username, u.passwordHash, u.createdAt = e.UserID, e.Username, e.PasswordHash, e.CreatedAt
		u.roles, u.offices = slices.Clone(e.Roles), slices.Clone(e.Offices)
	case StaffPasswordChanged:
		u.passwordHash = e.PasswordHash
	case StaffOfficesAssigned:
		u.offices = slices.Clone(e.Offices)
	case StaffUserDisabled:
		u.disabled = true
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "staff: %s", e.EventType())
	}
	return nil
}

func (u *User) ID() UserID           { return u.id }
func (u *User) Username() string     { return u.username }
func (u *User) Roles() []Role        { return slices.Clone(u.roles) }
func (u *User) PasswordHash() string { return u.passwordHash }
func (u *User) Disabled() bool       { return u.disabled }
func (u *User) CreatedAt() time.Time { return u.createdAt }

// Offices returns the offices a clerk serves (empty for other roles).
func (u *User) Offices() []domain.OfficeID { return slices.Clone(u.offices) }

// HasRole reports whether the user holds r.
func (u *User) HasRole(r Role) bool { return slices.Contains(u.roles, r) }

// ClerkID is the user's identity in office and visit events (same UUID).
func (u *User) ClerkID() domain.ClerkID { return domain.IDFrom[domain.ClerkID](u.id.UUID()) }
