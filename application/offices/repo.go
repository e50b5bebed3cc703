package offices

import (
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// Retries is how often an office command reloads and decides again when
// another command changed the office in between (clerks going on duty at
// 08:00 all touch the same stream). The decision is re-made on fresh state,
// so retrying never overrides a rule.
const Retries = 3

func newRepo(env command.Env) (*command.Repository[*office.Office], error) {
	if err := env.Validate(); err != nil {
		return nil, err
	}
	return command.NewRepository(env.Store, office.FromEvents, env.IDs, command.RepositoryOptions{Retries: Retries})
}
