package staff

import (
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// ChangePassword records a new password hash. A disabled user's password
// cannot be changed.
func (u *User) ChangePassword(hash string, at time.Time) error {
	if u.disabled {
		return ErrUserDisabled
	}
	if err := checkHash(hash); err != nil {
		return err
	}
	u.record(StaffPasswordChanged{UserID: u.id, PasswordHash: hash, ChangedAt: at})
	return nil
}

// AssignOffices replaces the offices a clerk serves. Assigning the same set
// again records nothing.
func (u *User) AssignOffices(offices []domain.OfficeID, at time.Time) error {
	if u.disabled {
		return ErrUserDisabled
	}
	if !u.HasRole(RoleClerk) {
		return ErrNotAClerk
	}
	ids, err := normaliseOffices(offices)
	if err != nil {
		return err
	}
	if slices.Equal(ids, u.offices) {
		return nil
	}
	u.record(StaffOfficesAssigned{UserID: u.id, Offices: ids, AssignedAt: at})
	return nil
}

// Disable ends the account; disabling twice records nothing.
func (u *User) Disable(at time.Time) error {
	if u.disabled {
		return nil
	}
	u.record(StaffUserDisabled{UserID: u.id, DisabledAt: at})
	return nil
}
