package staff

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// Account is the read view of a staff user; it never carries the password
// hash.
type Account struct {
	ID        staff.UserID
	Username  string
	Roles     []staff.Role
	Offices   []domain.OfficeID
	Disabled  bool
	CreatedAt time.Time
}

// HasRole reports whether the account holds r.
func (a Account) HasRole(r staff.Role) bool { return slices.Contains(a.Roles, r) }

func accountOf(u *staff.User) Account {
	return Account{ID: u.ID(), Username: u.Username(), Roles: u.Roles(), Offices: u.Offices(), Disabled: u.Disabled(), CreatedAt: u.CreatedAt()}
}

// Service runs the staff use cases. Build it with NewService.
type Service struct {
	store  eventlog.Store
	users  *command.Repository[*staff.User]
	hasher *Hasher
	clock  command.Clock
	ids    command.IDs
	// dummyHash is verified when a username is unknown, so a login costs the
	// same time whether or not the user exists.
	dummyHash string
}

// Deps are the Service's dependencies; all are required.
type Deps struct {
	Store  eventlog.Store
	Hasher *Hasher
	Clock  command.Clock
	IDs    command.IDs
}

// NewService refuses nil dependencies.
func NewService(d Deps) (*Service, error) {
	if d.Store == nil || d.Hasher == nil || d.Clock == nil || d.IDs == nil {
		return nil, errors.New("staff: service needs a store, a hasher, a clock and IDs")
	}
	repo, err := command.NewRepository(d.Store, staff.FromEvents, d.IDs, command.RepositoryOptions{})
	if err != nil {
		return nil, err
	}
	dummy, err := d.Hasher.Hash(context.Background(), "dummy password for unknown users")
	if err != nil {
		return nil, err
	}
	return &Service{store: d.Store, users: repo, hasher: d.Hasher, clock: d.Clock, ids: d.IDs, dummyHash: dummy}, nil
}

// AdminActor is the event-metadata actor of a staff admin. The domain's
// roles have no admin (admins act only on staff accounts), so an admin acts
// as the system role with an ID naming the admin's user ID, never a name.
func AdminActor(id staff.UserID) domain.Actor {
	a, _ := domain.NewActor(domain.RoleSystem, "staff-admin/"+id.String())
	return a
}

func (s *Service) write(c command.Context) command.Write {
	return command.Write{Meta: c.Metadata(s.clock.Now(), s.ids.NewUUID)}
}

// Get returns one account.
func (s *Service) Get(ctx context.Context, id staff.UserID) (Account, error) {
	l, err := s.users.Load(ctx, staff.StreamName(id))
	if err != nil {
		return Account{}, err
	}
	return accountOf(l.Aggregate), nil
}

// update runs decide on one user and saves what it recorded.
func (s *Service) update(ctx context.Context, c command.Context, id staff.UserID, decide func(*staff.User) error) (Account, error) {
	if err := c.Validate(); err != nil {
		return Account{}, err
	}
	u, _, err := s.users.Update(ctx, staff.StreamName(id), s.write(c), decide)
	if err != nil {
		return Account{}, err
	}
	return accountOf(u), nil
}
