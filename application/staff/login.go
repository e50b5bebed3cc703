package staff

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// VerifyLogin returns the account of username when password matches and the
// account is enabled. Every failure — unknown user, wrong password, disabled
// account, malformed input — is staff.ErrInvalidCredentials and costs one
// argon2id verification, so neither the answer nor its timing tells whether
// a username exists.
func (s *Service) VerifyLogin(ctx context.Context, username, password string) (Account, error) {
	hash, acc, known := s.dummyHash, Account{}, false
	if name, err := staff.NormaliseUsername(username); err == nil && len(password) <= MaxPasswordLen {
		id, err := s.claimedID(ctx, name)
		switch {
		case err == nil:
			l, err := s.users.Load(ctx, staff.StreamName(id))
			if err == nil {
				hash, acc, known = l.Aggregate.PasswordHash(), accountOf(l.Aggregate), true
			} else if !errors.Is(err, staff.ErrNotFound) {
				return Account{}, err
			}
		case !errors.Is(err, staff.ErrNotFound):
			return Account{}, err
		}
	}
	if len(password) > MaxPasswordLen {
		password = password[:MaxPasswordLen]
	}
	ok, err := s.hasher.Verify(ctx, hash, password)
	if err != nil && !errors.Is(err, errBadHash) {
		return Account{}, err
	}
	if !ok || !known || acc.Disabled {
		return Account{}, staff.ErrInvalidCredentials
	}
	return acc, nil
}
