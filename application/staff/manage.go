package staff

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// SetPassword replaces a user's password.
func (s *Service) SetPassword(ctx context.Context, c command.Context, id staff.UserID, password string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	_, err = s.update(ctx, c, id, func(u *staff.User) error { return u.ChangePassword(hash, s.clock.Now()) })
	return err
}

// AssignOffices replaces the offices a clerk serves.
func (s *Service) AssignOffices(ctx context.Context, c command.Context, id staff.UserID, offices []domain.OfficeID) (Account, error) {
	return s.update(ctx, c, id, func(u *staff.User) error { return u.AssignOffices(offices, s.clock.Now()) })
}

// Disable ends an account; its sessions end at their next request.
func (s *Service) Disable(ctx context.Context, c command.Context, id staff.UserID) (Account, error) {
	return s.update(ctx, c, id, func(u *staff.User) error { return u.Disable(s.clock.Now()) })
}
