package cases

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CaseRetries is how often a case command reloads and decides again when
// a colleague wrote to the case in between (a note while another is being
// added). Each retry re-decides on fresh state and re-hashes the chain.
const CaseRetries = 5

// TokenPurpose is the purpose string of case capability tokens.
const TokenPurpose = "case"

// Deps are what the case handlers need. Blobs is needed only by the
// document handlers; References only by OpenCase's callers (admission).
type Deps struct {
	Env        command.Env
	Tokens     command.Tokens
	Blobs      BlobStore
	References *ReferenceAllocator
}

type deps struct {
	Deps
	cases *command.Repository[*casefile.Case]
}

func newDeps(d Deps) (deps, error) {
	if err := d.Env.Validate(); err != nil {
		return deps{}, err
	}
	if d.Tokens == nil {
		return deps{}, errors.New("cases: tokens are required")
	}
	r, err := command.NewRepository(d.Env.Store, casefile.FromEvents, d.Env.IDs, command.RepositoryOptions{Chained: true, Retries: CaseRetries})
	if err != nil {
		return deps{}, err
	}
	return deps{Deps: d, cases: r}, nil
}

// Token returns the capability token of a case, given to the citizen whose
// visit opened or continued it.
func Token(t command.Tokens, id domain.CaseID) string { return t.Token(TokenPurpose, id.UUID()) }

// CitizenActor is the actor of a citizen acting on a case with its token:
// the case ID is the capability subject, never a name.
func CitizenActor(id domain.CaseID) domain.Actor {
	a, _ := domain.NewActor(domain.RoleCitizen, "case-"+id.String())
	return a
}

// authorizeCitizenOrClerk lets clerks (and the system) act on any case and
// citizens only with the case token.
func (d deps) authorizeCitizenOrClerk(c command.Context, id domain.CaseID, token string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Actor.Role() == domain.RoleCitizen {
		return command.CheckToken(token, Token(d.Tokens, id))
	}
	return c.RequireRole(domain.RoleClerk, domain.RoleSystem)
}

// update runs one decision on a case as a clerk or the system. A nil w
// means a fresh write with random event IDs.
func (d deps) update(ctx context.Context, c command.Context, id domain.CaseID, w *command.Write, decide func(*casefile.Case, time.Time) error) (*casefile.Case, command.Saved, error) {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleSystem); err != nil {
		return nil, command.Saved{}, err
	}
	return d.updateAs(ctx, c, id, w, decide)
}

// requestWrite is the write of case command cmd for a client request: a
// retry with the same request ID is recognised and stored once.
func (d deps) requestWrite(c command.Context, cmd string, id domain.CaseID, request domain.RequestID) *command.Write {
	w := command.RequestWrite(d.Env.Meta(c), cmd, id.UUID(), request)
	return &w
}

func (d deps) updateAs(ctx context.Context, c command.Context, id domain.CaseID, w *command.Write, decide func(*casefile.Case, time.Time) error) (*casefile.Case, command.Saved, error) {
	if err := domain.RequireID("case id", id); err != nil {
		return nil, command.Saved{}, err
	}
	now := d.Env.Clock.Now()
	write := command.Write{Meta: d.Env.Meta(c)}
	if w != nil {
		write = *w
	}
	return d.cases.Update(ctx, casefile.StreamName(id), write, func(cs *casefile.Case) error { return decide(cs, now) })
}
