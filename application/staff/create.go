package staff

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// CreateCommand creates a staff user with an initial password.
type CreateCommand struct {
	Username string
	Password string
	Roles    []staff.Role
	Offices  []domain.OfficeID
}

// Create claims the username, lists the user in the directory and creates
// its stream, in that order, so an interrupted create leaves at most a claim
// whose user does not exist; the next Create of that username repairs it by
// reusing the claimed ID. A username held by an existing user is
// staff.ErrUsernameTaken.
func (s *Service) Create(ctx context.Context, c command.Context, cmd CreateCommand) (Account, error) {
	if err := c.Validate(); err != nil {
		return Account{}, err
	}
	if err := CheckPasswordPolicy(cmd.Password); err != nil {
		return Account{}, err
	}
	now := s.clock.Now()
	id := domain.IDFrom[staff.UserID](s.ids.NewUUID())
	// Validate everything before claiming (hash is checked by the domain later).
	if _, err := staff.Create(staff.CreateCommand{UserID: id, Username: cmd.Username, Roles: cmd.Roles, Offices: cmd.Offices, PasswordHash: "$placeholder"}, now); err != nil {
		return Account{}, err
	}
	hash, err := s.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		return Account{}, err
	}
	id, err = s.claim(ctx, c, cmd.Username, id)
	if err != nil {
		return Account{}, err
	}
	u, err := staff.Create(staff.CreateCommand{UserID: id, Username: cmd.Username, Roles: cmd.Roles, Offices: cmd.Offices, PasswordHash: hash}, now)
	if err != nil {
		return Account{}, err
	}
	w := s.write(c)
	entry := eventlog.NewEvent{
		ID:    command.DeriveID("staff-directory-entry", id.String()),
		Event: staff.StaffDirectoryEntryAdded{UserID: id, AddedAt: now},
		Meta:  w.Meta,
	}
	if _, err := s.store.Append(ctx, staff.DirectoryStream, eventlog.ExpectAny(), entry); err != nil {
		return Account{}, err
	}
	if _, err := s.users.Create(ctx, staff.StreamName(id), w, u); err != nil {
		if errors.Is(err, eventlog.ErrConflict) {
			return Account{}, staff.ErrUsernameTaken
		}
		return Account{}, err
	}
	return accountOf(u), nil
}

// claim appends the username claim for id, or returns the ID of an earlier
// claim whose user was never created.
func (s *Service) claim(ctx context.Context, c command.Context, username string, id staff.UserID) (staff.UserID, error) {
	ev, err := staff.ClaimUsername(username, id, s.clock.Now())
	if err != nil {
		return id, err
	}
	stream := staff.UsernameStreamName(ev.Username)
	_, err = s.store.Append(ctx, stream, eventlog.ExpectNoStream(), eventlog.NewEvent{ID: s.ids.NewUUID(), Event: ev, Meta: s.write(c).Meta})
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, eventlog.ErrConflict) {
		return id, err
	}
	prev, err := s.claimedID(ctx, ev.Username)
	if err != nil {
		return id, err
	}
	if _, err := s.store.Load(ctx, staff.StreamName(prev)); err == nil {
		return id, staff.ErrUsernameTaken
	} else if !errors.Is(err, eventlog.ErrStreamNotFound) {
		return id, err
	}
	return prev, nil
}

// claimedID returns the user ID a normalised username is claimed for.
func (s *Service) claimedID(ctx context.Context, username string) (staff.UserID, error) {
	evs, err := s.store.Load(ctx, staff.UsernameStreamName(username))
	if err != nil {
		if errors.Is(err, eventlog.ErrStreamNotFound) {
			return staff.UserID{}, staff.ErrNotFound
		}
		return staff.UserID{}, err
	}
	ev, ok := evs[0].Event.(staff.StaffUsernameClaimed)
	if !ok {
		return staff.UserID{}, domain.Wrapf(domain.ErrUnknownEvent, "username stream starts with %s", evs[0].Type)
	}
	return ev.UserID, nil
}
