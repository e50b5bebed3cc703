package staff

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// DemoPasswordEnv names the environment variable the composition root reads
// for DemoOptions.Password.
const DemoPasswordEnv = "BUERGERBUERO_DEMO_PASSWORD"

// DemoOptions configure SeedDemo.
type DemoOptions struct {
	// ClerkOffices are assigned to the demo clerk.
	ClerkOffices []domain.OfficeID
	// Password is used for every demo user; empty generates a random one.
	Password string
}

// DemoResult tells the operator how to log in.
type DemoResult struct {
	Usernames []string
	Password  string
	Generated bool // Password was generated: print it once, it is not stored
}

// SeedDemo creates (or, on a later start, resets) the demo users "clerk"
// (assigned to opts.ClerkOffices), "auditor" and "admin", all with one
// password. Existing demo users get the password and offices again, so the
// password printed is always the valid one. Only for `serve --demo`.
func (s *Service) SeedDemo(ctx context.Context, opts DemoOptions) (DemoResult, error) {
	pw, generated := opts.Password, false
	if pw == "" {
		var err error
		if pw, err = RandomPassword(); err != nil {
			return DemoResult{}, err
		}
		generated = true
	}
	if err := CheckPasswordPolicy(pw); err != nil {
		return DemoResult{}, fmt.Errorf("%s: %w", DemoPasswordEnv, err)
	}
	actor, err := domain.NewActor(domain.RoleSystem, "demo-seed")
	if err != nil {
		return DemoResult{}, err
	}
	c := command.Context{Actor: actor}
	users := []CreateCommand{
		{Username: "clerk", Roles: []staff.Role{staff.RoleClerk}, Offices: opts.ClerkOffices},
		{Username: "auditor", Roles: []staff.Role{staff.RoleAuditor}},
		{Username: "admin", Roles: []staff.Role{staff.RoleAdmin}},
	}
	res := DemoResult{Password: pw, Generated: generated}
	for _, u := range users {
		u.Password = pw
		if err := s.seedOne(ctx, c, u); err != nil {
			return DemoResult{}, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		res.Usernames = append(res.Usernames, u.Username)
	}
	return res, nil
}

func (s *Service) seedOne(ctx context.Context, c command.Context, u CreateCommand) error {
	_, err := s.Create(ctx, c, u)
	if !errors.Is(err, staff.ErrUsernameTaken) {
		return err
	}
	id, err := s.claimedID(ctx, u.Username)
	if err != nil {
		return err
	}
	if err := s.SetPassword(ctx, c, id, u.Password); err != nil {
		return err
	}
	if len(u.Offices) > 0 {
		_, err = s.AssignOffices(ctx, c, id, u.Offices)
	}
	return err
}

// RandomPassword returns 20 characters (about 119 bits) from an alphabet
// without look-alikes, drawn from crypto/rand.
func RandomPassword() (string, error) {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		var r [1]byte
		for {
			if _, err := rand.Read(r[:]); err != nil {
				return "", err
			}
			if int(r[0]) < 256-256%len(alphabet) { // no modulo bias
				break
			}
		}
		b[i] = alphabet[int(r[0])%len(alphabet)]
	}
	return string(b), nil
}
