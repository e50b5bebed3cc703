package offices

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// OfferService adds a service to an office or replaces the one with its ID.
type OfferService struct {
	OfficeID domain.OfficeID
	Service  ServiceSpec
}

// OfferServiceHandler handles OfferService.
type OfferServiceHandler struct{ u updater }

// NewOfferServiceHandler refuses an incomplete env.
func NewOfferServiceHandler(env command.Env) (OfferServiceHandler, error) {
	u, err := newUpdater(env)
	return OfferServiceHandler{u: u}, err
}

// Handle offers the service.
func (h OfferServiceHandler) Handle(ctx context.Context, c command.Context, cmd OfferService) (command.Saved, error) {
	s, err := office.NewService(cmd.Service.ID, cmd.Service.Name, cmd.Service.TypicalDuration)
	if err != nil {
		return command.Saved{}, err
	}
	return h.u.update(ctx, c, cmd.OfficeID, func(o *office.Office, now time.Time) error {
		return o.OfferService(s, now)
	})
}
