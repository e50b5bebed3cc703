package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// updater runs one decision on an office; the handlers below share it.
type updater struct {
	env  command.Env
	repo *command.Repository[*office.Office]
}

func newUpdater(env command.Env) (updater, error) {
	repo, err := newRepo(env)
	if err != nil {
		return updater{}, err
	}
	return updater{env: env, repo: repo}, nil
}

func (u updater) update(ctx context.Context, c command.Context, id domain.OfficeID, decide func(o *office.Office, now time.Time) error) (command.Saved, error) {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleSystem); err != nil { // citizens and auditors never manage offices
		return command.Saved{}, err
	}
	if err := domain.RequireID("office id", id); err != nil {
		return command.Saved{}, err
	}
	now := u.env.Clock.Now()
	_, saved, err := u.repo.Update(ctx, office.StreamName(id), command.Write{Meta: u.env.Meta(c)}, func(o *office.Office) error {
		return decide(o, now)
	})
	return saved, err
}
