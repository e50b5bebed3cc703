package staff

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Username limits.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 64
	// MaxOffices is the most offices one clerk may be assigned to.
	MaxOffices = 50
	// MaxPasswordHashLen bounds the stored PHC string.
	MaxPasswordHashLen = 512
)

// CreateCommand creates a staff user.
type CreateCommand struct {
	UserID       UserID
	Username     string
	Roles        []Role
	Offices      []domain.OfficeID // only for clerks
	PasswordHash string            // PHC string, e.g. "$argon2id$v=19$..."
}

// NormaliseUsername trims and lower-cases a username and checks it is 3..64
// characters of a-z, 0-9, '.', '-' and '_' starting with a letter or digit.
func NormaliseUsername(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	n := utf8.RuneCountInString(s)
	if n < MinUsernameLen || n > MaxUsernameLen {
		return "", domain.Wrapf(ErrInvalidUsername, "must be %d..%d characters", MinUsernameLen, MaxUsernameLen)
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '.' || r == '-' || r == '_')
		if !ok {
			return "", domain.Wrapf(ErrInvalidUsername, "only a-z, 0-9, '.', '-' and '_' are allowed, starting with a letter or digit")
		}
	}
	return s, nil
}

// Create validates cmd and returns a new user holding StaffUserCreated.
func Create(cmd CreateCommand, at time.Time) (*User, error) {
	if err := domain.RequireID("user id", cmd.UserID); err != nil {
		return nil, err
	}
	name, err := NormaliseUsername(cmd.Username)
	if err != nil {
		return nil, err
	}
	roles, err := normaliseRoles(cmd.Roles)
	if err != nil {
		return nil, err
	}
	if err := checkHash(cmd.PasswordHash); err != nil {
		return nil, err
	}
	offices, err := normaliseOffices(cmd.Offices)
	if err != nil {
		return nil, err
	}
	if len(offices) > 0 && !slices.Contains(roles, RoleClerk) {
		return nil, ErrNotAClerk
	}
	u := &User{}
	u.record(StaffUserCreated{
		UserID: cmd.UserID, Username: name, Roles: roles, Offices: offices,
		PasswordHash: cmd.PasswordHash, CreatedAt: at,
	})
	return u, nil
}

// ClaimUsername returns the event that claims a username for a user, to be
// appended to UsernameStreamName(username) expecting no stream.
func ClaimUsername(username string, id UserID, at time.Time) (StaffUsernameClaimed, error) {
	name, err := NormaliseUsername(username)
	if err != nil {
		return StaffUsernameClaimed{}, err
	}
	if err := domain.RequireID("user id", id); err != nil {
		return StaffUsernameClaimed{}, err
	}
	return StaffUsernameClaimed{Username: name, UserID: id, ClaimedAt: at}, nil
}

func checkHash(h string) error {
	if !strings.HasPrefix(h, "$") || len(h) > MaxPasswordHashLen {
		return domain.Wrapf(ErrInvalidPassword, "want a PHC string of at most %d bytes", MaxPasswordHashLen)
	}
	return nil
}

// normaliseOffices refuses zero IDs and too many offices and removes duplicates.
func normaliseOffices(ids []domain.OfficeID) ([]domain.OfficeID, error) {
	if len(ids) > MaxOffices {
		return nil, domain.Wrapf(ErrInvalidOffices, "at most %d offices", MaxOffices)
	}
	out := make([]domain.OfficeID, 0, len(ids))
	for _, id := range ids {
		if err := domain.RequireID("office id", id); err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}
