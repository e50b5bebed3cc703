package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// WithdrawService stops offering a service; visits already waiting for it
// are still served.
type WithdrawService struct {
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
}

// WithdrawServiceHandler handles WithdrawService.
type WithdrawServiceHandler struct{ u updater }

// NewWithdrawServiceHandler refuses an incomplete env.
func NewWithdrawServiceHandler(env command.Env) (WithdrawServiceHandler, error) {
	u, err := newUpdater(env)
	return WithdrawServiceHandler{u: u}, err
}

// Handle withdraws the service.
func (h WithdrawServiceHandler) Handle(ctx context.Context, c command.Context, cmd WithdrawService) (command.Saved, error) {
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.WithdrawService(cmd.ServiceID, now)
	})
}
