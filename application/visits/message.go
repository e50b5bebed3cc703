package visits

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// SendMessage is a clerk's text to a waiting citizen ("noch etwa 10
// Minuten", "bitte Ausweis bereithalten").
type SendMessage struct {
	VisitID domain.VisitID
	Text    string
}

// SendMessageHandler handles SendMessage.
type SendMessageHandler struct{ d deps }

// NewSendMessageHandler refuses missing dependencies.
func NewSendMessageHandler(d Deps) (SendMessageHandler, error) {
	dd, err := newDeps(d)
	return SendMessageHandler{d: dd}, err
}

// Handle records the message as the acting clerk.
func (h SendMessageHandler) Handle(ctx context.Context, c command.Context, cmd SendMessage) (command.Saved, error) {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return command.Saved{}, err
	}
	_, saved, err := h.d.update(ctx, c, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.SendMessage(clerk, cmd.Text, now)
	})
	return saved, err
}
